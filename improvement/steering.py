"""What the tracker, the check-ins and gap analysis bring to the meetings app: the ideas'
follow-up section on every steering meeting's agenda, and the weekly check-in and
gap-analysis summary e-mails, sent once each by the outbox (notifications/, with
the check-ins coming next listed on the person's My reminders page).

Registered from `ImprovementConfig.ready()` when the meetings app is installed.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.agenda import AgendaLine, AgendaSection
from meetings.models import Occurrence
from meetings.selectors import Upcoming
from notifications import emails
from notifications.models import Reminder
from teams.models import Team

from . import selectors
from .models import CheckinReminderOptOut, CheckinSettings, GapMeeting, Step

CHECKIN_KIND = Reminder.Kind.CHECKIN
GAP_SUMMARY_KIND = Reminder.Kind.GAP_SUMMARY


def follow_up_section(occurrence: Occurrence, previous: Occurrence | None) -> AgendaSection:
    """The ten-minute follow-up slot: each owner's ideas, what moved since the previous
    meeting (or the slot held since), and the ideas without movement for too long."""
    team = occurrence.meeting.team
    since = selectors.follow_up_since(team=team, occurrence=occurrence, previous=previous)
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


# Weekly check-ins


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
    subject = emails.render_text("improvement/email/checkin_subject.txt", context).strip()
    return subject, emails.render_text("improvement/email/checkin_body.txt", context), []


def upcoming_checkins(user: User, now: datetime) -> list[Upcoming]:
    """The next check-in e-mail of each of the person's teams with a charter, unless they
    turned it off for that team or already answered this week (two queries)."""
    opted_out = CheckinReminderOptOut.objects.filter(user=user).values("team")
    teams = list(selectors.checkin_teams(user=user).exclude(pk__in=opted_out))
    answered = selectors.answers_this_week(user=user, teams=teams, now=now)
    items = []
    for team in teams:
        chosen = getattr(team, "checkin_settings", None) or CheckinSettings()
        due = datetime.combine(
            selectors.team_week(team=team, now=now) + timedelta(days=chosen.weekday),
            time(chosen.reminder_hour),
            tzinfo=ZoneInfo(team.time_zone),
        )
        if due <= now or answered.get(team.pk, 0) >= team.point_count:
            due += timedelta(weeks=1)
        items.append(
            Upcoming(
                kind=CHECKIN_KIND,
                due_at=due,
                title=_("Weekly check-in · %(team)s") % {"team": team.name},
                url=reverse("improvement:checkin", args=[team.slug]),
            )
        )
    return items


# Gap-analysis summaries


def gap_summary_subject(meeting: GapMeeting) -> str:
    return f"gap:{meeting.pk}"


def gap_summary_rows(*, meeting: GapMeeting, due_at: datetime) -> list[Reminder]:
    """One summary e-mail per participant who wants it: unique per person and meeting."""
    return [
        Reminder(
            user_id=pk,
            kind=GAP_SUMMARY_KIND,
            subject=gap_summary_subject(meeting),
            due_at=due_at,
        )
        for pk in selectors.summary_recipients(meeting=meeting).values_list("pk", flat=True)
    ]


def gap_summary_message(reminder: Reminder):
    """The summary of a closed gap-analysis meeting, or None when it is no longer wanted
    (the person left the team or turned these e-mails off for it)."""
    try:
        _kind, pk = reminder.subject.split(":")
        pk = int(pk)
    except ValueError:
        return None
    meeting = (
        GapMeeting.objects.select_related("team", "facilitator")
        .filter(pk=pk, step=Step.CLOSED)
        .first()
    )
    if meeting is None:
        return None
    if not selectors.summary_recipients(meeting=meeting).filter(pk=reminder.user_id).exists():
        return None
    context = {
        "meeting": meeting,
        "sections": selectors.meeting_summary(meeting=meeting),
        "ideas": list(meeting.ideas.select_related("owner")),
        "url": settings.SITE_URL
        + reverse("improvement:gap_summary", args=[meeting.team.slug, meeting.pk]),
    }
    subject = emails.render_text("improvement/email/summary_subject.txt", context).strip()
    return subject, emails.render_text("improvement/email/summary_body.txt", context), []


def register() -> None:
    from meetings import agenda
    from meetings.selectors import register_upcoming

    agenda.register(follow_up_section)
    emails.register_builder(CHECKIN_KIND, checkin_message)
    emails.register_builder(GAP_SUMMARY_KIND, gap_summary_message)
    register_upcoming(upcoming_checkins)
