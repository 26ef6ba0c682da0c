"""The next steering meeting, on the team's overview page (teams/overview.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import overview

from .models import Occurrence


def meeting_panel(*, team, membership, user) -> overview.Panel:
    """The meeting under way or next, with the items on its agenda; the step: look at
    its agenda in the days before (a manager schedules the first one). One query."""
    now = timezone.now()
    occurrence = (
        Occurrence.objects.filter(
            meeting__team=team,
            meeting__cancelled_at__isnull=True,
            status=Occurrence.Status.SCHEDULED,
            ends_at__gt=now,
        )
        .select_related("meeting")
        .order_by("starts_at")
        .first()
    )
    if occurrence is None:
        action = (
            overview.Action(
                _("Schedule the steering meeting"), reverse("meetings:create", args=[team.slug])
            )
            if membership.is_manager
            else None
        )
        urgent = False
    else:
        url = reverse("meetings:occurrence", args=[team.slug, occurrence.pk])
        action = overview.Action(
            _("Open the agenda"), url, _("The team meets soon: add what it should look at.")
        )
        urgent = occurrence.starts_at - now < timedelta(days=2)
    return overview.Panel(
        key="meeting",
        title=_("Next steering meeting"),
        template="meetings/_overview.html",
        context={"occurrence": occurrence},
        action=action,
        urgent=urgent,
        order=40,
    )


def register() -> None:
    overview.register(meeting_panel)
