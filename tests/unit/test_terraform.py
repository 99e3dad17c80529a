"""The production description (infra/terraform) covers infra/stack.json and stays well-formed.

Providers cannot be downloaded here, so `terraform validate` is out of reach; the HCL is parsed
with python-hcl2 and its structure checked against the stack description instead, the OpenAPI
template is rendered and validated as Swagger 2.0, and `terraform fmt -check` runs when the
terraform binary is installed.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV2SpecValidator

from shared import errors
from shared.cli import build_parser
from shared.config import SETTINGS_GROUPS, group_fields

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = ROOT / "infra" / "terraform"
STACK_FILE = ROOT / "infra" / "stack.json"
OPENAPI_TEMPLATE = TERRAFORM_DIR / "openapi.yaml.tftpl"

# DESIGN section 6: the endpoints the classify function serves, as (method, path).
CLASSIFY_ENDPOINTS = {
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("post", "/api/comentarios"),
    ("post", "/api/comentarios/ingest"),
    ("get", "/api/comentarios"),
    ("get", "/api/comentarios/export"),
    ("get", "/api/comentarios/{id}"),
    ("patch", "/api/comentarios/{id}"),
}
# Codes the HTTP layer adds beside the domain errors (routing, media type, crashes).
HTTP_ONLY_ERROR_CODES = {"method_not_allowed", "unsupported_media_type", "internal_error"}


# Modules a classify request runs through; a DomainError defined there can end a request.
REQUEST_PATH_MODULES = (
    "shared.errors",
    "shared.http",
    "shared.auth",
    "shared.users",
    "shared.validation",
    "shared.comments.store",
    "shared.ingest",
    "shared.classifier.local",
    "shared.insights.service",
)


def _domain_error_codes() -> dict[str, int]:
    """code -> status of every DomainError an HTTP request to classify can end with."""
    for module in REQUEST_PATH_MODULES:
        importlib.import_module(module)
    found: dict[str, int] = {}
    pending = list(errors.DomainError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__ in REQUEST_PATH_MODULES and cls is not errors.PoisonMessage:
            found[cls.code] = cls.status
    return found


def _unquote(name: str) -> str:
    return name.strip('"')


def _plain(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals ('"roles/x"'); drop them everywhere."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _load_tf() -> dict[str, Any]:
    """Every .tf file merged: resources by (type, name), locals, variables, outputs."""
    merged: dict[str, Any] = {"resource": {}, "locals": {}, "variable": {}, "output": {}}
    for path in sorted(TERRAFORM_DIR.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            parsed = _plain(hcl2.load(handle))
        for block in parsed.get("resource", []):
            for rtype, named in block.items():
                for name, body in named.items():
                    merged["resource"][(_unquote(rtype), _unquote(name))] = body
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
        for kind in ("variable", "output"):
            for block in parsed.get(kind, []):
                for name, body in block.items():
                    merged[kind][_unquote(name)] = body
    return merged


@pytest.fixture(scope="module")
def tf() -> dict[str, Any]:
    return _load_tf()


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(STACK_FILE.read_text(encoding="utf-8"))
    return document


def _resource(tf: dict[str, Any], rtype: str, name: str) -> dict[str, Any]:
    assert (rtype, name) in tf["resource"], f"resource {rtype}.{name} is missing"
    return tf["resource"][(rtype, name)]  # type: ignore[no-any-return]


def _dynamic(body: dict[str, Any], name: str) -> dict[str, Any]:
    for block in body.get("dynamic", []):
        for key, spec in block.items():
            if _unquote(key) == name:
                return spec  # type: ignore[no-any-return]
    raise AssertionError(f"dynamic block {name!r} is missing")


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_stack_json_is_the_source_of_topics_subscriptions_and_functions(tf):
    # Given the merged locals
    locals_ = tf["locals"]
    # Then the stack comes from infra/stack.json and each collection is keyed from it
    assert "jsondecode(file(" in locals_["stack"]
    assert "/../stack.json" in locals_["stack"]
    assert "local.stack.functions" in locals_["functions"]
    assert "local.stack.topics" in locals_["topics"]
    assert "local.stack.subscriptions" in locals_["subscriptions"]
    assert "local.stack.buckets" in locals_["buckets"]
    # And every per-item resource iterates over those collections
    assert _resource(tf, "google_pubsub_topic", "topic")["for_each"] == "${local.topics}"
    assert (
        _resource(tf, "google_pubsub_subscription", "subscription")["for_each"]
        == "${local.subscriptions}"
    )
    assert (
        _resource(tf, "google_cloud_run_v2_service", "function")["for_each"] == "${local.functions}"
    )
    assert _resource(tf, "google_service_account", "function")["for_each"] == "${local.functions}"
    assert _resource(tf, "google_storage_bucket", "stack")["for_each"] == "${local.buckets}"


def test_no_topic_or_subscription_name_is_repeated_in_resources(tf, stack):
    # Given every name stack.json defines
    names = [t["name"] for t in stack["topics"]] + [s["name"] for s in stack["subscriptions"]]
    # When looking through every resource and local (variable defaults may name them, below)
    text = _text([tf["resource"][key] for key in sorted(tf["resource"])]) + _text(tf["locals"])
    # Then none is spelled out: they all come from the description
    for name in names:
        assert f'"{name}"' not in text, name


def test_push_subscription_has_oidc_retry_and_dead_letter_policies(tf):
    subscription = _resource(tf, "google_pubsub_subscription", "subscription")
    # Push: to the target function's Cloud Run URL, signed by the dedicated invoker account
    push = _dynamic(subscription, "push_config")
    assert "each.value.push_to" in push["for_each"]
    content = push["content"][0]
    assert "google_cloud_run_v2_service.function[push_config.value].uri" in content["push_endpoint"]
    assert "/topics/${each.value.topic}" in content["push_endpoint"]
    oidc = content["oidc_token"][0]
    assert oidc["service_account_email"] == "${google_service_account.pubsub_invoker.email}"
    assert "google_cloud_run_v2_service.function[push_config.value].uri" in oidc["audience"]
    # Retry policy from min/max_retry_backoff
    retry = _dynamic(subscription, "retry_policy")
    retry_content = retry["content"][0]
    assert "each.value.min_retry_backoff" in retry_content["minimum_backoff"]
    assert "each.value.max_retry_backoff" in retry_content["maximum_backoff"]
    # Dead-letter policy from dead_letter_topic/max_delivery_attempts
    dead_letter = _dynamic(subscription, "dead_letter_policy")
    assert "each.value.dead_letter_topic" in dead_letter["for_each"]
    dl_content = dead_letter["content"][0]
    assert (
        "google_pubsub_topic.topic[dead_letter_policy.value].id" in dl_content["dead_letter_topic"]
    )
    assert "each.value.max_delivery_attempts" in dl_content["max_delivery_attempts"]
    assert "each.value.ack_deadline_seconds" in subscription["ack_deadline_seconds"]


def test_pubsub_service_agent_can_dead_letter_and_mint_push_tokens(tf):
    agent = "local.pubsub_service_agent"
    publish = _resource(tf, "google_pubsub_topic_iam_member", "pubsub_agent_publishes_dead_letters")
    assert publish["for_each"] == "${local.dead_letter_topics}"
    assert publish["role"] == "roles/pubsub.publisher"
    assert agent in publish["member"]
    ack = _resource(tf, "google_pubsub_subscription_iam_member", "pubsub_agent_acks_dead_lettered")
    assert ack["for_each"] == "${local.dead_lettered_subscriptions}"
    assert ack["role"] == "roles/pubsub.subscriber"
    assert agent in ack["member"]
    tokens = _resource(tf, "google_service_account_iam_member", "pubsub_agent_mints_invoker_tokens")
    assert tokens["role"] == "roles/iam.serviceAccountTokenCreator"
    assert agent in tokens["member"]
    invoker = _resource(tf, "google_cloud_run_v2_service_iam_member", "pubsub_invokes")
    assert invoker["for_each"] == "${local.push_targets}"
    assert invoker["role"] == "roles/run.invoker"
    assert "google_service_account.pubsub_invoker.member" in invoker["member"]


def test_function_identities_are_least_privilege(tf, stack):
    functions = {f["name"] for f in stack["functions"]}
    topics = {t["name"] for t in stack["topics"]}
    # Publisher only on the topics a function publishes to, never project-wide
    publish = _resource(tf, "google_pubsub_topic_iam_member", "function_publishes")
    assert publish["role"] == "roles/pubsub.publisher"
    for (rtype, _), body in tf["resource"].items():
        if rtype == "google_project_iam_member":
            assert body["role"] != "roles/pubsub.publisher"
            assert "roles/owner" not in body["role"]
            assert "roles/editor" not in body["role"]
    sql = _resource(tf, "google_project_iam_member", "function_cloudsql_client")
    assert sql["role"] == "roles/cloudsql.client"
    assert sql["for_each"] == "${local.functions}"
    reads = _resource(tf, "google_secret_manager_secret_iam_member", "function_reads")
    assert reads["role"] == "roles/secretmanager.secretAccessor"
    assert reads["for_each"] == "${local.function_secret_readers}"
    # The defaults name only functions and topics the description has
    publishes = tf["variable"]["function_publishes"]["default"]
    assert set(publishes) <= functions
    for published in publishes.values():
        assert set(published) <= topics
    # ingest publishes comments; the consumer only dead-letters
    assert any("dead-letter" not in t for t in publishes["classify-api"])
    assert all("dead-letter" in t for t in publishes["classify-consumer"])


def _function_secrets(tf: dict[str, Any], stack: dict[str, Any]) -> dict[str, set[str]]:
    """What locals.function_secrets evaluates to: the secrets of each function's groups."""
    group_secrets = tf["locals"]["group_secrets"]
    return {
        f["name"]: {s for group in f.get("settings", []) for s in group_secrets.get(group, [])}
        for f in stack["functions"]
    }


