"""A fifth blind evaluation set for the insights answerer, in the third quarter of 2025
(2025-W27..W38): designed weeks (`build.py` writes digests.json) and questions written without
reading the answerer (`questions.py` writes questions.json). See README.md for the movements and
the questions' kinds."""
