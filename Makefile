# Revere: `make run` serves the demo company, `make test` runs the whole suite.
# Both set everything up first (virtual environment, Python and npm dependencies, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REVERE := $(BIN)/revere
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: setup run test lint bench demo-large clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed
	mkdir -p var

run: setup
	$(REVERE) migrate --no-input
	$(REVERE) demo --if-empty
	$(REVERE) snapshot --schedule
	@echo ""
	@echo "  Revere is at http://$(HOST):$(PORT)/"
	@$(REVERE) demo_logins
	@echo ""
	$(REVERE) db_worker --interval 2 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(REVERE) runserver $(HOST):$(PORT)

test: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy revere config
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
