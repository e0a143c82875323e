# Waypoint — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
RUN := $(UV) run --frozen
# the demo needs only what the application runs on, not the development toolchain
RUN_APP := $(UV) run --frozen --no-dev
export WAYPOINT_HTTPS ?= 0

.PHONY: help install install-runtime demo serve test lint format typecheck importlint test-sqlite test-postgres system-packages clean bench-schedule bench-trs bench-trs-spark bench-workshop test-engines

help:
	@echo "make demo       install, build the demo administration, serve it on http://127.0.0.1:$(PORT)"
	@echo "make test       install, lint, type-check, import contract, tests on SQLite and PostgreSQL"
	@echo "make lint | typecheck | importlint | test-sqlite | test-postgres"

# the development install has the spark extra, which the Spark agreement test needs
# (tests/engine/trs/test_spark.py); the demo's runtime install below never has it
.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --extra spark
	@touch $@

install: .venv/.installed

# runtime packages only (inexact: a development install next to it is left as it is)
.venv/.runtime: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

install-runtime: .venv/.runtime

demo: install-runtime
	$(RUN_APP) waypoint migrate --no-input
	$(RUN_APP) waypoint demo
	$(RUN_APP) waypoint collectstatic --no-input -v 0
	$(RUN_APP) waypoint serve --port $(PORT)

serve: install-runtime
	$(RUN_APP) waypoint serve --port $(PORT)

system-packages:
	@tools/ensure-system-packages.sh

lint: install
	$(RUN) ruff check --output-format concise src tests tools
	$(RUN) ruff format --check src tests tools

format: install
	$(RUN) ruff check --fix src tests tools
	$(RUN) ruff format src tests tools

typecheck: install
	$(RUN) mypy src tests

importlint: install
	$(RUN) lint-imports

# the engines never touch Django: they run once, without it, and the scheduler must keep
# every line covered; the Django suite then runs on SQLite and on PostgreSQL. The system
# packages bring the Java runtime the Spark agreement test needs (tests/engine/trs/test_spark.py)
test-engines: install system-packages
	$(RUN) pytest -q -p no:django -p no:cacheprovider -W "ignore::pytest.PytestConfigWarning" tests/engine \
		--cov=waypoint.engine.scheduling --cov-report=term-missing:skip-covered --cov-fail-under=100

test-sqlite: install system-packages
	$(RUN) pytest -q --ignore=tests/engine

test-postgres: install system-packages
	tools/with-postgres.sh $(RUN) pytest -q -p no:cacheprovider --ignore=tests/engine

test: lint typecheck importlint test-engines test-sqlite test-postgres
	@echo "All checks passed."

# PSPLIB j30 (all 480) and j120 (SAMPLE instances; all 600 take about ten hours), then generated
# roadmaps; figures go to docs/benchmarks.md. PSPLIB_DIR overrides ../shared/data/psplib.
SAMPLE ?= 40
bench-schedule: install
	$(RUN) python -m benchmarks.schedule --sets j30
	$(RUN) python -m benchmarks.schedule --sets j120 --sample $(SAMPLE)
	$(RUN) python -m benchmarks.schedule --sets roadmap

# TRS report on 0.1–10 million generated declarations (data cached in var/bench/trs), against
# pandas on the sizes it can hold; figures go to docs/benchmarks.md.
bench-trs: install
	$(RUN) python -m benchmarks.trs

# a workshop under load: 100 guests adding notes and dots within a minute against `waypoint serve`
# on 127.0.0.1; every note and dot counted afterwards, vote-to-screen time; docs/benchmarks.md
bench-workshop: install
	$(RUN) python -m benchmarks.workshop

# the same report on DuckDB and on Spark in local mode, 1 million declarations; docs/benchmarks.md
bench-trs-spark: install
	$(RUN) python -m benchmarks.trs_spark

clean:
	rm -rf .venv var/static .pytest_cache .mypy_cache .ruff_cache
