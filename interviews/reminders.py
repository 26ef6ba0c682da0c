"""The client voice's e-mails, sent through the notifications app's exactly-once outbox:
the interviewer's (queued by interviews.services.interview_reminders_plan, the only
place that does) and the stakeholder's follow-up (interviews.services.followup_send).

Registered from InterviewsConfig.ready()."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications import emails

from .ical import interview_calendar, interview_url
from .models import Interview
from .services import FOLLOW_UP_KIND, REMINDER_KIND

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


def follow_up_message(reminder):
    """The stakeholder's "you said, we did" e-mail, in their language: only the team's
    message and the point or idea it led to."""
    from charter.models import CharterPoint

    from .models import FollowUp

    try:
        pk = int(reminder.subject.split(":")[1])
    except (IndexError, ValueError):
        return None
    follow_up = FollowUp.objects.select_related("stakeholder__team").filter(pk=pk).first()
    if follow_up is None or follow_up.stakeholder.is_erased:
        return None
    stakeholder = follow_up.stakeholder
    point = None
    if follow_up.point_lineage:
        point = (
            CharterPoint.objects.filter(lineage=follow_up.point_lineage)
            .order_by("-version__number")
            .first()
        )
    with translation.override(stakeholder.language or settings.LANGUAGE_CODE):
        context = {
            "stakeholder": stakeholder,
            "team": stakeholder.team,
            "follow_up": follow_up,
            "point": point,
        }
        subject = _("What we changed since our conversation · %(team)s") % {
            "team": stakeholder.team.name
        }
        body = emails.render_text("interviews/email/follow_up.txt", context)
    return subject, body, []


def register() -> None:
    emails.register_builder(REMINDER_KIND, interview_message)
    emails.register_builder(FOLLOW_UP_KIND, follow_up_message)
