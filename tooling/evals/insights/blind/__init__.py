"""A blind evaluation set for the insights answerer: designed weeks (`build.py` writes digests.json)
and questions written without reading the answerer (`questions.py` writes questions.json). See
README.md for the movements, the questions' kinds and the first run."""
