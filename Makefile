# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LANG_REPORT ?= nl

.PHONY: demo test lint clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## render the report of every organisation in the example data into reports/
	$(BIN)/assess validate data/examples/responses.csv
	$(BIN)/assess demo data/examples/responses.csv --out reports --lang $(LANG_REPORT)

test: $(STAMP)  ## every test: pytest (with doctests and nbval over the notebooks) and ruff
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf reports build .pytest_cache .ruff_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
