# sendplan web and worker image (Debian 12, Python 3.11, WeasyPrint's system libraries).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 sendplan
WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock
COPY . .
# In production the settings refuse to start without SECRET_KEY, a mail backend that keeps no links and
# TRUSTED_PROXY_COUNT; collecting static files uses none of them.
RUN DEBUG=0 SECRET_KEY=collectstatic-only TRUSTED_PROXY_COUNT=0 \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend python manage.py collectstatic --noinput \
 && mkdir -p /data/private && chown -R sendplan /data
USER sendplan
EXPOSE 8000
CMD ["gunicorn", "sendplan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket", "--access-logfile", "-"]
