FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 cocharter
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY accounts ./accounts
COPY teams ./teams
COPY facilitation ./facilitation
COPY charter ./charter
COPY indicators ./indicators
COPY meetings ./meetings
COPY improvement ./improvement
COPY streams ./streams
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && chown -R cocharter /app
USER cocharter
EXPOSE 8000
# Sync workers, meant to sit behind the buffering proxy of docker-compose.yml
# (config/gunicorn.py); WEB_WORKER_CLASS=gthread without one.
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.py"]
