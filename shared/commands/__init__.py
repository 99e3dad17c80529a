"""Subcommands of the `alumusic` CLI, one module per area, each exposing `register(subparsers)`."""
