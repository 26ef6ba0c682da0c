"""Queues Celery tasks by name, so services never import their own tasks module (the
tasks call the services; the services only name the tasks)."""

import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

DISPATCH_DUE = "notifications.dispatch_due_reminders"
SEND = "notifications.send_reminder"


def enqueue(name: str, argument_lists: Iterable[tuple]) -> int:
    """Queues the task once per argument tuple through one producer; stops at the first
    broker failure and swallows it (the rows stay pending and the dispatcher queues them
    again later), so a request never fails because the broker is down."""
    from config.celery import app

    count = 0
    try:
        task = _task(app, name)
        with app.producer_or_acquire() as producer:
            for args in argument_lists:
                task.apply_async(args, producer=producer)
                count += 1
    except Exception:
        logger.exception("Could not queue %s; the dispatcher will try again.", name)
    return count


def _task(app, name: str):
    """The registered task (so eager mode and the task's options apply); the apps'
    tasks modules are imported the first time, as a worker does at start."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]
