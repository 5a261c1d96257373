# Targets a newcomer guesses. Everything runs from the project's own virtualenv (.venv),
# installed from constraints.txt, so what the tests use is what the Lambda build ships.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: setup test lint format bench demo build lock clean

setup: $(STAMP)  ## create .venv with every pinned dependency and the aktina-ml command

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

test: setup  ## the whole suite: unit, integration (real MariaDB, moto S3), contract
	$(BIN)/pytest

lint: setup  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## benchmarks: print figures, compare alternatives
	PYTHONPATH=shared:. $(BIN)/python -m bench $(SUITES)

demo: setup  ## demo dataset CSVs in var/demo (DEMO_ARGS="--mysql-url URL --create-schema" to load)
	$(BIN)/aktina-ml demo-data --out var/demo $(DEMO_ARGS)

lock:  ## re-pin constraints.txt from a fresh resolve of pyproject.toml
	rm -rf /tmp/aktina-lock && $(PYTHON) -m venv /tmp/aktina-lock
	/tmp/aktina-lock/bin/pip install --quiet ".[dev]"
	( head -2 constraints.txt; /tmp/aktina-lock/bin/pip freeze --exclude aktina-ml ) > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .ruff_cache var
