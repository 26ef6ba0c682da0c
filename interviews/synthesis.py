"""What the team's clients said, put together: per keyword, per client group, internal
and external apart, with their words; the criteria they named; what they said about
coordination; the gap between the team's beliefs and votes and the clients' ranking;
and which keywords and charter points lack recent client words.

Every read here is a fixed number of queries, whatever the number of interviews."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from charter.models import CharterPoint, CharterVersion, Keyword, Vote, keyword_normalise
from teams.models import ClientGroup, Team

from .models import Belief, Criterion, Highlight, Note, Stakeholder, Topic, VoiceSettings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d .-]{7,}\d")
EXAMPLES_PER_KEYWORD = 3


@dataclass
class Quote:
    text: str
    who: str
    group: str
    kind: str
    tone: str
    said_on: datetime
    interview_id: int


@dataclass
class KeywordEvidence:
    keyword_id: int
    label: str
    quotes: int = 0
    clients: set = field(default_factory=set)
    internal: set = field(default_factory=set)
    external: set = field(default_factory=set)
    groups: Counter = field(default_factory=Counter)
    tones: Counter = field(default_factory=Counter)
    examples: list[Quote] = field(default_factory=list)
    last: datetime | None = None

    @property
    def client_count(self) -> int:
        return len(self.clients)

    @property
    def group_counts(self) -> list[tuple[str, int]]:
        return sorted(self.groups.items(), key=lambda item: (-item[1], item[0]))


class Masker:
    """Takes names and e-mail addresses out of words shown beyond the team: addresses
    and phone numbers by their shape, names by knowing them (the team's stakeholders and
    members)."""

    def __init__(self, names: list[str]) -> None:
        words = sorted(
            {n.strip() for n in names if n and len(n.strip()) > 2}, key=len, reverse=True
        )
        parts = [re.escape(w) for w in words]
        # Full names first, then each part of them (a first name alone) of 3+ letters.
        pieces = {p for w in words for p in w.split() if len(p) > 2}
        parts += [re.escape(p) for p in sorted(pieces, key=len, reverse=True)]
        self.names = re.compile(r"\b(" + "|".join(parts) + r")\b", re.I) if parts else None

    def __call__(self, text: str) -> str:
        text = EMAIL.sub(_("[e-mail]"), text)
        text = PHONE.sub(_("[phone]"), text)
        if self.names is not None:
            text = self.names.sub(_("[name]"), text)
        return text


def masker_for(*, team: Team) -> Masker:
    """Two queries: the names of the team's stakeholders and of its members."""
    names = list(Stakeholder.objects.filter(team=team).values_list("name", flat=True))
    names += list(team.memberships.values_list("user__display_name", flat=True))
    return Masker(names)


def _anonymous(group: str) -> str:
    return _("A client of %(group)s") % {"group": group}


def keyword_evidence(
    *, team: Team, shared: bool, keyword_ids: list[int] | None = None
) -> list[KeywordEvidence]:
    """The keywords clients' words were tagged with, most distinct clients first.

    `shared`: for a screen beyond the team (projector, agenda): a person is named only
    if they agreed, and names, addresses and phone numbers inside the words are masked."""
    rows = Highlight.keywords.through.objects.filter(highlight__interview__team=team)
    if keyword_ids is not None:
        rows = rows.filter(keyword_id__in=keyword_ids)
    rows = rows.values_list(
        "keyword_id",
        "keyword__label",
        "highlight_id",
        "highlight__text",
        "highlight__tone",
        "highlight__interview_id",
        "highlight__interview__scheduled_at",
        "highlight__interview__stakeholder_id",
        "highlight__interview__stakeholder__name",
        "highlight__interview__stakeholder__consent_named",
        "highlight__interview__stakeholder__client_group__name",
        "highlight__interview__stakeholder__client_group__kind",
    ).order_by("-highlight__interview__scheduled_at", "-highlight_id")
    mask = masker_for(team=team) if shared else None
    found: dict[int, KeywordEvidence] = {}
    for kid, label, _hid, text, tone, iid, said, sid, name, named, group, kind in rows:
        item = found.setdefault(kid, KeywordEvidence(keyword_id=kid, label=label))
        item.quotes += 1
        item.clients.add(sid)
        (item.internal if kind == ClientGroup.Kind.INTERNAL else item.external).add(sid)
        item.groups[group] += 1
        if tone:
            item.tones[tone] += 1
        item.last = max(item.last or said, said)
        if text and len(item.examples) < EXAMPLES_PER_KEYWORD:
            who = name if (named or not shared) and name else _anonymous(group)
            shown = mask(text) if mask else text
            item.examples.append(Quote(shown, who, group, kind, tone, said, iid))
    return sorted(found.values(), key=lambda e: (-e.client_count, -e.quotes, e.label.lower()))


