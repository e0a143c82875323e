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
# the Django suites run on this many processes (pytest-xdist; each has its own test database)
TEST_JOBS ?= 2

LANGUAGE_CODES := en fr es ru az ar
# the catalogues are compiled at install and never committed (docs/architecture.md, "Languages")
PO_FILES := $(wildcard src/waypoint/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help install install-runtime demo serve test lint messages catalogues format typecheck importlint test-sqlite test-postgres system-packages clean bench-schedule bench-trs bench-trs-spark bench-training bench-documents bench-web bench-workshop bench-logframe test-engines

help:
	@echo "make demo       install, build the demo administration, serve it on http://127.0.0.1:$(PORT)"
	@echo "make test       install, lint, type-check, import contract, tests on SQLite and PostgreSQL"
	@echo "make messages   refresh every language's catalogue from the code (then translate what is new)"
	@echo "make lint | typecheck | importlint | test-sqlite | test-postgres"

# the development install has the spark extra, which the Spark agreement test needs
# (tests/engine/trs/test_spark.py); the demo's runtime install below never has it
.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --extra spark
	@touch $@

install: .venv/.installed $(MO_FILES)

%.mo: %.po
	msgfmt --check-format -o $@ $<

# every string marked in the code and templates into every language's catalogue (new ones
# untranslated, changed ones fuzzy: the catalogue test fails until a translator has seen them)
messages: install
	cd src/waypoint && $(RUN) waypoint makemessages --add-location=file --ignore=.venv --ignore='*/static/vendor/*' \
		$(foreach code,$(LANGUAGE_CODES),-l $(code))
	$(MAKE) catalogues

catalogues: $(MO_FILES)

# runtime packages only (inexact: a development install next to it is left as it is)
.venv/.runtime: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --no-dev --inexact
	@touch $@

install-runtime: .venv/.runtime $(MO_FILES)

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
	$(RUN) mypy src tests benchmarks

importlint: install
	$(RUN) lint-imports

# the engines never touch Django: they run once, without it; the scheduler must keep every
# line covered and the training allocation 95 %; the Django suite then runs on SQLite and on
# PostgreSQL. The system packages bring the Java runtime the Spark agreement test needs
# (tests/engine/trs/test_spark.py)
test-engines: install system-packages
	$(RUN) pytest -q -p no:django -p no:cacheprovider -W "ignore::pytest.PytestConfigWarning" tests/engine \
		--cov=waypoint.engine --cov-report=
	$(RUN) coverage report --show-missing --skip-covered --include='*/engine/scheduling/*' --fail-under=100
	$(RUN) coverage report --show-missing --skip-covered --include='*/engine/training/*' --fail-under=95

test-sqlite: install system-packages
	$(RUN) pytest -q -n $(TEST_JOBS) --dist worksteal --durations=20 --ignore=tests/engine

# the browser tests drive the same views through chromium: they run once, on SQLite; on
# PostgreSQL the rest of the suite covers what differs (locks, transactions, types)
test-postgres: install system-packages
	tools/with-postgres.sh $(RUN) pytest -q -n $(TEST_JOBS) --dist worksteal --durations=20 -p no:cacheprovider --ignore=tests/engine -m "not browser"

test: lint typecheck importlint test-engines test-sqlite test-postgres
	@echo "All checks passed."

# PSPLIB j30 (all 480) and j120 (SAMPLE instances, an hour or more; all 600 take about six),
# generated roadmaps of 100 to 3,000 activities (Waypoint and plain CP-SAT, about a quarter of an
# hour), then `waypoint schedule --time-limit` as a whole process; figures go to
# docs/benchmarks.md. PSPLIB_DIR overrides ../shared/data/psplib.
SAMPLE ?= 120
bench-schedule: install
	$(RUN) python -m benchmarks.schedule --sets j30
	$(RUN) python -m benchmarks.schedule --sets j120 --sample $(SAMPLE)
	$(RUN) python -m benchmarks.schedule --sets roadmap
	$(RUN) python -m benchmarks.schedule --sets cli

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

# the demo's strategic plan (PDF, DOCX), a progress report and the plan workbook, time and
# memory, on the demo database of this checkout (built first when missing); docs/benchmarks.md
bench-documents: install system-packages
	@test -f var/waypoint.sqlite3 || ($(RUN) waypoint migrate --no-input && $(RUN) waypoint demo)
	$(RUN) waypoint migrate --no-input -v 0
	$(RUN) python -m benchmarks.documents

# the demo plan's own logframe export read back as a new plan through a column mapping (the
# preview, then the whole import rolled back), on the demo database of this checkout; docs/benchmarks.md
bench-logframe: install
	@test -f var/waypoint.sqlite3 || ($(RUN) waypoint migrate --no-input && $(RUN) waypoint demo)
	$(RUN) waypoint migrate --no-input -v 0
	$(RUN) python -m benchmarks.logframe_import

# Training allocation on generated workforces of 500–5,000 officers: the CP-SAT optimiser against
# the greedy plan it starts from (same run), every plan checked against budget, seats and
# continuity; figures go to docs/benchmarks.md.
bench-training: install
	$(RUN) python -m benchmarks.training
# every main page at demo size and on a generated plan ten times the demo (server time, queries,
# HTML size, ratios to the plan list), then 100 signed-in users on loopback for LOAD_MINUTES;
# its own installation in var/bench/web (built once); figures go to docs/benchmarks.md
LOAD_MINUTES ?= 10
LOAD_USERS ?= 100
bench-web: install
	$(RUN) python -m benchmarks.web setup
	$(RUN) python -m benchmarks.web pages --repeats 5
	$(RUN) python -m benchmarks.web load --users $(LOAD_USERS) --minutes $(LOAD_MINUTES) --think 5,15

clean:
	rm -rf .venv var/static .pytest_cache .mypy_cache .ruff_cache
