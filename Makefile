# Two commands do everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The tests run with DEBUG off, as production does: they need a secret (not a real one), and the
# live server of the browser tests speaks plain HTTP.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-production-0123456789abcdefghij \
	DJANGO_SECURE_SSL_REDIRECT=false

.PHONY: run test install install-dev browser-deps migrate demo lint format bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo

# Web, Celery worker and beat in one foreground command; Ctrl-C stops all three.
run: demo
	@echo "Serving http://127.0.0.1:$${PROSECUTION_PORT:-8000} (demo password: see README.md)"
	DJANGO_DEBUG=true exec $(BIN)/honcho --procfile Procfile.dev start

# The suite runs on every core (pytest-xdist, -n auto); `make test PARALLEL=` runs it in one
# process, and PYTEST_ARGS comes after it (`PYTEST_ARGS="-n 0 tests/prosecution/terms/test_terms.py"` works too).
# --dist load, not loadscope/loadfile/loadgroup: those key the tests by node id, which the
# schemathesis cases share (tests/conftest.py refuses them); tests/isolation.py explains the rest.
PARALLEL ?= -n auto --dist load

test: install-dev browser-deps
	$(TEST_ENV) $(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

# Chromium for the browser tests, through apt-get where the machine allows it; where it does not,
# the browser tests are skipped and the run says why on its first lines (.ci/browser_deps).
browser-deps:
	@.ci/browser_deps

# mypy's Django plugin imports the settings, which want a secret with DEBUG off (TEST_ENV).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy prosecution appeals legal_statistics supervision acts

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every benchmark (bench/README.md): the calendar on a throwaway SQLite database, the dashboard on
# the PostgreSQL of BENCH_DATABASE_URL (BENCH_N terms, default 100000), the audit log's cost on
# that of BENCH_AUDIT_DATABASE_URL, supervision's public lookup and register queue on that of
# BENCH_SUPERVISION_DATABASE_URL, an act's PDF next to WeasyPrint's minimal page (SQLite), the
# annual appeals report at a million appeals on that of BENCH_REPORTS_DATABASE_URL.
bench: install-dev
	$(TEST_ENV) $(BIN)/python bench/bench_workdays.py
	$(TEST_ENV) $(BIN)/python bench/bench_dashboard.py
	$(TEST_ENV) $(BIN)/python bench/bench_audit.py
	$(TEST_ENV) $(BIN)/python bench/bench_supervision.py
	$(TEST_ENV) $(BIN)/python bench/bench_documents.py
	$(TEST_ENV) $(BIN)/python bench/bench_reports.py

# Needs GNU gettext; the compiled catalogues are committed so that `make run` does not.
messages: install-dev
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l kk -l ru -l en --no-obsolete \
		--ignore=.venv --ignore=var --ignore=staticfiles
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/db.sqlite3 var/audit-anchors.jsonl var/broker staticfiles
