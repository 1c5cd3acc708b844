# Siris production image: one image for web (gunicorn), Celery workers, beat and migrations.
# See docker-compose.yml for the topology and docs/topology.md for how to run and scale it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SIRIS_DATA_DIR=/data \
    MEDIA_ROOT=/data/media

# WeasyPrint (dossier PDFs) needs Pango, HarfBuzz subsetting and at least one font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 siris \
    && useradd --system --uid 10001 --gid siris --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin siris

WORKDIR /app

# Dependencies first, so a source change does not reinstall them. pyproject.toml declares
# `packages = []`: installing "." installs the runtime dependencies and no code.
COPY pyproject.toml ./
RUN pip install --no-cache-dir .

COPY . .

# Settings refuse to import without these; the values exist for this one command only and are
# not baked into the image. The real ones come from the environment at run time.
RUN SECRET_KEY=build DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput

# Code and static files stay root-owned (read-only for the app); only the data folder is writable.
# A fresh named volume mounted at /data/media inherits this ownership.
RUN mkdir -p /data/media && chown -R siris:siris /data

USER siris

EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn siris.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
