"""Indicators a team co-defines, their targets, measurements and the ways data arrives
(manual entry, CSV, API tokens, client surveys), plus review notes and wall screens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.models import ClientGroup, Team


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# How many decimals an indicator's values show when it does not say (Indicator.decimals).
DEFAULT_DECIMALS = {"minutes": 0, "hours": 1, "percent": 1, "count": 0, "score": 1}


def decimals_for(unit: str, decimals: int | None) -> int:
    return DEFAULT_DECIMALS.get(unit, 2) if decimals is None else decimals


class Indicator(models.Model):
    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        PERCENT = "percent", _("%")
        COUNT = "count", _("count")
        SCORE = "score", _("score")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        RANGE = "range", _("Stay within a range")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        SURVEY = "survey", _("Client survey")
        API = "api", _("API")
        CSV = "csv", _("CSV import")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        RETIRED = "retired", _("Retired")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=120)
    client_question = models.CharField(
        _("client question"),
        max_length=300,
        help_text=_(
            "Concretely, what would make the people in contact with us say they are "
            "satisfied with the answer they got?"
        ),
    )
    observed = models.TextField(_("what we observe"), blank=True)
    measured = models.TextField(_("how we measure it"), blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    # Its values, target and baseline show this many decimals everywhere (empty: what
    # suits its unit, DEFAULT_DECIMALS).
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"),
        null=True,
        blank=True,
        choices=[(0, "0"), (1, "1"), (2, "2")],
        help_text=_("How precise its values read, e.g. 1 for 92.5 %. Empty: suited to the unit."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MANUAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    client_group = models.ForeignKey(
        ClientGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("client group"),
    )
    charter_points = models.ManyToManyField(
        "charter.CharterPoint",
        blank=True,
        related_name="indicators",
        verbose_name=_("charter points it shows"),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["team", "status"], name="indicator_team_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "adopted", "retired"]),
                name="indicator_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["higher", "lower", "range"]),
                name="indicator_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(decimals__isnull=True) | Q(decimals__lte=2),
                name="indicator_decimals_0_to_2",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def precision(self) -> int:
        """The number of decimals its values show."""
        return decimals_for(self.unit, self.decimals)


class IndicatorTarget(models.Model):
    """The target from `valid_from` on; targets may change from one period to the next.

    A range indicator uses `low` and `high`; the others use `value`.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    valid_from = models.DateField(_("valid from"))
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True)
    low = models.DecimalField(_("low bound"), max_digits=12, decimal_places=2, null=True)
    high = models.DecimalField(_("high bound"), max_digits=12, decimal_places=2, null=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "valid_from"], name="one_target_per_start"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(low__isnull=False, high__isnull=False, low__lte=models.F("high")),
                name="target_has_value_or_range",
            ),
        ]

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.low}–{self.high}"
        return str(self.value)


class Opinion(models.Model):
    """One person's straw-poll answer on a proposed indicator; they may change it."""

    class Choice(models.TextChoices):
        SUPPORT = "support", _("Support")
        NEUTRAL = "neutral", _("Neutral")
        OBJECT = "object", _("Object")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="opinions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "user"], name="one_opinion_per_person"),
            models.CheckConstraint(
                condition=Q(choice__in=["support", "neutral", "object"]), name="opinion_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.choice}"


class Comment(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:40]


class Measurement(models.Model):
    """The value of an indicator for one period (period_start is the period's first day)."""

    indicator = models.ForeignKey(
        # An indicator that has been measured is never deleted: it is retired.
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    answer_count = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Indicator.Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "-period_start"]
        constraints = [
            # Its index (indicator_id, period_start) also serves the "latest values"
            # queries: PostgreSQL reads a b-tree backwards for ORDER BY period_start DESC.
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="one_measurement_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.value}"


class MeasurementRevision(models.Model):
    """The value a measurement had before someone corrected it."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="revisions")
    old_value = models.DecimalField(max_digits=12, decimal_places=2)
    old_note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.measurement_id} was {self.old_value}"


class ReviewNote(models.Model):
    """The team's review of a period: where we stand, what works, what holds us back."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="review_notes")
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_notes",
        verbose_name=_("indicator"),
    )
    period_start = models.DateField(_("period"))
    where_we_stand = models.TextField(_("Where we stand"), max_length=2000)
    working = models.TextField(_("What is working"), max_length=2000, blank=True)
    holding_back = models.TextField(_("What is holding us back"), max_length=2000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-created_at"]
        indexes = [models.Index(fields=["team", "-period_start"], name="review_team_period")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.period_start}"

    @property
    def frequency(self) -> str:
        """How its period is spoken of: the indicator's, or a day for a team-wide note."""
        return self.indicator.frequency if self.indicator_id else Indicator.Frequency.DAILY


class ApiToken(models.Model):
    """A team's key for the JSON API. Only its SHA-256 is stored; it is shown once."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WallLink(models.Model):
    """A revocable read-only link to the team dashboard, for a wall screen."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="wall_links")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"wall {self.team_id}"


class Survey(models.Model):
    """A public link a team shares with one client group; answers feed an indicator."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="surveys")
    client_group = models.ForeignKey(
        # Deleting a client group must not delete the raw answers its clients gave.
        ClientGroup,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("client group"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("indicator it feeds"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client_group} → {self.indicator}"


class SurveyAnswer(models.Model):
    """A client's raw answer, kept as given. `nonce` makes a form count only once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=1000)
    nonce = models.CharField(max_length=100, unique=True)
    period_start = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["survey", "period_start"], name="answer_survey_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class SurveyPointRating(models.Model):
    """A client's optional rating (1-5) of one charter point, given with an answer."""

    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="ratings")
    point = models.ForeignKey(
        "charter.CharterPoint", on_delete=models.CASCADE, related_name="survey_ratings"
    )
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "point"], name="one_rating_per_point"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}: {self.score}/5"
