"""Coaching: one-to-ones and personal objectives (private to a manager and a member),
practice situations for managers, the coaching log and modelling feedback of leaders.

An objective is *agreed* only when the manager and the member both accepted the same
wording: every change of wording is a new ObjectiveRevision, and acceptance is recorded
on a revision, so a change after one person accepted asks both again.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from charter.models import CharterPoint, Observation
from config.ranges import Range
from indicators.models import Indicator
from teams.models import Organisation, Team

MINUTES = Range(1, 480)
TARGET = Range(Decimal("-1000000"), Decimal("1000000"))
USER = settings.AUTH_USER_MODEL


class OneToOne(models.Model):
    """A conversation of a manager and one member of their team. Only those two read it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="one_to_ones")
    manager = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("day of the conversation"))
    # The client's side first: the member answers before anything else is written.
    client_view = models.TextField(
        _("what would make the people in contact with you satisfied with the answer they got?"),
        max_length=2000,
        blank=True,
    )
    client_view_at = models.DateTimeField(null=True, blank=True)
    next_on = models.DateField(_("next conversation"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=F("member")), name="one_to_one_of_two_people"
            ),
        ]
        indexes = [models.Index(fields=["team", "held_on"], name="one_to_one_team_day")]

    def __str__(self) -> str:
        return f"{self.manager} / {self.member} {self.held_on}"

    def is_party(self, user) -> bool:
        return user.pk in (self.manager_id, self.member_id)


class Fact(models.Model):
    """What prompted the conversation, attached by the manager: an observation of the
    team or an indicator's value, never a verdict."""

    one_to_one = models.ForeignKey(OneToOne, on_delete=models.CASCADE, related_name="facts")
    text = models.CharField(_("what was observed"), max_length=400, blank=True)
    observation = models.ForeignKey(
        Observation,
        verbose_name=_("observation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Note(models.Model):
    """A note of a conversation: shared with the other person, or private to its author."""

    one_to_one = models.ForeignKey(OneToOne, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("note"), max_length=2000)
    private = models.BooleanField(_("only for me"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class Measure(models.TextChoices):
    PERSONAL = "personal", _("A personal indicator")
    INDICATOR = "indicator", _("A team indicator")
    POINT = "point", _("A charter point's coaching question")


class Objective(models.Model):
    """A personal objective co-constructed in a one-to-one. Its wording lives in its
    revisions; `agreed_revision` is set when both people accepted the latest one."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="objectives")
    manager = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    one_to_one = models.ForeignKey(
        OneToOne, on_delete=models.SET_NULL, null=True, related_name="objectives"
    )
    current = models.ForeignKey(
        "ObjectiveRevision", on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreed_revision = models.ForeignKey(
        "ObjectiveRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=F("member")), name="objective_of_two_people"
            ),
            # Only the latest wording can be the agreed one.
            models.CheckConstraint(
                condition=Q(agreed_revision__isnull=True) | Q(agreed_revision=F("current")),
                name="objective_agreed_on_latest_wording",
            ),
        ]

    def __str__(self) -> str:
        return self.current.statement if self.current_id else f"objective {self.pk}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_revision_id is not None and self.agreed_revision_id == self.current_id

    def is_party(self, user) -> bool:
        return user.pk in (self.manager_id, self.member_id)


class ObjectiveRevision(models.Model):
    """One wording of an objective, never edited: a change is a new revision. Each person
    accepts a revision; both on the same revision make the objective agreed."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    statement = models.CharField(_("what is observed"), max_length=300)
    measure = models.CharField(
        _("how it is measured"), max_length=16, choices=Measure.choices, default=Measure.PERSONAL
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Indicator.Unit.choices, blank=True)
    direction = models.CharField(
        _("direction"), max_length=16, choices=Indicator.Direction.choices, blank=True
    )
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=TARGET.validators(),
    )
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Indicator.Frequency.choices, blank=True
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("team indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    point = models.ForeignKey(
        CharterPoint,
        verbose_name=_("charter point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_on = models.DateField(_("review date"))
    written_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    manager_accepted_at = models.DateTimeField(null=True, blank=True)
    member_accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["objective", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "number"], name="one_objective_revision_number"
            ),
            TARGET.check("target", name="objective_target_range"),
        ]

    def __str__(self) -> str:
        return self.statement

    @property
    def target_places(self) -> int:
        """Decimals worth showing: none for a whole target."""
        return 0 if self.target is None or self.target == self.target.to_integral() else 2

    @property
    def both_accepted(self) -> bool:
        return bool(self.manager_accepted_at and self.member_accepted_at)


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


# The badge each status wears (static/css/app.css).
PROGRESS_BADGE = {"on_track": "ok", "at_risk": "warning", "off_track": "bad"}


class ProgressNote(models.Model):
    """Between conversations: where the objective stands, in the person's own words."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("where it stands"), max_length=16, choices=Progress.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=TARGET.validators(),
    )
    body = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Progress.values), name="progress_status_valid"
            ),
            TARGET.check("value", name="progress_value_range"),
        ]

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def badge(self) -> str:
        return PROGRESS_BADGE.get(self.status, "")

    @property
    def value_places(self) -> int:
        return 0 if self.value is None or self.value == self.value.to_integral() else 2


# Practice ----------------------------------------------------------------------------


class Situation(models.Model):
    """A practice situation of an organisation's own (the built-in ones are in
    coaching/practice.py, translated). Retired situations are kept for the done list."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coaching_situations"
    )
    title = models.CharField(_("title"), max_length=120)
    setting = models.TextField(_("the situation"), max_length=2000)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"org-{self.pk}"


class SituationResponse(models.Model):
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("response"), max_length=400)
    works = models.BooleanField(_("this response works"), default=False)
    why = models.CharField(_("why"), max_length=600)

    class Meta:
        ordering = ["situation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "position"], name="one_situation_response_position"
            )
        ]

    def __str__(self) -> str:
        return self.text


