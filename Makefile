# sendplan: one entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
INSTALLED := $(VENV)/.installed

.PHONY: help run test test-sqlite lint bench demo-code migrate seed worker beat clean vendor load

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(INSTALLED): requirements/dev.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@touch $@

run: $(INSTALLED) ## Run the app on SQLite with demo data, tasks in-process, at http://127.0.0.1:8000/
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo
	@echo "  sendplan is running at http://127.0.0.1:$(PORT)/"
	@echo "  Sign in as senco@northmere-primary.example, password demo-password-2026;"
	@echo "  for the authentication code run: make demo-code"
	@echo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite runs against real services: PostgreSQL and Redis on this machine's default ports, a
# real Celery worker and Debian's Chromium. A missing service fails the run (REQUIRE_SERVICES=1).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sendplan
TEST_REDIS_URL ?= redis://127.0.0.1:6379/9

test: $(INSTALLED) ## Run the whole test suite on PostgreSQL, Redis, a Celery worker and Chromium
	DEBUG=1 $(VENV)/bin/ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) REQUIRE_SERVICES=1 \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

test-sqlite: $(INSTALLED) ## A quick partial run on SQLite: skips what needs PostgreSQL, Redis or Chromium
	DEBUG=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(INSTALLED) ## Lint and check formatting
	$(VENV)/bin/ruff check .

bench: $(INSTALLED) ## Print performance figures (not a test)
	DEBUG=1 $(PY) scripts/bench.py
	@# The LA pages at 600 schools on PostgreSQL (BENCH_DATABASE_URL, default sendplan_bench, generated once)
	DEBUG=1 $(PY) scripts/bench_la.py

# The production shape on loopback (gunicorn, Celery worker and beat, PostgreSQL, Redis) under a bounded
# locust scenario on generated data at 600 schools; fails on any error or any rating not stored.
# LOAD_DATABASE_URL / LOAD_REDIS_URL choose the services; SCALE_OUT=1 splits the web tier in two processes.
load: $(INSTALLED) ## Load test: 50 people for 60 s on 600 schools; prints the figures (docs/performance.md)
	SCALE_OUT=$(SCALE_OUT) $(PY) scripts/load.py

demo-code: $(INSTALLED) ## Print the demo accounts' current authentication code
	@DEBUG=1 $(PY) manage.py demo_code

worker: $(INSTALLED) ## Run a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A sendplan worker --loglevel=INFO --concurrency=2

beat: $(INSTALLED) ## Run Celery beat: the daily reminders and daily emails (needs REDIS_URL)
	$(VENV)/bin/celery -A sendplan beat --loglevel=INFO --schedule=var/celerybeat-schedule

vendor: ## Re-vendor GOV.UK Frontend at the pinned version (needs npm)
	python3 scripts/vendor_govuk_frontend.py

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var staticfiles
