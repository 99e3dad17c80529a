"""Tooling: training, evaluation, benchmarks, the local stack and their commands.

Nothing here is imported by a function at run time; it installs with the `[train]` and `[dev]`
extras and never enters a function image.
"""
