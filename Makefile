# The two commands a new user needs: `make demo` and `make test`. Both work on a fresh machine
# with Python 3.11+ and make; everything else is installed into .venv from pyproject.toml.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL the second test run uses; CI=true makes its absence a failure.
POSTGRES_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: demo test lint types architecture pytest test-postgres clean

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "strongroom needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/strongroom demo --serve

test: lint types architecture pytest test-postgres

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests

types: $(VENV)/.installed-dev
	$(BIN)/mypy

architecture: $(VENV)/.installed-dev
	$(BIN)/lint-imports

pytest: $(VENV)/.installed-dev
	$(BIN)/pytest

test-postgres: $(VENV)/.installed-dev
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(POSTGRES_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the suite again, on PostgreSQL ($(POSTGRES_TEST_URL))"; \
		STRONGROOM_DATABASE_URL='$(POSTGRES_TEST_URL)' $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "FAILED: PostgreSQL at $(POSTGRES_TEST_URL) is not reachable, and CI must test on it."; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run; no PostgreSQL at $(POSTGRES_TEST_URL) (set POSTGRES_TEST_URL)."; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .mypy_cache .ruff_cache .pytest_cache
