"""What the tracker and the check-ins bring to the meetings app: the ideas' follow-up
section on every steering meeting's agenda, and the weekly check-in e-mail sent through
its exactly-once Reminder machinery.

Registered from `ImprovementConfig.ready()` when the meetings app is installed.
"""

from datetime import date, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.agenda import AgendaLine, AgendaSection
from meetings.models import Occurrence, Reminder
from teams.models import Team

from . import selectors
from .models import CheckinReminderOptOut

# Not one of meetings' own kinds: the builder registered below turns it into an e-mail.
CHECKIN_KIND = "checkin"


def follow_up_section(occurrence: Occurrence, previous: Occurrence | None) -> AgendaSection:
    """The ten-minute follow-up slot: each owner's ideas, what moved since the previous
    meeting, and the ideas without movement for too long (two queries)."""
    team = occurrence.meeting.team
    since = previous.starts_at if previous else occurrence.starts_at - timedelta(days=7)
    lines = []
    for group in selectors.follow_up(team=team, since=since):
        for idea in group.ideas:
            if idea.is_stale:
                status, label = "warning", _("no movement")
            elif idea.changes_since:
                status, label = "ok", _("moved")
            else:
                status, label = "", ""
            lines.append(
                AgendaLine(
                    text=f"{idea.title} — {group.owner}",
                    note=f"{idea.get_phase_display()}"
                    + (f" · {idea.next_step}" if idea.next_step else ""),
                    status=status,
                    status_label=label,
                    url=reverse("improvement:idea", args=[team.slug, idea.pk]),
                )
            )
    return AgendaSection(
        key="ideas",
        title=_("Ideas follow-up (about ten minutes)"),
        lines=lines,
        empty=_("No idea to follow up."),
        order=60,
    )


def checkin_subject(team: Team, week: date) -> str:
    return f"checkin:{team.pk}:{week.isoformat()}"


def checkin_reminders_queue(*, team: Team, week: date, user_ids: list[int], due_at) -> int:
    """One Reminder row per person and week: unique, so planning twice queues once."""
    rows = [
        Reminder(user_id=pk, kind=CHECKIN_KIND, subject=checkin_subject(team, week), due_at=due_at)
        for pk in user_ids
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def checkin_message(reminder: Reminder):
    """The weekly check-in e-mail, or None when it is no longer needed (the person
    answered, turned it off or left the team, or the charter has no point)."""
    try:
        _kind, team_pk, week = reminder.subject.split(":")
        week = date.fromisoformat(week)
    except ValueError:
        return None
    team = Team.objects.filter(pk=team_pk, memberships__user=reminder.user_id).first()
    if team is None or CheckinReminderOptOut.objects.filter(team=team, user=reminder.user_id):
        return None
    points = list(selectors.current_points(team=team))
    answered = selectors.my_checkins(team=team, user=reminder.user, week=week)
    if not points or len(answered) >= len(points):
        return None
    context = {
        "team": team,
        "person": reminder.user,
        "points": points,
        "url": settings.SITE_URL + reverse("improvement:checkin", args=[team.slug]),
    }
    subject = render_to_string("improvement/email/checkin_subject.txt", context).strip()
    return subject, render_to_string("improvement/email/checkin_body.txt", context), []


def register() -> None:
    from meetings import agenda, emails

    agenda.register(follow_up_section)
    emails.register_builder(CHECKIN_KIND, checkin_message)
