# The service's image: runtime.lock installed with its hashes (no development tool), WeasyPrint's
# system libraries, the GOV.UK Frontend assets built and collected, run as a non-root user.
# Build: docker build -t inspectorate .   Run: see compose.yaml and README "Running in production".

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.mjs scripts/
COPY static static
RUN node scripts/build-assets.mjs

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=inspectorate.settings_production
# WeasyPrint (Pango, HarfBuzz with subsetting, fonts), pg_dump/pg_restore for backups (the
# client's major version must not be older than the server's: compose runs PostgreSQL 15).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin inspectorate
WORKDIR /app
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --require-hashes --no-deps -r requirements/runtime.lock && pip check
COPY manage.py pyproject.toml ./
COPY inspectorate inspectorate
COPY templates templates
COPY static static
COPY --from=assets /build/static/build static/build
# collectstatic needs the production settings' three required values; none is used at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    DJANGO_ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://nobody@db.invalid/none \
    python manage.py collectstatic --no-input --verbosity 0 \
 && mkdir -p /backups && chown inspectorate /backups
USER inspectorate
EXPOSE 8000
CMD ["gunicorn", "inspectorate.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-class", "sync", "--timeout", "120", "--graceful-timeout", "10", \
     "--access-logfile", "-", "--no-control-socket"]
