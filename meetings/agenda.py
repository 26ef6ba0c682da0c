"""The agenda of an occurrence: items people add, plus sections other apps provide.

Other apps (indicators, change ideas...) register a provider from their
`AppConfig.ready()`:

    from meetings.agenda import AgendaLine, AgendaSection, register

    def indicator_statuses(occurrence, previous):
        ...
        return AgendaSection(key="indicators", title=_("Indicators"), lines=[...])

    register(indicator_statuses)

A provider receives the occurrence and the previous scheduled occurrence of the same
series (or None), and returns an `AgendaSection` or None. It must run a fixed number of
queries (it is called on the occurrence page and for every reminder e-mail). A provider
that fails is logged and left out: the meeting page never breaks because of it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class AgendaLine:
    text: str
    note: str = ""
    # "bad", "warning" or "ok": shown as a coloured badge beside the line.
    status: str = ""
    status_label: str = ""
    url: str = ""


@dataclass
class AgendaSection:
    key: str
    title: str
    lines: list[AgendaLine] = field(default_factory=list)
    empty: str = ""
    order: int = 100


Provider = Callable[..., AgendaSection | None]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds a provider of agenda sections (idempotent; usable as a decorator)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def sections_for(occurrence, previous) -> list[AgendaSection]:
    """What every registered provider has to say about this occurrence, in order."""
    sections = []
    for provider in _PROVIDERS:
        try:
            section = provider(occurrence, previous)
        except Exception:
            logger.exception("Agenda provider %r failed", provider)
            continue
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda s: (s.order, s.key))
