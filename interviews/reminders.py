"""The interviewer's e-mails, sent through the meetings app's exactly-once reminders
(queued by interviews.services.interview_reminders_plan, the only place that does).

Registered from InterviewsConfig.ready() when the meetings app is installed."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .ical import interview_calendar, interview_url
from .models import Interview
from .services import REMINDER_KIND

ICS_REQUEST = "text/calendar; charset=utf-8; method=REQUEST"


def interview_message(reminder):
    """The invitation (offset 0) or the day-before reminder, with the .ics event; None
    when the interview is no longer planned for that date with that interviewer."""
    try:
        _kind, pk, stamp = reminder.subject.split(":")
        pk, stamp = int(pk), int(stamp)
    except ValueError:
        return None
    interview = (
        Interview.objects.select_related("team", "stakeholder__client_group", "guide")
        .filter(pk=pk, status=Interview.Status.PLANNED, interviewer=reminder.user_id)
        .first()
    )
    if interview is None or int(interview.scheduled_at.timestamp()) != stamp:
        return None
    context = {
        "interview": interview,
        "person": reminder.user,
        "url": interview_url(interview),
        "first": reminder.offset_minutes == 0,
    }
    values = {"group": interview.stakeholder.client_group.name}
    if reminder.offset_minutes == 0:
        subject = _("You are interviewing a client of %(group)s") % values
    else:
        subject = _("Tomorrow: your interview with a client of %(group)s") % values
    body = render_to_string("interviews/email/reminder.txt", context)
    ics = interview_calendar(interview, method="REQUEST")
    return subject, body, [("interview.ics", ics, ICS_REQUEST)]


def register() -> None:
    from meetings import emails

    emails.register_builder(REMINDER_KIND, interview_message)
