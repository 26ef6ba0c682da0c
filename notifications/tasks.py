"""Thin Celery tasks: each takes primary keys (or nothing) and calls one service."""

from smtplib import SMTPException

from celery import shared_task

from . import queue, services


@shared_task(name=queue.DISPATCH_DUE, ignore_result=True)
def dispatch_due_reminders() -> int:
    return services.reminders_dispatch_due()


@shared_task(
    name=queue.SEND,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SMTPException, OSError),
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
)
def send_reminder(reminder_id: int) -> bool:
    return services.reminder_send(reminder_id=reminder_id)
