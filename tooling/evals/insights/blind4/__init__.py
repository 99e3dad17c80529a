"""A fourth blind evaluation set for the insights answerer, in the first half of 2026
(2026-W10..W21): designed weeks (`build.py` writes digests.json) and questions written without
reading the answerer (`questions.py` writes questions.json). See README.md for the movements and
the questions' kinds."""