@dataclass
class CriterionGroup:
    text: str
    count: int
    clients: set
    groups: set


def criteria_grouped(*, team: Team) -> list[CriterionGroup]:
    """The satisfaction criteria clients named, the same words counted together."""
    rows = Criterion.objects.filter(interview__team=team).values_list(
        "text", "interview__stakeholder_id", "interview__stakeholder__client_group__name"
    )
    groups: dict[str, CriterionGroup] = {}
    for text, sid, group in rows:
        key = keyword_normalise(text).rstrip(".")
        item = groups.setdefault(
            key, CriterionGroup(text=text, count=0, clients=set(), groups=set())
        )
        item.count += 1
        item.clients.add(sid)
        item.groups.add(group)
    return sorted(groups.values(), key=lambda g: (-len(g.clients), g.text.lower()))


@dataclass
class CoordinationGroup:
    group: str
    kind: str
    notes: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


def coordination_diagnosis(*, team: Team) -> list[CoordinationGroup]:
    """What clients said about our work with other teams, per client group: the
    material for a diagnosis (which teams, which matters, why) before any solution."""
    found: dict[str, CoordinationGroup] = {}
    notes = Note.objects.filter(interview__team=team, topic=Topic.COORDINATION).exclude(body="")
    for body, group, kind in notes.values_list(
        "body",
        "interview__stakeholder__client_group__name",
        "interview__stakeholder__client_group__kind",
    ):
        found.setdefault(group, CoordinationGroup(group, kind)).notes.append(body)
    quotes = Highlight.objects.filter(interview__team=team, topic=Topic.COORDINATION).exclude(
        text=""
    )
    for text, group, kind in quotes.values_list(
        "text",
        "interview__stakeholder__client_group__name",
        "interview__stakeholder__client_group__kind",
    ):
        found.setdefault(group, CoordinationGroup(group, kind)).quotes.append(text)
    return sorted(found.values(), key=lambda g: (g.kind, g.group))


@dataclass
class GapRow:
    label: str
    believed: bool
    vote_rank: int | None
    dots: int
    client_rank: int | None
    clients: int
    internal: int
    external: int


def perception_gap(*, team: Team, evidence: list[KeywordEvidence]) -> list[GapRow]:
    """The team's beliefs and vote ranking beside the ranking its clients' words give."""
    believed = set(Belief.objects.filter(team=team).values_list("keyword__normalised", flat=True))
    latest_votes = (
        Vote.objects.filter(workshop__team=team)
        .order_by("-workshop__created_at")
        .values_list("workshop_id", flat=True)[:1]
    )
    dots = {
        keyword_normalise(label): n
        for label, n in Vote.objects.filter(workshop__in=latest_votes)
        .values_list("keyword__keyword__label")
        .annotate(n=Count("pk"))
    }
    vote_order = sorted(dots, key=lambda k: -dots[k])
    client_order = [keyword_normalise(e.label) for e in evidence]
    by_key = {keyword_normalise(e.label): e for e in evidence}
    labels = {keyword_normalise(e.label): e.label for e in evidence}
    labels.update(
        dict(
            Keyword.objects.filter(team=team, normalised__in=believed | set(dots)).values_list(
                "normalised", "label"
            )
        )
    )
    rows = []
    for key in dict.fromkeys([*client_order, *vote_order, *sorted(believed)]):
        item = by_key.get(key)
        rows.append(
            GapRow(
                label=labels.get(key, key),
                believed=key in believed,
                vote_rank=vote_order.index(key) + 1 if key in dots else None,
                dots=dots.get(key, 0),
                client_rank=client_order.index(key) + 1 if item else None,
                clients=item.client_count if item else 0,
                internal=len(item.internal) if item else 0,
                external=len(item.external) if item else 0,
            )
        )
    return rows


