# Siang: `make dev` runs the whole system locally; `make test` runs every test.
# Both set everything up on a fresh machine (Python venv, Kafka jars, SecantusDB).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | sha256sum | cut -c1-16)
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

.PHONY: help install system browser axe dev infra-up infra-down infra-status test test-unit test-integration lint format bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e ".[dev]"
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) ## create the venv and install Siang with its dev tools

infra-up: install ## start the local Kafka (KRaft) and SecantusDB, or reuse them
	$(BIN)/python -m deploy.local up

infra-down: ## stop the local Kafka and SecantusDB
	@test -x $(BIN)/python && $(BIN)/python -m deploy.local down || true

infra-status: install ## show the local servers, their pids and memory
	$(BIN)/python -m deploy.local status

dev: system infra-up ## run the whole system locally (Ctrl-C stops it)
	$(BIN)/python -m deploy.local.dev

# Debian packages the tests and `make dev` use: a real browser, fonts so Thai renders,
# and the local servers that stand in for the office's own (IMAP...). Add names here.
DEBIAN_PACKAGES := chromium chromium-driver fonts-thai-tlwg dovecot-imapd poppler-utils prometheus
DEBIAN_MISSING = $(shell for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)

system: ## the Debian packages in DEBIAN_PACKAGES (needs root or sudo)
	@missing="$(DEBIAN_MISSING)"; test -z "$$missing" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages: $$missing"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

browser: system ## kept for old habits: the same as `make system`

# axe-core, the accessibility checker the browser tests run in each page: the version in
# tests/browser/package-lock.json, installed by npm (the machine's Node.js) into .local/node.
AXE := .local/node/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@mkdir -p .local/node
	cp tests/browser/package.json tests/browser/package-lock.json .local/node/
	cd .local/node && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

axe: $(AXE) ## axe-core for the browser tests' accessibility check (npm ci into .local/node)

test: install system axe ## run every test (starts the real servers it needs)
	$(BIN)/python -m deploy.local up
	$(BIN)/pytest $(PYTEST_ARGS)

test-unit: install ## unit tests only, no servers
	$(BIN)/pytest tests/unit $(PYTEST_ARGS)

test-integration: infra-up ## integration tests against the real Kafka and MongoDB-wire server
	$(BIN)/pytest tests/integration $(PYTEST_ARGS)

lint: install ## ruff (lint and format check), mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared services deploy bench
	$(BIN)/lint-imports

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: infra-up ## run the benchmarks and print their tables (figures go in BENCHMARKS.md)
	@for b in intake workflow notifications reporting pipeline console_queue; do \
	  echo "== bench/$$b.py"; $(BIN)/python -m bench.$$b || exit 1; done

lock: ## re-pin every dependency into requirements.lock
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean: infra-down ## stop the servers and remove local data and caches (keeps the venv)
	rm -rf .local/kafka/data .local/mongo/data .pytest_cache .mypy_cache .ruff_cache
