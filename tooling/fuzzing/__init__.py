"""Bad input by machine: schemathesis against the OpenAPI document, through the local gateway.

`runner` renders infra/terraform/openapi.yaml.tftpl for schemathesis and runs it twice (as the
stack's admin, and anonymous); `hooks` holds the product's documented rules that a generated case
must respect to be judged (loaded by schemathesis through SCHEMATHESIS_HOOKS).
"""
