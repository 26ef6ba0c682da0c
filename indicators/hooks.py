"""What apps above the indicators tell them, without the indicators importing them.

An app that computes some indicators' values itself (the improvement app, from the weekly
check-ins) registers, from its `AppConfig.ready()`, a function that takes the
indicators' primary-key expression (an `OuterRef("pk")`) and returns a queryset that is
not empty when it feeds that indicator:

    from indicators import hooks

    hooks.register_feed(lambda pk: CheckinIndicator.objects.filter(indicator=pk))

`indicators.selectors.with_feed` annotates `fed_by_checkins` from these.
"""

from collections.abc import Callable

from django.db.models import Expression, QuerySet

Feed = Callable[[Expression], QuerySet]

_FEEDS: list[Feed] = []


def register_feed(feed: Feed) -> Feed:
    """Registers a feed (idempotent; usable as a decorator)."""
    if feed not in _FEEDS:
        _FEEDS.append(feed)
    return feed


def feeds() -> list[Feed]:
    return list(_FEEDS)


# The lead dashboard's other sections -----------------------------------------------------
#
# An app above the indicators adds a section to the dashboard across teams (the coaching
# app: one-to-ones, objectives, coaching time, modelling feedback per team) by
# registering a function that takes the request and the dashboard's teams and returns the
# section's HTML, in a fixed number of queries whatever the number of teams.

Section = Callable[..., str]

_SECTIONS: list[Section] = []


def register_lead_section(section: Section) -> Section:
    """Registers a section of the lead dashboard (idempotent; usable as a decorator)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def lead_sections() -> list[Section]:
    return list(_SECTIONS)
