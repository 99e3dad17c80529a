"""Command-line modules that need the tooling extras."""
