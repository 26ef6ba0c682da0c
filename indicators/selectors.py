"""Reads for indicators and dashboards. Each function issues a fixed number of queries,
whatever the number of indicators or measurements."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from teams.models import Department, Membership, OrganisationMember, Role, Team

from . import charts, hooks, metrics
from .models import (
    ApiToken,
    Indicator,
    IndicatorTarget,
    Measurement,
    MeasurementRevision,
    Opinion,
    ReviewNote,
    Survey,
    SurveyAnswer,
    SurveyPointRating,
    WallLink,
    decimals_for,
    token_hash,
)

SPARK_POINTS = 12
CHART_POINTS = 52


def team_today(team: Team) -> date:
    """Today on the team's calendar: periods, staleness and first targets follow the
    team's time zone, not the server's (UTC) nor the visitor's."""
    try:
        zone = ZoneInfo(team.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = None  # the server's zone
    return timezone.localdate(timezone=zone)


@dataclass
class Point:
    period_start: date
    value: Decimal
    note: str = ""
    answer_count: int | None = None


@dataclass
class Card:
    indicator: Indicator
    target: metrics.Target | None
    status: str
    stale: bool
    latest: Point | None = None
    previous: Point | None = None
    spark: str = ""
    history: list[Point] = field(default_factory=list)

    @property
    def previous_is_adjacent(self) -> bool:
        """Whether the previous value is that of the period just before the latest."""
        if self.latest is None or self.previous is None:
            return False
        period_before = metrics.previous_period_start(
            self.latest.period_start, self.indicator.frequency
        )
        return self.previous.period_start == period_before

    @property
    def change(self) -> Decimal | None:
        """The change since the period just before; None when that period has no value
        (a change over several periods would read as a change over one)."""
        if not self.previous_is_adjacent:
            return None
        return self.latest.value - self.previous.value

    @property
    def change_is_better(self) -> bool | None:
        change = self.change
        if not change or self.indicator.direction == "range":
            return None
        return (change > 0) == (self.indicator.direction == "higher")

    @property
    def sort_key(self) -> tuple:
        return (not self.stale, metrics.SEVERITY[self.status], self.indicator.name)


# The adoption rule, shown on every proposal: the team has to support it first.
MIN_SUPPORTERS = 2


@dataclass(frozen=True)
class PollResult:
    support: int
    neutral: int
    object: int

    @property
    def can_adopt(self) -> bool:
        return self.support >= MIN_SUPPORTERS and self.support > self.object

    @property
    def total(self) -> int:
        return self.support + self.neutral + self.object


def poll_result(*, indicator: Indicator) -> PollResult:
    counts = indicator.opinions.aggregate(
        support=Count("pk", filter=Q(choice=Opinion.Choice.SUPPORT)),
        neutral=Count("pk", filter=Q(choice=Opinion.Choice.NEUTRAL)),
        object=Count("pk", filter=Q(choice=Opinion.Choice.OBJECT)),
    )
    return PollResult(**counts)


def with_feed(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Annotates `fed_by_checkins`: whether an app above computes the indicator (the
    improvement app, from the weekly check-ins), as registered in indicators/hooks.py."""
    feeds = hooks.feeds()
    if not feeds:
        return indicators.annotate(fed_by_checkins=Value(False))
    fed = Exists(feeds[0](OuterRef("pk")))
    for feed in feeds[1:]:
        fed = fed | Exists(feed(OuterRef("pk")))
    return indicators.annotate(fed_by_checkins=fed)


def is_fed_by_checkins(indicator: Indicator) -> bool:
    fed = getattr(indicator, "fed_by_checkins", None)
    if fed is None:
        fed = with_feed(Indicator.objects.filter(pk=indicator.pk)).get().fed_by_checkins
    return fed


def _targets_by_indicator(ids=None, team_ids=None) -> dict[int, list[metrics.Target]]:
    """Targets per indicator, oldest first."""
    targets = defaultdict(list)
    if team_ids is not None:
        found = IndicatorTarget.objects.filter(
            indicator__team_id__in=team_ids, indicator__status=Indicator.Status.ADOPTED
        )
    else:
        found = IndicatorTarget.objects.filter(indicator_id__in=ids)
    rows = found.order_by("valid_from").values_list(
        "indicator_id", "valid_from", "value", "low", "high"
    )
    for indicator_id, valid_from, value, low, high in rows:
        targets[indicator_id].append(metrics.Target(valid_from, value, low, high))
    return targets


def _card(indicator, targets, latest, previous, today) -> Card:
    target = metrics.target_for(targets, latest.period_start if latest else today)
    return Card(
        indicator=indicator,
        target=target,
        status=metrics.status(latest.value if latest else None, indicator.direction, target),
        stale=metrics.is_stale(latest.period_start if latest else None, indicator.frequency, today),
        latest=latest,
        previous=previous,
    )


# LATERAL: for each indicator, read its latest `count` values from the
# (indicator, period_start) index, whatever the length of its history.
_RECENT_BY_IDS = """
    SELECT i.id, m.period_start, m.value, m.note, m.answer_count
    FROM unnest(%(ids)s::bigint[]) AS i(id)
    CROSS JOIN LATERAL (
        SELECT period_start, value, note, answer_count FROM indicators_measurement
        WHERE indicator_id = i.id ORDER BY period_start DESC LIMIT %(count)s
    ) AS m
"""
_RECENT_BY_TEAMS = """
    SELECT i.id, m.period_start, m.value, m.note, m.answer_count
    FROM indicators_indicator AS i
    CROSS JOIN LATERAL (
        SELECT period_start, value, note, answer_count FROM indicators_measurement
        WHERE indicator_id = i.id ORDER BY period_start DESC LIMIT %(count)s
    ) AS m
    WHERE i.team_id = ANY(%(ids)s) AND i.status = 'adopted'
"""


def recent_points(
    *,
    count: int,
    indicator_ids: list[int] | None = None,
    team_ids: list[int] | None = None,
    lateral: bool | None = None,
) -> dict[int, list[Point]]:
    """The latest `count` values of the given indicators (or of the adopted indicators of
    the given teams), newest first, in one query: a LATERAL join on PostgreSQL, a window
    function elsewhere (SQLite in development)."""
    recent: dict[int, list[Point]] = defaultdict(list)
    if not indicator_ids and not team_ids:
        return recent
    if lateral is None:
        lateral = connection.vendor == "postgresql"
    if lateral:
        sql = _RECENT_BY_TEAMS if team_ids else _RECENT_BY_IDS
        with connection.cursor() as cursor:
            cursor.execute(sql, {"ids": list(team_ids or indicator_ids), "count": count})
            rows = cursor.fetchall()
    else:
        if team_ids:
            measurements = Measurement.objects.filter(
                indicator__team_id__in=team_ids, indicator__status=Indicator.Status.ADOPTED
            )
        else:
            measurements = Measurement.objects.filter(indicator_id__in=indicator_ids)
        rows = (
            measurements.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("indicator_id")],
                    order_by=F("period_start").desc(),
                )
            )
            .filter(rank__lte=count)
            .values_list("indicator_id", "period_start", "value", "note", "answer_count")
            .order_by("indicator_id", "-period_start")
        )
    for indicator_id, *point in rows:
        recent[indicator_id].append(Point(*point))
    return recent


def dashboard_cards(
    *, team: Team, today: date | None = None, indicator_ids: list[int] | None = None
) -> list[Card]:
    """A card per adopted indicator: latest and previous values, the target valid for
    the latest period, the status, and a sparkline of the last SPARK_POINTS values."""
    today = today or team_today(team)
    indicators = with_feed(Indicator.objects.filter(team=team, status=Indicator.Status.ADOPTED))
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=indicator_ids)
    indicators = list(indicators.select_related("client_group", "owner"))
    ids = [i.pk for i in indicators]
    targets = _targets_by_indicator(ids)
    recent = recent_points(indicator_ids=ids, count=SPARK_POINTS)
    cards = []
    for indicator in indicators:
        points = recent[indicator.pk]
        card = _card(
            indicator,
            targets[indicator.pk],
            points[0] if points else None,
            points[1] if len(points) > 1 else None,
            today,
        )
        card.history = points[::-1]
        card.spark = charts.sparkline([p.value for p in card.history])
        cards.append(card)
    return cards


def import_preview(*, rows: list[dict]) -> list[dict]:
    """The rows of an import, each with the value it would replace (or None)."""
    if not rows:
        return []
    found = Measurement.objects.filter(
        indicator_id__in={r["indicator_id"] for r in rows},
        period_start__in={r["period"] for r in rows},
    ).values_list("indicator_id", "period_start", "value")
    existing = {(i, p.isoformat()): v for i, p, v in found}
    return [{**r, "replaces": existing.get((r["indicator_id"], r["period"]))} for r in rows]


def charter_points_for_linking(*, team: Team, indicator: Indicator | None = None):
    """The points of the team's latest charter version, plus those the indicator already
    links that the charter no longer has (a point it links in an older version and that
    the current version carries on is offered once, as it reads now)."""
    from charter.models import CharterPoint

    latest = (
        CharterPoint.objects.filter(version__charter__team=team)
        .order_by("-version__number")
        .values("version_id")[:1]
    )
    points = CharterPoint.objects.filter(version_id__in=latest)
    if indicator is not None and indicator.pk:
        retired = CharterPoint.objects.filter(indicators=indicator).exclude(
            lineage__in=points.values("lineage")
        )
        points = points | retired
    points = points.select_related("version").distinct().order_by("-version__number", "position")
    return points if points.exists() else None


def indicators_for_team(*, team: Team) -> QuerySet[Indicator]:
    return team.indicators.select_related("proposed_by", "client_group").order_by("status", "name")


def indicator_get(*, team: Team, pk: int) -> Indicator:
    try:
        indicators = Indicator.objects.select_related(
            "team", "owner", "client_group", "proposed_by"
        )
        return with_feed(indicators).get(team=team, pk=pk)
    except Indicator.DoesNotExist:
        raise Http404 from None


def indicator_detail(*, indicator: Indicator, today: date | None = None) -> dict:
    """Everything the indicator page shows, in a fixed number of queries."""
    today = today or team_today(indicator.team)
    recent = [
        Point(*row)
        for row in indicator.measurements.order_by("-period_start").values_list(
            "period_start", "value", "note", "answer_count"
        )[:CHART_POINTS]
    ]
    targets = _targets_by_indicator([indicator.pk])[indicator.pk]
    card = _card(
        indicator,
        targets,
        recent[0] if recent else None,
        recent[1] if len(recent) > 1 else None,
        today,
    )
    series = recent[::-1]
    return {
        "card": card,
        "measurements": recent,
        "targets": sorted(targets, key=lambda t: t.valid_from, reverse=True),
        "chart": charts.trend_chart(
            [(p.period_start, p.value, p.note) for p in series], targets, indicator.direction
        ),
        "revisions": MeasurementRevision.objects.filter(measurement__indicator=indicator)
        .select_related("measurement", "changed_by")
        .order_by("-changed_at", "-pk")[:20],
        "survey_comments": SurveyAnswer.objects.filter(survey__indicator=indicator)
        .exclude(comment="")
        .select_related("survey__client_group")
        .order_by("-period_start", "-created_at")[:10],
        "review_notes": indicator.review_notes.select_related("author")[:10],
        "point_ratings": point_ratings(indicator=indicator),
        "charter_points": _points_now(
            team_id=indicator.team_id, lineages=indicator.charter_points.values("lineage")
        ),
    }


def _points_now(*, team_id: int, lineages) -> list:
    """The charter points of these lineages as they read now (a point carried into a new
    version is the same point): current points first, in their order, then those the
    charter no longer has, in their last version and marked `retired`. One query."""
    from charter.models import CharterPoint, CharterVersion

    newer = CharterVersion.objects.filter(
        charter=OuterRef("version__charter"), number__gt=OuterRef("version__number")
    )
    latest = {}
    points = (
        CharterPoint.objects.filter(version__charter__team=team_id, lineage__in=lineages)
        .annotate(retired=Exists(newer))
        .order_by("version__number")
    )
    for point in points:
        latest[point.lineage] = point
    return sorted(latest.values(), key=lambda p: (p.retired, p.position))


def point_ratings(*, indicator: Indicator) -> list[dict]:
    """Clients' average rating of each charter point across the charter's versions, with
    the point as it reads now (`_points_now`). Two queries."""
    rows = list(
        SurveyPointRating.objects.filter(answer__survey__indicator=indicator)
        .values("point__lineage")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by()
    )
    if not rows:
        return []
    points = _points_now(
        team_id=indicator.team_id, lineages=[row["point__lineage"] for row in rows]
    )
    by_lineage = {point.lineage: point for point in points}
    return [
        {**row, "point": by_lineage[row["point__lineage"]]}
        for row in sorted(rows, key=lambda r: points.index(by_lineage[r["point__lineage"]]))
    ]


def indicator_export_rows(*, indicator: Indicator):
    return indicator.measurements.order_by("period_start").values_list(
        "period_start", "value", "note", "answer_count", "source"
    )


def team_review_notes(*, team: Team, limit: int = 20) -> QuerySet[ReviewNote]:
    return team.review_notes.select_related("author", "indicator")[:limit]


@dataclass(frozen=True)
class IndicatorRow:
    """What the lead dashboard needs of an indicator (lighter than a model instance)."""

    pk: int
    team_id: int
    name: str
    direction: str
    frequency: str
    unit: str
    decimals: int | None

    @property
    def precision(self) -> int:
        return decimals_for(self.unit, self.decimals)


@dataclass
class LeadRow:
    team: Team
    cards: list[Card]

    @property
    def stale_count(self) -> int:
        return sum(1 for c in self.cards if c.stale)

    @property
    def worst(self) -> int:
        """The severity of its worst status (metrics.SEVERITY), 99 without indicators."""
        return min((metrics.SEVERITY[c.status] for c in self.cards), default=99)


def lead_row_order(row) -> tuple:
    """The lead dashboard's order, for a LeadRow or a row built from its cached parts:
    the teams with stale indicators first, then those with the worst status."""
    return (-row.stale_count, row.worst, row.team.name)


def lead_teams(*, user: User, department_id: int | None = None) -> QuerySet[Team]:
    """Teams the person leads or manages, and every team of the organisations they run."""
    led = Membership.objects.filter(user=user, role__in=[Role.LEAD, Role.MANAGER]).values("team_id")
    admin_of = OrganisationMember.objects.filter(user=user, is_admin=True).values("organisation_id")
    teams = Team.objects.filter(pk__in=led) | Team.objects.filter(organisation_id__in=admin_of)
    if department_id:
        teams = teams.filter(department_id=department_id)
    # An org admin sees teams they do not belong to: no link to pages they cannot open.
    is_member = Exists(Membership.objects.filter(team=OuterRef("pk"), user=user))
    return (
        teams.annotate(is_member=is_member)
        .select_related("department", "organisation")
        .order_by("name")
    )


def lead_departments(*, user: User) -> QuerySet[Department]:
    admin_of = OrganisationMember.objects.filter(user=user, is_admin=True).values("organisation_id")
    return Department.objects.filter(organisation_id__in=admin_of).order_by("name")


def lead_dashboard(*, teams: list[Team], days: dict[int, date] | None = None) -> list[LeadRow]:
    """Teams x adopted indicators with statuses and latest values, the teams with stale
    indicators first. Each team's statuses follow its own calendar: `days` by team id,
    team_today when not given."""
    if days is None:
        days = {t.pk: team_today(t) for t in teams}
    team_ids = [t.pk for t in teams]
    indicators = [
        IndicatorRow(*row)
        for row in Indicator.objects.filter(team_id__in=team_ids, status=Indicator.Status.ADOPTED)
        .order_by("name")
        .values_list("pk", "team_id", "name", "direction", "frequency", "unit", "decimals")
    ]
    targets = _targets_by_indicator(team_ids=team_ids)
    latest = recent_points(team_ids=team_ids, count=1)
    by_team = defaultdict(list)
    for ind in indicators:
        points = latest.get(ind.pk)
        by_team[ind.team_id].append(
            _card(ind, targets[ind.pk], points[0] if points else None, None, days[ind.team_id])
        )
    rows = [LeadRow(team=t, cards=sorted(by_team[t.pk], key=lambda c: c.sort_key)) for t in teams]
    return sorted(rows, key=lead_row_order)


def version_key(team_id: int) -> str:
    return f"indicators:data-version:{team_id}"


def team_states(*, teams: list[Team]) -> dict[int, tuple[int, date]]:
    """Each team's (data version, day), by team id: what its cached dashboard figures
    depend on. Every write that can change a status bumps the version
    (services.dashboards_changed); staleness moves with the day."""
    versions = cache.get_many([version_key(t.pk) for t in teams])
    return {t.pk: (versions.get(version_key(t.pk), 0), team_today(t)) for t in teams}


def dashboards_version(
    *, teams: list[Team], states: dict[int, tuple[int, date]] | None = None
) -> str:
    """A fingerprint of everything a cached dashboard depends on: the teams shown and
    their states (team_states; pass them when already read)."""
    if states is None:
        states = team_states(teams=teams)
    fingerprint = repr(
        [
            (t.pk, t.name, t.slug, t.department_id, getattr(t, "is_member", True), states[t.pk])
            for t in teams
        ]
    )
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("team")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True)
        .first()
    )


def wall_link_get(*, token: str) -> WallLink:
    try:
        return WallLink.objects.select_related("team").get(token=token, revoked_at__isnull=True)
    except WallLink.DoesNotExist:
        raise Http404 from None


def survey_get_public(*, token: str) -> Survey:
    try:
        return Survey.objects.select_related("team", "client_group", "indicator").get(token=token)
    except Survey.DoesNotExist:
        raise Http404 from None


def team_surveys(*, team: Team) -> QuerySet[Survey]:
    return (
        team.surveys.select_related("client_group", "indicator")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at")
    )


def survey_answer_received(*, nonce: str) -> bool:
    """Whether the answer of this form (its nonce) has been recorded."""
    return SurveyAnswer.objects.filter(nonce=nonce).exists()