def test_each_function_reads_only_the_secrets_of_its_settings_groups(tf, stack):
    # Given the groups each function declares and the secrets each group holds
    function_secrets = tf["locals"]["function_secrets"]
    assert "f.settings" in function_secrets
    assert "local.group_secrets" in function_secrets
    assert "var." not in function_secrets
    group_secrets = tf["locals"]["group_secrets"]
    # Then a group's secrets carry that group's secret settings, and no function reads the
    # bootstrap job's admin password
    assert tf["locals"]["secret_env"]["jwt-public-keys"] == "JWT_PUBLIC_KEYS"
    assert tf["locals"]["secret_env"]["jwt-private-keys"] == "JWT_PRIVATE_KEYS"
    assert tf["locals"]["secret_env"]["cursor-secret"] == "CURSOR_SECRET"
    assert {"jwt_public_keys", "cursor_secret"} <= set(group_fields("auth"))
    assert "jwt_private_keys" in group_fields("issuer")
    assert group_secrets["auth"] == ["jwt-public-keys", "cursor-secret"]
    assert group_secrets["issuer"] == ["jwt-private-keys"]
    assert "database_url" in group_fields("database")
    assert group_secrets["database"] == ["database-url"]
    assert set(group_secrets) <= set(SETTINGS_GROUPS)
    secrets = _function_secrets(tf, stack)
    assert all("admin-password" not in names for names in secrets.values())
    # And the consumer verifies no token, so it sees no key; only the issuer (classify-api) holds
    # the private key, every other function that checks tokens holds the public keys only
    assert secrets["classify-consumer"] == {"database-url"}
    assert secrets["classify-api"] == {
        "database-url",
        "jwt-private-keys",
        "jwt-public-keys",
        "cursor-secret",
    }
    holders = {name for name, held in secrets.items() if "jwt-private-keys" in held}
    assert holders == {"classify-api"}
    # The charts functions reach the bucket with the storage group's key; only charts-api
    # verifies tokens (public keys only)
    assert group_secrets["storage"] == ["storage-hmac-secret"]
    assert secrets["charts-refresh"] == {"database-url", "storage-hmac-secret"}
    assert secrets["charts-api"] == {
        "database-url",
        "jwt-public-keys",
        "cursor-secret",
        "storage-hmac-secret",
    }
    # The SendGrid key reaches the functions that send mail (the digest and the alerts), and no
    # other; the alert webhooks (secrets of their own) reach the alerts check only
    assert tf["locals"]["secret_env"]["sendgrid-api-key"] == "SENDGRID_API_KEY"
    assert "sendgrid_api_key" in group_fields("mail")
    assert group_secrets["mail"] == ["sendgrid-api-key"]
    senders = {f for f, names in secrets.items() if "sendgrid-api-key" in names}
    assert senders == {"digest-send", "alerts-run"}
    assert tf["locals"]["secret_env"]["alerts-webhook-urls"] == "ALERTS_WEBHOOK_URLS"
    assert "alerts_webhook_urls" in group_fields("alerts")
    assert {f for f, names in secrets.items() if "alerts-webhook-urls" in names} == {"alerts-run"}
    verifiers = {f["name"] for f in stack["functions"] if "auth" in f.get("settings", [])}
    assert all("jwt-public-keys" in secrets[name] for name in verifiers)


