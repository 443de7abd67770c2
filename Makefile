# make serve | make build | make test | make bench — each sets up what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup serve build test bench surface fuzz check clean

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml hooks/pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[site,test]' -e ./hooks
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium

serve: setup
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(VENV)/bin/mkdocs build --strict

test: setup $(CHROMIUM)
	$(VENV)/bin/pytest

bench: setup $(CHROMIUM)
	$(PY) benchmarks/boot.py
	$(PY) benchmarks/embed_cost.py

surface: setup $(CHROMIUM)
	$(PY) benchmarks/surface.py

clean:
	rm -rf site build artifacts .pytest_cache .hypothesis

fuzz: setup
	$(PY) benchmarks/fuzz.py --count 100000
