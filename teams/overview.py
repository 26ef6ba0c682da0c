"""The team's home page: an overview made of panels the other apps provide (the charter,
this week's check-in, the next meeting, indicators off target, open ideas...).

The teams app is the bottom layer: it knows none of them. Each app registers a provider
from its `AppConfig.ready()`:

    from teams import overview

    def charter_panel(*, team, membership, user):
        ...
        return overview.Panel(key="charter", title=_("Our charter"), ...)

    overview.register(charter_panel)

A provider returns a `Panel` or None, in a fixed number of queries whatever the amount
of data (the page pins its query count). A panel may offer the person an action; the
first urgent one, in the panels' order, is the page's "next step". A provider that fails
is logged and left out: the team's page never breaks because of it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

logger = logging.getLogger(__name__)


@dataclass
class Action:
    label: str
    url: str
    # Why it is the next step, in a few words ("The team is voting.").
    reason: str = ""


@dataclass
class Panel:
    key: str
    title: str
    # Renders the panel's body, with the provider's `context` on top of the page's.
    template: str
    context: dict = field(default_factory=dict)
    action: Action | None = None
    # The action waits for this person now: it may become the page's next step.
    urgent: bool = False
    order: int = 100
    html: SafeString = SafeString("")

    def render(self, request, **page) -> None:
        """Renders the body with the provider's context on top of the page's."""
        self.html = render_to_string(self.template, {**page, **self.context}, request=request)


Provider = Callable[..., Panel | None]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds a provider of panels (idempotent; usable as a decorator)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def panels_for(*, team, membership, user) -> list[Panel]:
    panels = []
    for provider in _PROVIDERS:
        try:
            panel = provider(team=team, membership=membership, user=user)
        except Exception:
            logger.exception("Overview provider %r failed", provider)
            continue
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: (p.order, p.key))


def next_step(panels: list[Panel]) -> Panel | None:
    """The panel whose action is the person's most pressing step."""
    return next((p for p in panels if p.urgent and p.action), None)
