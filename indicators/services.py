"""Writes for indicators, measurements, surveys, tokens, review notes and wall links."""

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from teams.models import ClientGroup, Team

from . import metrics, rules, selectors
from .models import (
    ApiToken,
    Comment,
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
    new_token,
    token_hash,
)


def counter_increment(*, key: str, timeout: int | None) -> int:
    """Adds one to a counter kept in the cache and returns it. A counter that does not
    exist yet (or was evicted between add and incr) starts again at 1."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def dashboards_changed(*, team_id: int) -> None:
    """Bumps the team's data version once the transaction commits, so cached lead
    dashboards (selectors.dashboards_version) are rebuilt."""
    key = selectors.version_key(team_id)
    transaction.on_commit(lambda: counter_increment(key=key, timeout=None))


@transaction.atomic
def indicator_propose(
    *,
    team: Team,
    proposer: User,
    target: Decimal | None = None,
    target_low: Decimal | None = None,
    target_high: Decimal | None = None,
    **fields,
) -> Indicator:
    """Creates a proposed indicator with its first target (valid from the current
    period), and counts the proposer as its first supporter."""
    charter_points = fields.pop("charter_points", None)
    indicator = Indicator.objects.create(team=team, proposed_by=proposer, **fields)
    if charter_points:
        indicator.charter_points.set(charter_points)
    _first_target_set(indicator, target, target_low, target_high, by=proposer)
    Opinion.objects.create(indicator=indicator, user=proposer, choice=Opinion.Choice.SUPPORT)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by: User,
    target: Decimal | None = None,
    target_low: Decimal | None = None,
    target_high: Decimal | None = None,
    **fields,
) -> Indicator:
    """Rewrites a proposal while the team discusses it; its target is replaced too."""
    if indicator.status != Indicator.Status.PROPOSED:
        raise ValidationError(_("Only a proposal can be rewritten."))
    charter_points = fields.pop("charter_points", None)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    if charter_points is not None:
        indicator.charter_points.set(charter_points)
    indicator.targets.all().delete()
    _first_target_set(indicator, target, target_low, target_high, by=by)
    return indicator


def _first_target_set(
    indicator: Indicator,
    target: Decimal | None,
    low: Decimal | None,
    high: Decimal | None,
    *,
    by: User,
) -> None:
    """A proposal's target, valid from the current period: a value, or for a range its
    bounds (nothing when the form left them empty)."""
    if target is None and (low is None or high is None):
        return
    is_range = indicator.direction == Indicator.Direction.RANGE
    IndicatorTarget.objects.create(
        indicator=indicator,
        valid_from=metrics.period_start(selectors.team_today(indicator.team), indicator.frequency),
        value=None if is_range else target,
        low=low if is_range else None,
        high=high if is_range else None,
        set_by=by,
    )


def indicator_opinion_set(*, indicator: Indicator, user: User, choice: str) -> Opinion:
    """Records or changes the person's straw-poll answer (one per person)."""
    if indicator.status != Indicator.Status.PROPOSED:
        raise ValidationError(_("The straw poll is closed: this is no longer a proposal."))
    opinion, _created = Opinion.objects.update_or_create(
        indicator=indicator, user=user, defaults={"choice": choice}
    )
    return opinion


def comment_add(*, indicator: Indicator, author: User, body: str) -> Comment:
    return Comment.objects.create(indicator=indicator, author=author, body=body.strip())


