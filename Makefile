# Pintu: two commands for a fresh clone — `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench stop clean-data help

help:
	@echo "make demo   - run the whole platform on embedded services (http://localhost:8000)"
	@echo "make test   - run the whole test suite"
	@echo "make bench  - run the benchmarks in bench/ (ratios; quick: make bench BENCH_ARGS='--regencies 50')"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

demo: $(STAMP)
	$(PY) deploy/demo.py

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/provision.py $(BENCH_ARGS)
	$(PY) bench/migrate_noop.py $(BENCH_ARGS)
	$(PY) bench/dashboard.py $(BENCH_ARGS)
	$(PY) bench/routing.py
	$(PY) bench/applications.py

clean-data:
	rm -rf var
