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