@transaction.atomic
def indicator_adopt(*, indicator: Indicator) -> Indicator:
    """Adopts a proposal once the team supports it (see PollResult.can_adopt)."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.status != Indicator.Status.PROPOSED:
        raise ValidationError(_("Only a proposal can be adopted."))
    if not selectors.poll_result(indicator=indicator).can_adopt:
        raise ValidationError(
            _(
                "The team has not supported it yet: it needs at least %(n)d supporters "
                "and more support than objections."
            )
            % {"n": selectors.MIN_SUPPORTERS}
        )
    indicator.status = Indicator.Status.ADOPTED
    indicator.adopted_at = timezone.now()
    indicator.save(update_fields=["status", "adopted_at"])
    dashboards_changed(team_id=indicator.team_id)
    return indicator


@transaction.atomic
def indicator_retire(*, indicator: Indicator) -> Indicator:
    """Retires an adopted indicator: its values stay, its card leaves the dashboards and
    its survey links stop taking answers."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.status == Indicator.Status.RETIRED:
        raise ValidationError(_("This indicator is already retired."))
    if indicator.status != Indicator.Status.ADOPTED:
        raise ValidationError(
            _("Only an adopted indicator can be retired: a proposal stays open for discussion.")
        )
    indicator.status = Indicator.Status.RETIRED
    indicator.retired_at = timezone.now()
    indicator.save(update_fields=["status", "retired_at"])
    indicator.surveys.filter(is_open=True).update(is_open=False)
    dashboards_changed(team_id=indicator.team_id)
    return indicator


def indicator_target_set(
    *,
    indicator: Indicator,
    valid_from: date,
    by: User,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> IndicatorTarget:
    """Sets the target from a period on; earlier periods keep the targets they had.
    Adopted indicators only: a proposal's target is rewritten with the proposal."""
    if indicator.status == Indicator.Status.RETIRED:
        raise ValidationError(_("This indicator is retired: its targets no longer change."))
    if indicator.status != Indicator.Status.ADOPTED:
        raise ValidationError(_("Rewrite the proposal to change its target."))
    valid_from = metrics.period_start(valid_from, indicator.frequency)
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        valid_from=valid_from,
        defaults={"value": value, "low": low, "high": high, "set_by": by},
    )
    dashboards_changed(team_id=indicator.team_id)
    return target


class ValueRefused(ValidationError):
    """The period or the value breaks the rule of indicators/rules.py; `message_dict`
    says which ("period", "value") and why."""


def measurement_check(
    *, indicator: Indicator, day: date, value: Decimal, today: date | None = None
) -> None:
    """Raises ValueRefused when the value of the period containing `day` may not be
    `value` (indicators/rules.py), whoever or whatever sends it. `today` is the team's,
    read from its time zone unless the caller knows it already."""
    if today is None:
        today = selectors.team_today(indicator.team)
    refusals = rules.measurement_refusals(indicator=indicator, day=day, value=value, today=today)
    if refusals:
        raise ValueRefused(refusals)


def _measurement_upsert(
    *,
    indicator: Indicator,
    day: date,
    value: Decimal,
    by: User | None,
    source: str,
    note: str,
    answer_count: int | None,
    keep_history: bool = True,
    today: date | None = None,
) -> tuple[Measurement, bool, bool]:
    """The upsert behind measurement_record: returns the measurement, whether it was
    created and whether anything changed. Every write of a value passes here, so the
    rule of indicators/rules.py is applied here (ValueRefused)."""
    measurement_check(indicator=indicator, day=day, value=value, today=today)
    start = metrics.period_start(day, indicator.frequency)
    measurement, created = Measurement.objects.select_for_update().get_or_create(
        indicator=indicator,
        period_start=start,
        defaults={
            "value": value,
            "note": note,
            "entered_by": by,
            "source": source,
            "answer_count": answer_count,
        },
    )
    if created:
        return measurement, True, True
    if measurement.value == value and measurement.note == note:
        return measurement, False, False
    # Survey values are recomputed, not corrected; a caller may keep no history at all.
    if keep_history and source != Indicator.Source.SURVEY:
        MeasurementRevision.objects.create(
            measurement=measurement,
            old_value=measurement.value,
            old_note=measurement.note,
            changed_by=by,
        )
    measurement.value, measurement.note, measurement.entered_by = value, note, by
    measurement.source, measurement.answer_count = source, answer_count
    measurement.save()
    return measurement, False, True


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    day: date,
    value: Decimal,
    by: User | None,
    source: str,
    note: str = "",
    answer_count: int | None = None,
    keep_history: bool = True,
    today: date | None = None,
) -> tuple[Measurement, bool]:
    """Upserts the value of the period containing `day`. A correction keeps the value it
    replaces as a MeasurementRevision (unless `keep_history` is off: the check-ins' values
    would reveal answers); sending the same value again changes nothing
    (not even the dashboards' cache version). Returns the measurement and whether it
    was created.

    Cocharter's own feeds call it directly (survey answers, the improvement app's
    check-ins); values from people and other systems go through measurement_enter,
    which applies the entry rule first."""
    measurement, created, changed = _measurement_upsert(
        indicator=indicator,
        day=day,
        value=value,
        by=by,
        source=source,
        note=note,
        answer_count=answer_count,
        keep_history=keep_history,
        today=today,
    )
    if changed:
        dashboards_changed(team_id=indicator.team_id)
    return measurement, created


