"""Training the embedded classifier from the labelled corpus (scikit-learn, scipy)."""