def test_token_keys_are_ed25519_pairs_per_key_id_and_the_bootstrap_job_reads_none(tf):
    key = _resource(tf, "tls_private_key", "jwt")
    assert key["algorithm"] == "ED25519"
    assert "var.jwt_key_ids" in key["for_each"]
    values = _text(tf["locals"]["secret_values"])
    assert "local.jwt_signing_kid" in values
    assert "public_key_pem" in values
    assert tf["locals"]["bootstrap_secrets"] == '${toset(["database-url", "admin-password"])}'
    reads = _resource(tf, "google_secret_manager_secret_iam_member", "bootstrap_reads")
    assert reads["for_each"] == "${local.bootstrap_secrets}"


def test_function_env_is_core_plus_its_groups_and_names_them(tf):
    function_env = tf["locals"]["function_env"]
    assert "local.common_env" in function_env
    assert "lookup(local.group_env, group, {})" in function_env
    assert "SETTINGS_GROUPS" in function_env
    assert set(tf["locals"]["common_env"]) == {"ENVIRONMENT", "LOG_LEVEL", "PRODUCT_TIMEZONE"}
    # Each group's plain settings are settings of that group (storage also carries the AWS
    # client's access id, a credential rather than a setting)
    for group, env in tf["locals"]["group_env"].items():
        credentials = {"aws_access_key_id"} if group == "storage" else set()
        names = {name.lower() for name in env} - credentials
        assert names <= set(group_fields(group)), group


