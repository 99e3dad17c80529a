"""A third blind evaluation set for the insights answerer, across a year boundary (2025-W44..2026-W03):
designed weeks (`build.py` writes digests.json) and questions written without reading the answerer
(`questions.py` writes questions.json). See README.md for the movements and the questions' kinds."""
