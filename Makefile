# One entry point for development, the same steps CI runs (.ci/run).
#   make check      lint + types + import contracts + tests (engine tests skipped without one)
#   make engine     build (or reuse) the Pulumi engine for the engine tests
#   make ci         what .ci/run does after installing: engine, lint, types, all tests
#   make bench      the offline benchmarks at small sizes
PYTHON ?= .venv/bin/python
VENV_BIN := $(dir $(PYTHON))

.PHONY: lint types imports test check engine ci bench

lint:
	$(VENV_BIN)ruff check .
	$(VENV_BIN)ruff format --check .

imports:
	$(VENV_BIN)lint-imports

types:
	$(VENV_BIN)mypy

test:
	$(PYTHON) -m pytest

check: lint types imports test

engine:
	@.ci/engine/build.sh $(PYTHON)

ci: lint types imports
	TENANTCFG_ENGINE="$$(.ci/engine/build.sh $(PYTHON))" $(PYTHON) -m pytest

bench:
	$(PYTHON) bench/run.py --sizes 10,100 --repeat 1
