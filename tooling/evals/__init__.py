"""Evaluation of the product's models: the classifiers' metrics, calibration, confusion matrices
and quality protocol; `insights/`, the insights answerer's evaluation set and runner."""
