# One image for the web process, the Celery worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

# The project runs from its source directory: settings find templates/, static/ and locale/
# through BASE_DIR, so /app must win over the copy `pip install .` puts in site-packages
# (celery -A only puts the working directory on sys.path while it imports the app module).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# WeasyPrint loads Pango, HarfBuzz (and its subsetter) and fontconfig with dlopen; the wheels do not
# bundle them. DejaVu covers Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і) as well as Russian and Latin.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from pyproject.toml alone (no package matches yet, so this builds an empty
# distribution carrying only the requirements): the layer is rebuilt when they change, not on
# every change of code.
COPY pyproject.toml ./
RUN pip install . && rm -rf build ./*.egg-info

# The source, named one by one: there is no .dockerignore, and the build context also holds
# .venv/, var/ (the development database and broker) and whatever else a developer keeps there.
COPY manage.py ./
COPY prosecution ./prosecution
COPY appeals ./appeals
COPY supervision ./supervision
COPY acts ./acts
COPY legal_statistics ./legal_statistics
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN pip install --no-deps --force-reinstall . && rm -rf build ./*.egg-info

# Static files are collected into the image; WhiteNoise serves them. The settings refuse to load
# without a real secret when DEBUG is off, so this one step gets a throwaway key that exists only
# in it (never at run time), and a scratch var/ so that nothing root-owned is left in /app/var.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-only-collectstatic-key-never-used-at-run-time-0123456789 \
    DJANGO_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# An unprivileged user that cannot change the code. /app/var (media, beat schedule) is created here
# with its owner so that a new named volume mounted on it starts with the same ownership.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /app app \
    && mkdir -p /app/var \
    && chown app:app /app/var
USER app

EXPOSE 8000
CMD ["gunicorn", "prosecution.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
