"""This week's check-in and the open ideas, on the team's overview page
(teams/overview.py)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from teams import overview

from . import selectors
from .models import OPEN_PHASES, ChangeIdea, Phase


def checkin_panel(*, team, membership, user) -> overview.Panel | None:
    """The person's own answers this week (nobody else's: the team's figures wait for
    the week to end). Three queries."""
    points = list(selectors.current_points(team=team))
    if not points:
        return None
    week = selectors.team_week(team=team)
    answered = len(selectors.my_checkins(team=team, user=user, week=week))
    left = len(points) - answered
    chosen = selectors.checkin_settings_get(team=team)
    local_day = timezone.localtime(timezone.now()).weekday()
    url = reverse("improvement:checkin", args=[team.slug])
    if left:
        label = ngettext(
            "Answer this week's check-in (%(n)s question)",
            "Answer this week's check-in (%(n)s questions)",
            left,
        ) % {"n": left}
    else:
        label, url = (
            _("See the team's trend"),
            reverse("improvement:checkin_team", args=[team.slug]),
        )
    return overview.Panel(
        key="checkin",
        title=_("This week's check-in"),
        template="improvement/_overview_checkin.html",
        context={
            "week": week,
            "answered": answered,
            "questions": len(points),
            "left": left,
            "checkin_day": chosen.get_weekday_display(),
        },
        action=overview.Action(label, url, _("It is check-in week: two minutes on the phone.")),
        urgent=bool(left) and local_day >= chosen.weekday,
        order=20,
    )


def ideas_panel(*, team, membership, user) -> overview.Panel:
    """The ideas on their way, by phase, and the person's own waiting for a step. Two
    queries."""
    stale_before = timezone.now() - timedelta(days=selectors.STALE_AFTER_DAYS)
    counts = ChangeIdea.objects.filter(team=team).aggregate(
        **{phase: Count("pk", filter=Q(phase=phase)) for phase in OPEN_PHASES},
        stale=Count("pk", filter=Q(phase__in=OPEN_PHASES, moved_at__lt=stale_before)),
    )
    mine = list(
        ChangeIdea.objects.filter(team=team, owner=user, phase__in=OPEN_PHASES).order_by(
            "moved_at"
        )[:3]
    )
    phases = [(Phase(phase).label, counts[phase]) for phase in OPEN_PHASES]
    waiting = next((idea for idea in mine if idea.moved_at < stale_before), None)
    if waiting is not None:
        action = overview.Action(
            _("Give “%(idea)s” its next step") % {"idea": waiting.title},
            reverse("improvement:idea", args=[team.slug, waiting.pk]),
            _("Your idea has not moved for three weeks."),
        )
    else:
        action = overview.Action(
            _("Add an idea"), reverse("improvement:idea_create", args=[team.slug])
        )
    return overview.Panel(
        key="ideas",
        title=_("Open actions"),
        template="improvement/_overview_ideas.html",
        context={
            "phases": phases,
            "open_total": sum(n for _l, n in phases),
            "stale": counts["stale"],
            "mine": mine,
        },
        action=action,
        urgent=waiting is not None,
        order=50,
    )


def register() -> None:
    overview.register(checkin_panel)
    overview.register(ideas_panel)
