from celery import shared_task

from . import emails, services


@shared_task(name="improvement.send_gap_summary")
def send_gap_summary(meeting_id: int) -> None:
    emails.gap_summary_send(meeting_id=meeting_id)


@shared_task(name="improvement.plan_checkin_reminders")
def plan_checkin_reminders() -> None:
    services.checkin_reminders_plan()


@shared_task(name="improvement.record_checkin_indicators")
def record_checkin_indicators(team_id: int, week: str) -> None:
    services.checkin_indicators_record_for(team_id=team_id, week=week)