ENTRY_SOURCES = (Indicator.Source.MANUAL, Indicator.Source.CSV, Indicator.Source.API)


class MeasurementRefused(ValidationError):
    """People or other systems may not write a value into this indicator."""


def measurement_entry_refusal(*, indicator: Indicator) -> str | None:
    """Why a value entered by hand, imported from a CSV file or sent through the API may
    not go into `indicator`, or None when it may.

    One rule for the three ways in: values go to adopted indicators only, and an
    indicator Cocharter computes itself (from client survey answers or weekly
    check-ins) takes values from that feed only, so nobody overwrites a computed value.
    Manual, CSV and API values may correct one another (a history is often imported
    into an indicator entered by hand)."""
    name = {"name": indicator.name}
    if indicator.status == Indicator.Status.RETIRED:
        return _("“%(name)s” is retired: it takes no more values.") % name
    if indicator.status != Indicator.Status.ADOPTED:
        return _("“%(name)s” is still a proposal: it takes values once the team adopts it.") % name
    if indicator.source == Indicator.Source.SURVEY:
        return (
            _("“%(name)s” is computed from the client survey answers: values cannot be entered.")
            % name
        )
    if selectors.is_fed_by_checkins(indicator):
        return (
            _("“%(name)s” is computed from the weekly check-ins: values cannot be entered.") % name
        )
    return None


@transaction.atomic
def measurement_enter(
    *,
    indicator: Indicator,
    day: date,
    value: Decimal,
    by: User | None,
    source: str,
    note: str = "",
) -> tuple[Measurement, bool]:
    """Records a value entered by hand, imported or sent through the API, when the entry
    rule allows it (measurement_entry_refusal); raises MeasurementRefused otherwise.
    The indicator is read again under lock, so a retirement in between is seen."""
    if source not in ENTRY_SOURCES:
        raise ValueError(f"Not an entry source: {source}")
    indicator = selectors.with_feed(Indicator.objects.select_for_update()).get(pk=indicator.pk)
    refusal = measurement_entry_refusal(indicator=indicator)
    if refusal:
        raise MeasurementRefused(refusal)
    return measurement_record(
        indicator=indicator, day=day, value=value, by=by, source=source, note=note
    )


