# Targets a newcomer guesses. Everything runs from the project's own virtualenv (.venv),
# installed from constraints.txt, so what the tests use is what the Lambda build ships.
include layers/python.mk
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: setup test lint format bench demo build lock clean tools validate size-check lock-tools

setup: $(STAMP)  ## create .venv with every pinned dependency and the aktina-ml command

$(STAMP): pyproject.toml constraints.txt
	$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null \
		|| $(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

test: setup  ## the whole suite: unit, integration (real MariaDB, moto S3), contract
	$(BIN)/pytest

lint: setup  ## ruff lint and format check, mypy (strict, pyproject.toml), complexity gate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/xenon $(COMPLEXITY) shared functions

# Cyclomatic complexity (radon ranks): no block above C (≤ 20), no module above B, average A.
COMPLEXITY := --max-absolute C --max-modules B --max-average A

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## benchmarks: print figures, compare alternatives
	PYTHONPATH=shared:. $(BIN)/python -m bench $(SUITES)

demo: setup  ## demo data → train both models → API + preview page on 127.0.0.1:8000 (DEMO_ARGS="--port 9000")
	$(BIN)/aktina-ml demo $(DEMO_ARGS)

lock:  ## re-pin constraints.txt from a fresh resolve of pyproject.toml
	rm -rf /tmp/aktina-lock && $(PYTHON) -m venv /tmp/aktina-lock
	/tmp/aktina-lock/bin/pip install --quiet ".[dev]"
	( head -2 constraints.txt; /tmp/aktina-lock/bin/pip freeze --exclude aktina-ml ) > constraints.new
	mv constraints.new constraints.txt

# --- Deployment: SAM CLI and cfn-lint live in their own virtualenv (.venv-tools), pinned in
# requirements-tools.txt: aws-sam-cli pins boto3 and pydantic versions that conflict with
# constraints.txt. The Lambda packages themselves are built from constraints.txt
# (layers/Makefile), so what ships is what the tests use.
TOOLS_VENV  := .venv-tools
TOOLS       := $(TOOLS_VENV)/bin
TOOLS_STAMP := $(TOOLS_VENV)/.installed-$(shell cksum < requirements-tools.txt | cut -d' ' -f1)
export SAM_CLI_TELEMETRY = 0

tools: $(TOOLS_STAMP)  ## .venv-tools with the pinned SAM CLI and cfn-lint

$(TOOLS_STAMP): requirements-tools.txt
	$(TOOLS)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null \
		|| $(PYTHON) -m venv --clear $(TOOLS_VENV)
	$(TOOLS)/pip install --quiet --disable-pip-version-check -r requirements-tools.txt
	rm -f $(TOOLS_VENV)/.installed-* && touch $@

# The layers are built and byte-compiled with $(PYTHON); SAM looks for python3.13 on PATH.
build: tools  ## sam build: layers (layers/Makefile) and functions into .aws-sam/build
	PATH="$(dir $(PYTHON)):$$PATH" PYTHON=$(PYTHON) $(TOOLS)/sam build

validate: tools  ## sam validate --lint and cfn-lint on template.yaml (offline)
	$(TOOLS)/sam validate --lint
	$(TOOLS)/cfn-lint template.yaml

size-check: setup  ## fail when a built function plus its layers exceeds 250 MB unzipped
	$(BIN)/python -m scripts.package_size

lock-tools:  ## re-pin requirements-tools.txt from a fresh resolve
	rm -rf /tmp/aktina-tools-lock && $(PYTHON) -m venv /tmp/aktina-tools-lock
	/tmp/aktina-tools-lock/bin/pip install --quiet aws-sam-cli cfn-lint
	( head -4 requirements-tools.txt; /tmp/aktina-tools-lock/bin/pip freeze ) > requirements-tools.new
	mv requirements-tools.new requirements-tools.txt

clean:
	rm -rf $(VENV) $(TOOLS_VENV) .aws-sam .pytest_cache .ruff_cache var