def test_cloud_run_reads_secrets_and_scaling_from_variables(tf):
    service = _resource(tf, "google_cloud_run_v2_service", "function")
    template = service["template"][0]
    scaling = template["scaling"][0]
    assert "local.scaling[each.key].min_instances" in scaling["min_instance_count"]
    assert "local.scaling[each.key].max_instances" in scaling["max_instance_count"]
    assert "local.scaling[each.key].concurrency" in template["max_instance_request_concurrency"]
    container = template["containers"][0]
    assert container["image"] == "${local.images[each.key]}"
    secret_env = _dynamic(container, "env")
    # Two dynamic env blocks: plain values, then secret references; find the secret one
    env_blocks = [
        spec
        for block in container["dynamic"]
        for key, spec in block.items()
        if _unquote(key) == "env"
    ]
    assert len(env_blocks) == 2, secret_env
    secret_block = next(b for b in env_blocks if "function_secrets" in b["for_each"])
    ref = secret_block["content"][0]["value_source"][0]["secret_key_ref"][0]
    assert "google_secret_manager_secret.app" in ref["secret"]
    assert ref["version"] == "latest"
    assert tf["locals"]["secret_env"] == {
        "jwt-private-keys": "JWT_PRIVATE_KEYS",
        "jwt-public-keys": "JWT_PUBLIC_KEYS",
        "cursor-secret": "CURSOR_SECRET",
        "database-url": "DATABASE_URL",
        "admin-password": "ADMIN_PASSWORD",
        "storage-hmac-secret": "AWS_SECRET_ACCESS_KEY",
        "sendgrid-api-key": "SENDGRID_API_KEY",
        "alerts-webhook-urls": "ALERTS_WEBHOOK_URLS",
    }
    # Secrets never travel as plain environment values
    plain_env = _text(tf["locals"]["common_env"]) + _text(tf["locals"]["function_env"])
    for name in (
        "JWT_PRIVATE_KEYS",
        "JWT_PUBLIC_KEYS",
        "CURSOR_SECRET",
        "DATABASE_URL",
        "ADMIN_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "SENDGRID_API_KEY",
        "ALERTS_WEBHOOK_URLS",
    ):
        assert name not in plain_env
    assert "vpc_access" in template
    # Private database: no public address
    instance = _resource(tf, "google_sql_database_instance", "main")
    ip = instance["settings"][0]["ip_configuration"][0]
    assert ip["ipv4_enabled"] is False
    assert "google_compute_network.main" in ip["private_network"]
    assert "google_sql_database" in {rtype for rtype, _ in tf["resource"]}
    assert "google_sql_user" in {rtype for rtype, _ in tf["resource"]}


