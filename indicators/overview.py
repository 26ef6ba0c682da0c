"""Indicators off target or without a recent value, on the team's overview page
(teams/overview.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from teams import overview

from . import metrics, selectors

NEEDS_A_LOOK = (metrics.OFF_TRACK, metrics.AT_RISK)


def indicators_panel(*, team, membership, user) -> overview.Panel:
    """The adopted indicators that need a look (off target, at risk, no recent value),
    worst first; the step: enter a missing value the person owns. As many queries as
    the dashboard's cards (four)."""
    cards = selectors.dashboard_cards(team=team)
    attention = sorted(
        (c for c in cards if c.status in NEEDS_A_LOOK or c.stale), key=lambda c: c.sort_key
    )
    mine = next((c for c in attention if c.stale and c.indicator.owner_id == user.pk), None)
    dashboard = reverse("indicators:dashboard", args=[team.slug])
    if mine is not None:
        url = reverse("indicators:measure", args=[team.slug, mine.indicator.pk])
        action = overview.Action(
            _("Enter the value of %(name)s") % {"name": mine.indicator},
            url,
            _("You own it and its latest value is missing."),
        )
    elif not cards:
        action = overview.Action(
            _("Propose an indicator"), reverse("indicators:create", args=[team.slug])
        )
    else:
        action = overview.Action(_("Open the dashboard"), dashboard)
    return overview.Panel(
        key="indicators",
        title=_("Indicators that need a look"),
        template="indicators/_overview.html",
        context={
            "attention": attention[:5],
            "more": max(0, len(attention) - 5),
            "adopted": len(cards),
        },
        action=action,
        urgent=mine is not None,
        order=30,
    )


def register() -> None:
    overview.register(indicators_panel)
