from celery import shared_task

from . import services


@shared_task(name="improvement.plan_checkin_reminders")
def plan_checkin_reminders() -> None:
    services.checkin_reminders_plan()


@shared_task(name="improvement.record_checkin_weeks")
def record_checkin_weeks() -> None:
    services.checkin_weeks_record()