def test_bucket_functions_reach_the_bucket_through_the_s3_api(tf, stack):
    # Given the functions that declare the storage settings group (the charts, and the
    # maintenance that archives expired comments)
    users = {f["name"] for f in stack["functions"] if "storage" in f.get("settings", [])}
    assert users == {"charts-api", "charts-refresh", "maintenance-run"}
    assert _function_secrets(tf, stack)["charts-refresh"] >= {"storage-hmac-secret"}
    assert _function_secrets(tf, stack)["maintenance-run"] >= {"storage-hmac-secret"}
    # And the maintenance, which archives there, gets the retention its group declares
    retention = tf["locals"]["group_env"]["maintenance"]["COMMENTS_RETENTION_DAYS"]
    assert "var.comments_retention_days" in retention
    # Then they get Cloud Storage's XML endpoint, the bucket and the HMAC access id in plain env
    storage_env = tf["locals"]["group_env"]["storage"]
    assert storage_env["AWS_ENDPOINT_URL"] == "https://storage.googleapis.com"
    assert "google_storage_hmac_key.storage.access_id" in storage_env["AWS_ACCESS_KEY_ID"]
    assert "local.stack.buckets[0]" in storage_env["S3_BUCKET"]
    assert "google_storage_hmac_key.storage.secret" in _text(tf["locals"]["secret_values"])
    # And the key's identity may use objects of the stack's buckets, nothing project-wide
    member = _resource(tf, "google_storage_bucket_iam_member", "storage_uses_objects")
    assert member["role"] == "roles/storage.objectUser"
    assert "google_service_account.storage.member" in member["member"]
    # Per-minute snapshot objects and replaced `latest` versions expire
    bucket = _resource(tf, "google_storage_bucket", "stack")
    prefixes = [r["condition"][0]["matches_prefix"] for r in bucket["lifecycle_rule"]]
    assert ["charts/2"] in prefixes
    # The product's time zone, a core setting, goes to every function
    assert tf["locals"]["common_env"]["PRODUCT_TIMEZONE"] == "${var.product_timezone}"


def test_bootstrap_job_runs_real_cli_commands(tf):
    # Given the production bootstrap job's shell command
    job = _resource(tf, "google_cloud_run_v2_job", "bootstrap")
    container = job["template"][0]["template"][0]["containers"][0]
    assert container["command"] == ["sh", "-c"]
    script = container["args"][0].replace("${var.admin_username}", "admin").replace('\\"', '"')
    steps = [shlex.split(part) for part in re.split(r"&&|\|", script)]
    commands = [words[1:] for words in steps if words and words[0] == "alumusic"]
    assert [argv[:2] for argv in commands] == [["db", "upgrade"], ["user", "create"]]
    # Then the CLI accepts each as written
    parser = build_parser()
    for argv in commands:
        assert callable(parser.parse_args(argv).handler), argv
    # And it reaches the private database with its own identity
    assert "vpc_access" in job["template"][0]["template"][0]
    assert (
        "google_service_account.bootstrap.email"
        in job["template"][0]["template"][0]["service_account"]
    )


