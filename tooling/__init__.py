"""Tooling: training, evaluation, benchmarks, the local stack and their commands.

Nothing here is imported by a function at run time; it installs with the `[train]` and `[dev]`
extras and never enters a function image.
"""

import os

# The runtime library treats an unset ENVIRONMENT as production (fail closed). The tooling runs on
# a developer's machine, in CI or in the local compose stack, never deployed: unless told
# otherwise, its own settings (a benchmark, `alumusic eval`, the gateway) follow development rules.
# Functions it starts get ENVIRONMENT explicitly.
os.environ.setdefault("ENVIRONMENT", "development")