class PracticeAttempt(models.Model):
    """One choice a manager made in a situation (a built-in key or `org-<pk>`)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    situation_key = models.CharField(max_length=40)
    choice = models.PositiveSmallIntegerField()
    works = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "situation_key"], name="practice_user_situation")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.situation_key} {self.choice}"


# Leaders coach and model --------------------------------------------------------------


class CoachingMoment(models.Model):
    """A moment a lead or manager spent coaching: with one person, or the team (nobody)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coaching_moments")
    coach = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        USER,
        verbose_name=_("with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    point = models.ForeignKey(
        CharterPoint,
        verbose_name=_("charter point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=MINUTES.validators())
    note = models.CharField(_("note"), max_length=300, blank=True)
    on = models.DateField(_("day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [MINUTES.check("minutes", name="coaching_moment_minutes_range")]
        indexes = [models.Index(fields=["team", "on"], name="coaching_moment_team_day")]

    def __str__(self) -> str:
        return f"{self.coach_id} {self.minutes} min {self.on}"


class Shown(models.TextChoices):
    YES = "yes", _("Yes, clearly")
    PARTLY = "partly", _("Partly")
    NO = "no", _("Not really")


class ModellingFeedback(models.Model):
    """A member's note on a leader's client conversation: did it show the charter in
    action? Anonymous feedback keeps no author at all."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="modelling_feedback")
    leader = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    shown = models.CharField(
        _("did it show the charter in action?"), max_length=8, choices=Shown.choices
    )
    point = models.ForeignKey(
        CharterPoint,
        verbose_name=_("charter point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    example = models.TextField(_("example"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shown__in=Shown.values), name="modelling_shown_valid"
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=True) | ~Q(author=F("leader")),
                name="modelling_feedback_not_about_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader_id} {self.shown}"