def test_every_variable_has_a_description_and_outputs_expose_urls(tf):
    for name, body in tf["variable"].items():
        assert body.get("description"), f"variable {name} has no description"
    for name, body in tf["output"].items():
        assert body.get("description"), f"output {name} has no description"
    assert "google_api_gateway_gateway.api.default_hostname" in tf["output"]["gateway_url"]["value"]
    assert "google_cloud_run_v2_service.function" in _text(tf["output"]["service_urls"]["value"])
    for name in ("default_scaling", "function_scaling", "image_registry", "image_tag"):
        assert name in tf["variable"]


def test_gateway_uses_the_template_and_google_beta(tf):
    config = _resource(tf, "google_api_gateway_api_config", "api")
    for rtype in (
        "google_api_gateway_api",
        "google_api_gateway_api_config",
        "google_api_gateway_gateway",
    ):
        body = next(b for (t, _), b in tf["resource"].items() if t == rtype)
        assert "google-beta" in body["provider"]
    assert "local.openapi_document" in _text(config["openapi_documents"])
    assert "openapi.yaml.tftpl" in tf["locals"]["openapi_document"]
    assert "google_service_account.gateway.email" in _text(config["gateway_config"])


# --- the OpenAPI document -----------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")
_BACKEND_REF = re.compile(r'^backends\["([^"]+)"\]$')


def render_openapi(template: str, variables: dict[str, Any]) -> str:
    """Terraform's templatefile for the subset the template uses: `${name}` and
    `${backends["/route"]}`. Anything else fails, so this stand-in cannot drift silently."""
    assert "%{" not in template, "template directives need a real templatefile renderer"

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        backend = _BACKEND_REF.match(expression)
        if backend:
            route = backend.group(1)
            if route not in variables["backends"]:
                raise KeyError(f"template uses route {route!r} that no public function serves")
            return str(variables["backends"][route])
        if re.fullmatch(r"[a-z_]+", expression):
            return str(variables[expression])
        raise AssertionError(f"unsupported template expression ${{{expression}}}")

    return _INTERPOLATION.sub(substitute, template.replace("$${", "\0")).replace("\0", "${")


def _backends(stack: dict[str, Any]) -> dict[str, str]:
    return {
        function["name"]: f"https://{function['name']}-abc123-uc.a.run.app"
        for function in stack["functions"]
        if function.get("public")
    }


@pytest.fixture(scope="module")
def openapi(stack) -> dict[str, Any]:
    rendered = render_openapi(
        OPENAPI_TEMPLATE.read_text(encoding="utf-8"),
        {
            "title": "alumusic feedback API",
            "backends": _backends(stack),
            "deadline": "60.0",
            "export_deadline": "300.0",
        },
    )
    document = yaml.safe_load(rendered)
    assert isinstance(document, dict)
    return document


def test_openapi_document_is_valid_swagger_2(openapi):
    validate(openapi, cls=OpenAPIV2SpecValidator)
    assert openapi["swagger"] == "2.0"


