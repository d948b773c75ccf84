# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LANG_REPORT ?= nl

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint clean setup system-deps

setup: $(STAMP)

# Chromium prints PDFs (assess batch --format pdf); poppler's pdftoppm checks them in the tests;
# PostgreSQL's server runs the norm store's tests (tests/norms); node's npm installs axe-core for
# the accessibility audit (tests/report/test_accessible.py). apt-get only when one is missing.
PG_INITDB = $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
system-deps:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && [ -n "$(PG_INITDB)" ] \
	  && command -v npm >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq chromium poppler-utils postgresql nodejs npm )

# axe-core (Deque's accessibility rules engine) from npm, run by the tests in headless Chromium
AXE := build/axe/node_modules/axe-core/axe.min.js
$(AXE): | system-deps
	mkdir -p build/axe
	cd build/axe && npm install --no-audit --no-fund --silent axe-core@4

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## render every organisation's report, the overview and index into reports/; a norm store in build/
	$(BIN)/assess validate data/examples/responses.csv
	$(BIN)/assess batch data/examples/responses.csv --out reports --lang $(LANG_REPORT)
	$(BIN)/assess store data/examples/responses.csv --db build/norms.duckdb --label examples --salt-in-store
	@echo "Open $(CURDIR)/reports/index.html"

test: $(STAMP) system-deps $(AXE)  ## every test: the import contracts, pytest (doctests, nbval over the notebooks) and ruff
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

lint: $(STAMP)  ## the import contracts (docs/architecture.md) and ruff
	$(BIN)/lint-imports
	$(BIN)/ruff check .

clean:
	rm -rf reports build .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

.PHONY: notebooks
notebooks: $(STAMP)  ## execute every teaching notebook; read-only HTML copies in build/notebooks/
	$(BIN)/jupyter nbconvert --execute --to html --output-dir build/notebooks/nl notebooks/teaching/nl/*.ipynb
	$(BIN)/jupyter nbconvert --execute --to html --output-dir build/notebooks/en notebooks/teaching/en/*.ipynb
