# AluMusic Feedback: `make dev` runs the whole stack on emulators, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := shared/classifier/artifacts/local-model.joblib
MODEL_INPUTS := $(wildcard tooling/classifier/corpus/*.csv tooling/classifier/corpus/youtube/*.csv) \
	$(wildcard tooling/classifier/corpus/external/* tooling/classifier/lexicons/* tooling/classifier/*.py) \
	$(wildcard shared/classifier/*.py shared/classifier/*.json)
DEMO ?=
PYTEST_ARGS ?=
FUZZ_EXAMPLES ?= 100
# checkov lives in a venv of its own: its pinned dependencies would fight the project's.
CHECKOV_VERSION ?= 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)
# Unset, ENVIRONMENT means production rules (absent keys refused): the stack and the tests say
# which rules they run under.
export ENVIRONMENT ?= development

.PHONY: help install model dev test test-unit test-integration test-e2e lint format check-infra check-installs fuzz bench bench-pipeline clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create the virtual environment and install everything

$(MODEL): $(STAMP) $(MODEL_INPUTS)
	$(BIN)/alumusic train

model: $(MODEL) ## train the embedded classifier (only when its data or code changed)

dev: $(MODEL) ## run the whole stack on emulators in the foreground (DEMO=1 loads demo comments)
	$(BIN)/alumusic dev up $(if $(DEMO),--demo 3000,)

test: $(MODEL) ## run the whole suite: unit, integration, end-to-end
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-unit: $(MODEL) ## unit tests only (fakes, no services)
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

test-integration: $(MODEL) ## integration tests (real PostgreSQL, Pub/Sub emulator, S3 emulator, loopback servers)
	$(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

test-e2e: $(MODEL) ## end-to-end tests against the whole local stack
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared functions tooling

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(CHECKOV_STAMP):
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $@

check-infra: $(STAMP) $(CHECKOV_STAMP) ## checkov and terraform fmt over infra/terraform; docker-compose.yml current with infra/stack.json; Terraform, OpenAPI and compose parsed and checked
	@command -v terraform >/dev/null || { echo "check-infra: 'terraform' is required (README, 'What it needs')" >&2; exit 1; }
	terraform fmt -check -diff -recursive infra/terraform
	$(CHECKOV_VENV)/bin/checkov --directory infra/terraform --framework terraform --quiet --compact --skip-download
	$(BIN)/alumusic dev compose --check
	$(BIN)/python -m pytest -q tests/unit/test_terraform.py tests/unit/test_compose.py

check-installs: $(MODEL) ## each documented install (`.`, `.[train]`, `.[dev]`) in a fresh venv, its commands run
	PYTHON=$(PYTHON) .ci/install-smoke

fuzz: $(STAMP) ## schemathesis over every API operation through a running `make dev` stack (FUZZ_EXAMPLES=100)
	$(BIN)/alumusic fuzz --max-examples $(FUZZ_EXAMPLES)

bench: $(MODEL) ## in-process classifier throughput and cold start
	$(BIN)/alumusic bench classifier

bench-pipeline: $(MODEL) ## ingest -> Pub/Sub -> classify -> PostgreSQL through a running `make dev` stack
	$(BIN)/alumusic bench pipeline --comments 100000

clean: ## remove the virtual environment, local state and caches
	rm -rf $(VENV) $(CHECKOV_VENV) .dev .pytest_cache .mypy_cache .ruff_cache $(MODEL)