def test_openapi_documents_every_classify_endpoint(openapi):
    operations = {
        (method, path)
        for path, item in openapi["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert operations >= CLASSIFY_ENDPOINTS, CLASSIFY_ENDPOINTS - operations


def test_openapi_routes_each_operation_to_a_public_function(openapi, stack):
    # Given the Cloud Run URL of each public function
    backends = _backends(stack)
    by_url = {url: name for name, url in backends.items()}
    served: set[str] = set()
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            # Then each operation is sent to one public function, with its identity token
            backend = operation["x-google-backend"]
            assert backend["address"] in by_url, (method, path)
            assert backend["jwt_audience"] == backend["address"]
            assert backend["path_translation"] == "APPEND_PATH_TO_ADDRESS"
            assert float(backend["deadline"]) > 0
            served.add(by_url[backend["address"]])
    # And every public function serves something through the gateway
    assert served == set(backends)


def test_openapi_documents_the_error_model(openapi):
    error = openapi["definitions"]["Error"]
    assert error["required"] == ["error"]
    inner = error["properties"]["error"]
    assert set(inner["required"]) == {"code", "message"}
    # Every code the service can answer with is documented, and nothing else
    # (PoisonMessage is a Pub/Sub outcome, never an HTTP answer)
    domain = _domain_error_codes()
    assert set(inner["properties"]["code"]["enum"]) == set(domain) | HTTP_ONLY_ERROR_CODES
    # Each shared error response names its code, and is used under that code's status
    shared_responses = openapi["responses"]
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            # The dashboard's static files take no input and carry no data: no 400, no 401.
            static_page = path == "/painel" or path.startswith("/painel/")
            assert "400" in statuses or static_page, (method, path)
            assert "503" in statuses, (method, path)
            assert any(s.startswith("2") for s in statuses), (method, path)
            if path not in ("/api/auth/login", "/api/auth/refresh") and not static_page:
                assert "401" in statuses, (method, path)
            for status, response in operation["responses"].items():
                ref = response.get("$ref")
                if not ref:
                    continue
                described = shared_responses[ref.rsplit("/", 1)[1]]
                code = described["description"].split("`")[1]
                expected = domain.get(
                    code, {"unsupported_media_type": 415, "internal_error": 500}.get(code)
                )
                assert str(expected) == status, (method, path, status, code)


def test_template_renderer_refuses_unknown_routes_and_expressions():
    # Given a template that names a route no function serves, or an expression it cannot render
    # Then rendering fails instead of producing a document with a hole in it
    with pytest.raises(KeyError):
        render_openapi('address: ${backends["/api/nowhere"]}', {"backends": {}})
    with pytest.raises(AssertionError):
        render_openapi("x: ${upper(title)}", {"title": "t"})
    assert render_openapi("a: $${literal} ${title}", {"title": "t"}) == "a: ${literal} t"


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_fmt_check():
    result = subprocess.run(
        ["terraform", "fmt", "-check", "-diff", "-recursive", str(TERRAFORM_DIR)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- scheduled jobs -----------------------------------------------------------------------------


def test_each_stack_job_is_a_cloud_scheduler_job_publishing_to_its_topic(tf, stack):
    # Given the jobs infra/stack.json declares
    jobs = stack["jobs"]
    assert {job["name"] for job in jobs} >= {"charts-refresh", "weekly-digest"}
    # Then Terraform keys its Cloud Scheduler jobs by the same names, read from the description
    assert "local.stack.jobs" in tf["locals"]["jobs"]
    assert "j.name => j" in tf["locals"]["jobs"]
    scheduler = _resource(tf, "google_cloud_scheduler_job", "job")
    assert scheduler["for_each"] == "${local.jobs}"
    assert scheduler["name"] == "${each.key}"
    assert scheduler["schedule"] == "${each.value.schedule}"
    assert scheduler["time_zone"] == "${each.value.time_zone}"
    # And each publishes to its job's topic, a topic Terraform creates from the same file
    target = scheduler["pubsub_target"][0]
    assert target["topic_name"] == "${google_pubsub_topic.topic[each.value.topic].id}"
    assert target["attributes"] == {"job": "${each.key}"}
    assert "each.value.body" in target["data"]
    assert "job = each.key" in target["data"]
    topics = {topic["name"] for topic in stack["topics"]}
    for job in jobs:
        assert job["topic"] in topics, job
    # And the API it needs is enabled
    assert "cloudscheduler.googleapis.com" in tf["locals"]["required_apis"]
    # And no job or topic name is spelled out in the configuration
    text = _text([tf["resource"][key] for key in sorted(tf["resource"])]) + _text(tf["locals"])
    for job in jobs:
        assert f'"{job["name"]}"' not in text, job["name"]


def _terraform_eval(expression: str, workdir: Path) -> str:
    result = subprocess.run(
        ["terraform", "console"],
        input=expression + "\n",
        capture_output=True,
        text=True,
        check=False,
        cwd=workdir,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    value: str = json.loads(result.stdout.strip().splitlines()[-1])
    return value


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_cloud_scheduler_message_is_a_tick_the_consumer_reads(tf, stack, tmp_path):
    from datetime import UTC, datetime

    from shared.schedule import parse_tick

    # Given the data expression Terraform gives each Cloud Scheduler job
    target = _resource(tf, "google_cloud_scheduler_job", "job")["pubsub_target"][0]
    expression = target["data"].removeprefix("${").removesuffix("}")
    for job in [*stack["jobs"], {"name": "with-body", "body": {"kind": "full", "n": 2}}]:
        body = job.get("body", {})
        # When terraform evaluates it for the job (each.value.body and each.key filled in)
        filled = expression.replace(
            "each.value.body", f"jsondecode({json.dumps(json.dumps(body))})"
        ).replace("each.key", json.dumps(job["name"]))
        data = base64.b64decode(_terraform_eval(filled, tmp_path))
        # And Cloud Scheduler publishes it without a scheduled time, 7.5 s after the minute
        published = datetime(2026, 11, 30, 11, 0, 7, 500000, tzinfo=UTC)
        tick = parse_tick(data, {"job": job["name"]}, published)
        # Then the consumer reads the job, its body, and the run's minute as the scheduled time
        assert tick.job == job["name"]
        assert dict(tick.body) == body
        assert tick.scheduled_time == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)


def test_scheduler_tf_explains_the_publish_time_fallback():
    text = (TERRAFORM_DIR / "scheduler.tf").read_text(encoding="utf-8")
    assert "does not put the scheduled time" in text
    assert "publish time floored to the minute" in text


def _evaluate(expression: str, values: dict[str, Any]) -> Any:
    """A Terraform arithmetic expression (`${max(20, ceil(local.a * var.b))}`) evaluated with
    `values` for its `local.` and `var.` names: the functions it uses mean the same in Python."""
    body = expression.removeprefix("${").removesuffix("}")
    body = re.sub(r"\b(?:local|var)\.(\w+)", lambda m: repr(values[m.group(1)]), body)
    functions = {
        "max": max,
        "ceil": math.ceil,
        "coalesce": lambda *args: next(a for a in args if a is not None),
    }
    return eval(body, {"__builtins__": {}}, functions)  # noqa: S307


def _derived_tier(tf: dict[str, Any], comments_per_day: int) -> str:
    expression = tf["locals"]["db_derived_tier"]
    for limit, tier in re.findall(r"<= (\d+) \? \"([\w-]+)\"", expression):
        if comments_per_day <= int(limit):
            return str(tier)
    return str(re.findall(r": \"([\w-]+)\"\)?\}?$", expression)[0])


def test_the_database_is_sized_from_the_volume_as_the_infra_readme_derives_it(tf):
    # Given the sizing locals and the infra README's table of volumes
    locals_ = tf["locals"]
    instance = _resource(tf, "google_sql_database_instance", "main")["settings"][0]
    assert instance["tier"] == "${local.db_tier}"
    assert instance["disk_size"] == "${local.db_disk_size_gb}"
    assert tf["variable"]["db_tier"]["default"] is None
    assert tf["variable"]["db_disk_size_gb"]["default"] is None
    readme = (ROOT / "infra" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| ([\d,]+) \| (\d+) days \| ([\d,]+) \| ([\d.]+) GB \| (\d+) GB \| `([\w-]+)` \|$",
        readme,
        flags=re.MULTILINE,
    )
    assert len(rows) >= 4
    for per_day, kept, stored, gigabytes, disk, tier in rows:
        values = {
            **{k: v for k, v in locals_.items() if isinstance(v, int | float)},
            "comments_per_day": int(per_day.replace(",", "")),
            "comments_kept_days": int(kept),
            "comments_retention_days": None,
        }
        values["db_kept_days"] = _evaluate(locals_["db_kept_days"], values)
        # When Terraform's own expressions are evaluated for that volume, in order
        for name in ("db_stored_comments", "db_comment_gb", "db_rollup_gb"):
            values[name] = _evaluate(locals_[name], values)
        # Then they give the README's rows, comments' gigabytes, disk and tier
        assert values["db_stored_comments"] == int(stored.replace(",", ""))
        assert round(values["db_comment_gb"], 2) == float(gigabytes)
        assert _evaluate(locals_["db_derived_disk_gb"], values) == int(disk)
        assert _derived_tier(tf, values["comments_per_day"]) == tier
