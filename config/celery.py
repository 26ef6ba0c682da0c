import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("cocharter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="cocharter.ping")
def ping() -> str:
    """Answers "pong": lets operators and tests check that a worker consumes the queue."""
    return "pong"
