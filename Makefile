# One entry point for development, the same steps CI runs (.ci/run).
#   make check      lint + types + tests (what CI runs, engine tests skipped without an engine)
#   make engine     build (or reuse) the Pulumi engine for the engine tests
#   make ci         what .ci/run does after installing: engine, lint, types, all tests
#   make bench      the offline benchmarks at small sizes
PYTHON ?= .venv/bin/python
VENV_BIN := $(dir $(PYTHON))

.PHONY: lint types test check engine ci bench

lint:
	$(VENV_BIN)ruff check .

types:
	$(VENV_BIN)mypy

test:
	$(PYTHON) -m pytest

check: lint types test

engine:
	@.ci/engine/build.sh $(PYTHON)

ci: lint types
	TENANTCFG_ENGINE="$$(.ci/engine/build.sh $(PYTHON))" $(PYTHON) -m pytest

bench:
	$(PYTHON) bench/run.py --sizes 10,100 --repeat 1
