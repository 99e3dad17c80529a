"""A second blind evaluation set for the insights answerer, over another period (2026-W30..W41):
designed weeks (`build.py` writes digests.json) and questions written without reading the answerer
(`questions.py` writes questions.json). See README.md for the movements and the questions' kinds."""
