import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("cocharter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    """Between tasks, like between requests: drop connections that broke or outlived
    CONN_MAX_AGE, keep the others (see CELERY_DB_REUSE_MAX in settings). Not for eager
    tasks, which run inside their caller's transaction."""
    if task is None or task.request.is_eager:
        return
    from django.db import close_old_connections

    close_old_connections()


@app.task(name="cocharter.ping")
def ping() -> str:
    """Answers "pong": lets operators and tests check that a worker consumes the queue."""
    return "pong"