@dataclass
class Ageing:
    label: str
    kind: str  # "keyword" or "point"
    last: datetime | None
    lineage: UUID | None = None


def evidence_days(*, team: Team) -> int:
    found = VoiceSettings.objects.filter(team=team).values_list("evidence_days", flat=True).first()
    return found or VoiceSettings._meta.get_field("evidence_days").default


def stale_evidence(
    *, team: Team, evidence: list[KeywordEvidence], days: int, now: datetime | None = None
) -> list[Ageing]:
    """The charter's points and keywords, and the keywords the team believes in, without
    a client's word for `days` days: worth new interviews."""
    since = (now or timezone.now()) - timedelta(days=days)
    latest = CharterVersion.objects.filter(charter__team=team).order_by("-number").values("pk")[:1]
    points = list(CharterPoint.objects.filter(version__in=latest).values_list("keyword", "lineage"))
    by_point = dict(
        Highlight.objects.filter(interview__team=team, point_lineage__in=[p[1] for p in points])
        .values("point_lineage")
        .annotate(last=Max("interview__scheduled_at"))
        .values_list("point_lineage", "last")
    )
    last_by_keyword = {keyword_normalise(e.label): e.last for e in evidence}
    believed = Belief.objects.filter(team=team).values_list("keyword__label", flat=True)
    flagged = []
    for label, lineage in points:
        last = max(
            filter(None, [by_point.get(lineage), last_by_keyword.get(keyword_normalise(label))]),
            default=None,
        )
        if last is None or last < since:
            flagged.append(Ageing(label=label, kind="point", last=last, lineage=lineage))
    seen = {keyword_normalise(a.label) for a in flagged}
    for label in dict.fromkeys(believed):
        key = keyword_normalise(label)
        last = last_by_keyword.get(key)
        if key not in seen and (last is None or last < since):
            flagged.append(Ageing(label=label, kind="keyword", last=last))
    return flagged


def group_counts(*, evidence: list[KeywordEvidence]) -> list[str]:
    """The client groups that appear in the evidence, for the table's columns."""
    return sorted({g for e in evidence for g in e.groups})


def point_quotes(*, team: Team, lineage: UUID, keyword: str, shared: bool) -> list[Quote]:
    """The clients' words about one charter point: tagged with the point, or with its
    keyword."""
    from django.db.models import Q

    rows = (
        Highlight.objects.filter(interview__team=team)
        .filter(Q(point_lineage=lineage) | Q(keywords__normalised=keyword_normalise(keyword)))
        .exclude(text="")
        .distinct()
        .values_list(
            "text",
            "tone",
            "interview_id",
            "interview__scheduled_at",
            "interview__stakeholder__name",
            "interview__stakeholder__consent_named",
            "interview__stakeholder__client_group__name",
            "interview__stakeholder__client_group__kind",
        )
        .order_by("-interview__scheduled_at")
    )
    mask = masker_for(team=team) if shared else None
    quotes = []
    for text, tone, iid, said, name, named, group, kind in rows:
        who = name if (named or not shared) and name else _anonymous(group)
        quotes.append(Quote(mask(text) if mask else text, who, group, kind, tone, said, iid))
    return quotes
