"""Thin Celery tasks: each takes primary keys (or nothing) and calls one service.

The reminders' dispatcher and sender are in notifications/tasks.py."""

from celery import shared_task

from . import services


@shared_task(name="meetings.refresh_meetings", ignore_result=True)
def refresh_meetings() -> int:
    return services.meetings_refresh()
