"""Benchmarks behind `alumusic bench ...`: each prints one JSON line of measured figures."""