class ImportRefused(Exception):
    """Rows of a checked file that may no longer be written, as (line, reason) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def measurements_import(*, team: Team, rows: list[dict], by: User) -> int:
    """Writes every row of a checked CSV file, or none. The entry rule is applied again
    under lock, since an indicator may have been retired since the preview; raises
    ImportRefused with the lines that no longer pass."""
    found = Indicator.objects.select_for_update().filter(
        team=team, pk__in={row["indicator_id"] for row in rows}
    )
    indicators = {i.pk: i for i in selectors.with_feed(found.order_by("pk"))}
    errors = []
    today = selectors.team_today(team)
    for row in rows:
        indicator = indicators.get(row["indicator_id"])
        if indicator is None:
            errors.append((row["line"], _("This indicator no longer exists.")))
        elif refusal := measurement_entry_refusal(indicator=indicator):
            errors.append((row["line"], refusal))
        else:
            refusals = rules.measurement_refusals(
                indicator=indicator,
                day=date.fromisoformat(row["period"]),
                value=Decimal(row["value"]),
                today=today,
            )
            errors.extend((row["line"], why) for why in refusals.values())
    if errors:
        raise ImportRefused(errors)
    changed_any = False
    for row in rows:
        _measurement, _created, changed = _measurement_upsert(
            indicator=indicators[row["indicator_id"]],
            day=date.fromisoformat(row["period"]),
            value=Decimal(row["value"]),
            note=row["note"],
            by=by,
            source=Indicator.Source.CSV,
            answer_count=None,
            today=today,
        )
        changed_any = changed_any or changed
    if changed_any:  # one bump for the file, not one per row
        dashboards_changed(team_id=team.pk)
    return len(rows)


def api_token_create(*, team: Team, name: str, by: User) -> tuple[ApiToken, str]:
    """Creates a token and returns it with its raw value, which is never stored."""
    raw = "coc_" + new_token()
    token = ApiToken.objects.create(
        team=team, name=name, token_hash=token_hash(raw), prefix=raw[:8], created_by=by
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def wall_link_create(*, team: Team, by: User) -> WallLink:
    return WallLink.objects.create(team=team, created_by=by)


def wall_link_revoke(*, link: WallLink) -> None:
    WallLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def review_note_add(*, team: Team, author: User, **fields) -> ReviewNote:
    return ReviewNote.objects.create(team=team, author=author, **fields)


def survey_create(
    *, team: Team, client_group: ClientGroup, indicator: Indicator, by: User
) -> Survey:
    return Survey.objects.create(
        team=team, client_group=client_group, indicator=indicator, created_by=by
    )


def survey_close(*, survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(is_open=False)


class DuplicateAnswer(Exception):
    pass


class SurveyClosed(Exception):
    """The survey, or the indicator it feeds, no longer takes answers."""


@transaction.atomic
def survey_answer_submit(
    *,
    survey: Survey,
    score: int,
    comment: str,
    nonce: str,
    point_scores: dict[int, int] | None = None,
) -> SurveyAnswer:
    """Keeps the raw answer, then recomputes the indicator's value for the period:
    the share of answers scoring 4 or 5, with the number of answers.
    Raises DuplicateAnswer when this form (its nonce) was already sent, SurveyClosed
    when the survey is closed or its indicator is not (or no longer) adopted."""
    # Serialises the recomputation of the period's value between concurrent answers,
    # and with a retirement (which closes the indicator's surveys).
    indicator = Indicator.objects.select_for_update().get(pk=survey.indicator_id)
    if indicator.status != Indicator.Status.ADOPTED or not survey.is_open:
        raise SurveyClosed
    today = selectors.team_today(survey.team)
    start = metrics.period_start(today, indicator.frequency)
    try:
        with transaction.atomic():
            answer = SurveyAnswer.objects.create(
                survey=survey, score=score, comment=comment.strip(), nonce=nonce, period_start=start
            )
    except IntegrityError:
        raise DuplicateAnswer from None
    SurveyPointRating.objects.bulk_create(
        SurveyPointRating(answer=answer, point_id=point_id, score=value)
        for point_id, value in (point_scores or {}).items()
    )
    counts = SurveyAnswer.objects.filter(survey__indicator=indicator, period_start=start).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=metrics.SATISFIED_SCORE))
    )
    measurement_record(
        indicator=indicator,
        day=start,
        value=metrics.satisfaction_share(counts["satisfied"], counts["total"]),
        by=None,
        source=Indicator.Source.SURVEY,
        answer_count=counts["total"],
        today=today,
    )
    return answer


def charter_links_carry(*, version, carried: dict[int, int]) -> None:
    """An indicator linked to a charter point is linked to the point's new version too,
    when a newly published version carries the point on (registered with charter.hooks)."""
    through = Indicator.charter_points.through
    links = through.objects.filter(charterpoint_id__in=carried).values_list(
        "indicator_id", "charterpoint_id"
    )
    through.objects.bulk_create(
        [through(indicator_id=i, charterpoint_id=carried[p]) for i, p in links],
        ignore_conflicts=True,
    )
