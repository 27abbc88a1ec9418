# The few commands people type. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrate seed bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Development server with the demo data (DEBUG on, SQLite under var/ unless DATABASE_URL says otherwise).
run: export DEBUG ?= 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "centresocial est servi sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"
	@# The worker that renders exported dossiers runs beside the server and stops with it.
	$(PY) manage.py db_worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Lint (ruff, layers), migrations up to date, the whole test suite (PostgreSQL when DATABASE_URL says so).
test: export SECRET_KEY ?= insecure-key-for-tests-only
# Tests speak plain HTTP to Django's test client and live server (production settings are checked
# by tests/test_securite.py in a subprocess).
test: export HTTPS ?= 0
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# ruff, and the layers of the code (import-linter, [tool.importlinter] in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: export DEBUG ?= 1
migrate: install
	$(PY) manage.py migrate --noinput

seed: export DEBUG ?= 1
seed: install
	$(PY) manage.py seed_demo

# Dossier PDF export timings and memory for a 47-fiche and a 200-fiche projet, in one piece and
# assembled from its parts (bench/assemblage.py; 47, 200 and 1 000 fiches; BENCH_MILLE=0 skips the 1 000), and the evaluation
# dashboard of a 200-fiche projet over five years (each in its own SQLite base); what the fields
# rendered in Python save against crispy-forms' templates (editor, list filters, both pages); then
# the load test: 50 Locust users for 2 minutes against gunicorn on 127.0.0.1 (throw-away database,
# loopback only).
# BENCH_FEDERATION=1 adds the same load test against a fédération's instance (300 structures,
# 3 000 accounts, 15 000 fiches; BENCH_ECHELLE=10 builds a tenth of it), with each page's SQL query
# count beside the demo's.
BENCH_ECHELLE ?= 1
bench: install
	$(PY) -m bench.dossier && $(PY) -m bench.assemblage && $(PY) -m bench.evaluation && $(PY) -m bench.rendu && $(PY) -m bench.importation && $(PY) -m bench.charge
	$(if $(BENCH_FEDERATION),$(PY) -m bench.charge --federation --echelle $(BENCH_ECHELLE))
