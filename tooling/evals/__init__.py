"""Evaluation of classifiers: metrics, calibration, confusion matrices, the quality protocol."""
