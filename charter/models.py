import secrets
import unicodedata
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.ranges import DayWindow, Range
from facilitation.timer import StepTimer
from teams.models import ClientGroup, Team

MAX_POINTS = 6
MAX_DOTS = 20
# What a facilitator may set: dots per person, and the minutes of each step's time box.
DOTS = Range(1, MAX_DOTS)
TIME_BOX = Range(0, 240)
# An observation is of a contact that happened, in the last twelve months.
OBSERVED_ON = DayWindow(back=relativedelta(years=1), ahead=relativedelta())


def keyword_normalise(text: str) -> str:
    """The uniqueness key of a keyword: no accents, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def keyword_clean_label(text: str) -> str:
    """The label shown to people: what they typed, with spaces tidied."""
    return " ".join(text.split())


def coaching_question_default(label: str) -> str:
    """The coaching question offered for a keyword, for the facilitator to adjust."""
    return gettext("Did you take a chance to be %(keyword)s today?") % {"keyword": label.lower()}


class Keyword(models.Model):
    """A behaviour keyword of a team's vocabulary ("patient", "honest"...)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="keywords")
    label = models.CharField(_("keyword"), max_length=60)
    normalised = models.CharField(max_length=60, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["normalised"]
        constraints = [
            models.UniqueConstraint(fields=["team", "normalised"], name="unique_team_keyword"),
            models.CheckConstraint(condition=~Q(normalised=""), name="keyword_not_blank"),
        ]

    def __str__(self) -> str:
        return self.label


class Observation(models.Model):
    """One client contact the team noticed: the reaction and the behaviour behind it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hide_author = models.BooleanField(
        _("hide my name from my colleagues"),
        default=False,
    )
    reaction = models.CharField(_("client reaction"), max_length=200)
    behaviour = models.TextField(_("what we did that caused it"), max_length=1000)
    keywords = models.ManyToManyField(Keyword, related_name="observations", blank=True)
    client_group = models.ForeignKey(
        ClientGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("client group"),
    )
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-observed_on", "-created_at"]
        indexes = [models.Index(fields=["team", "-observed_on"], name="observation_team_date")]

    def __str__(self) -> str:
        return self.reaction

    def author_visible_to(self, user) -> bool:
        return not self.hide_author or self.author_id == user.pk


class Step(models.IntegerChoices):
    OBSERVE = 1, _("Review observations")
    PROPOSE = 2, _("Propose keywords")
    VOTE = 3, _("Vote")
    SELECT = 4, _("Select 5-6 keywords")
    DRAFT = 5, _("Draft charter points")
    PUBLISH = 6, _("Publish")


class Workshop(StepTimer, models.Model):
    """A facilitated session that walks a team from observations to a published charter."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("title"), max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    step = models.PositiveSmallIntegerField(choices=Step.choices, default=Step.OBSERVE)
    dots_per_person = models.PositiveSmallIntegerField(
        _("dots per person"), default=6, validators=DOTS.validators()
    )
    max_dots_per_keyword = models.PositiveSmallIntegerField(
        _("maximum dots on one keyword"), default=3, validators=DOTS.validators()
    )
    results_hidden = models.BooleanField(_("hide the totals until I reveal them"), default=True)
    revealed = models.BooleanField(default=False)
    # The step's timer (facilitation.timer): running, paused or stopped.
    step_ends_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.PositiveIntegerField(null=True, blank=True)
    observe_minutes = models.PositiveSmallIntegerField(
        _("review observations (minutes)"), default=10, validators=TIME_BOX.validators()
    )
    propose_minutes = models.PositiveSmallIntegerField(
        _("propose keywords (minutes)"), default=10, validators=TIME_BOX.validators()
    )
    vote_minutes = models.PositiveSmallIntegerField(
        _("vote (minutes)"), default=5, validators=TIME_BOX.validators()
    )
    select_minutes = models.PositiveSmallIntegerField(
        _("select (minutes)"), default=10, validators=TIME_BOX.validators()
    )
    draft_minutes = models.PositiveSmallIntegerField(
        _("draft points (minutes)"), default=20, validators=TIME_BOX.validators()
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            DOTS.check("dots_per_person", name="workshop_dots_in_range"),
            models.CheckConstraint(
                condition=Q(max_dots_per_keyword__gte=1)
                & Q(max_dots_per_keyword__lte=F("dots_per_person")),
                name="workshop_cap_within_budget",
            ),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=6), name="workshop_step"),
            *(
                TIME_BOX.check(f"{step}_minutes", name=f"workshop_{step}_minutes_range")
                for step in ("observe", "propose", "vote", "select", "draft")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.published_at is not None

    def minutes_for(self, step: int) -> int:
        field = {
            Step.OBSERVE: "observe_minutes",
            Step.PROPOSE: "propose_minutes",
            Step.VOTE: "vote_minutes",
            Step.SELECT: "select_minutes",
            Step.DRAFT: "draft_minutes",
        }.get(step)
        return getattr(self, field) if field else 0

    @property
    def totals_visible(self) -> bool:
        return self.revealed or not self.results_hidden


class Participant(models.Model):
    """Someone who joined a workshop; `done` is for the current step only."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workshop}"


class WorkshopKeyword(models.Model):
    """A keyword on the table of one workshop, with how often it was proposed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="+")
    proposals = models.PositiveIntegerField(default=1)
    selected = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="merged"
    )
    # The statement the facilitator retained for this keyword in the draft step.
    statement = models.CharField(max_length=240, blank=True)
    coaching_question = models.CharField(max_length=240, blank=True)
    # Its place in the charter once the facilitator reorders the points; until then the
    # points follow the team's vote (selectors.points_in_order).
    position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["keyword__normalised"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "keyword"], name="unique_workshop_keyword"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(selected=False),
                name="merged_keyword_not_selected",
            ),
        ]

    def __str__(self) -> str:
        return self.keyword.label

    @property
    def is_ready(self) -> bool:
        """The facilitator retained a statement and its coaching question."""
        return bool(self.statement and self.coaching_question)


class Vote(models.Model):
    """One dot. The unique constraints make a voter's dots and per-keyword slots
    distinct numbers, so a replayed request cannot add a dot twice; the service locks
    the participant row and holds the rules steady while it counts."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    keyword = models.ForeignKey(WorkshopKeyword, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dot_number = models.PositiveSmallIntegerField()
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "voter", "dot_number"], name="unique_vote_dot"
            ),
            models.UniqueConstraint(fields=["keyword", "voter", "slot"], name="unique_vote_slot"),
            models.CheckConstraint(
                condition=Q(dot_number__gte=1, dot_number__lte=MAX_DOTS), name="vote_dot_in_range"
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1, slot__lte=MAX_DOTS), name="vote_slot_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"dot {self.dot_number} on {self.keyword_id}"


class StatementProposal(models.Model):
    """A member's wording of a charter point for one selected keyword."""

    keyword = models.ForeignKey(
        WorkshopKeyword, on_delete=models.CASCADE, related_name="proposals_made"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("statement"), max_length=240)
    endorsements = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["keyword", "text"], name="unique_statement_text")
        ]

    def __str__(self) -> str:
        return self.text


def _new_share_token() -> str:
    return secrets.token_urlsafe(24)


class Charter(models.Model):
    """A team's Customer Experience Charter: a series of immutable versions."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="charter")
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # What the public page shows besides the points: the coaching questions are the
    # team's own, so they stay inside unless the team chooses to publish them.
    public_questions = models.BooleanField(
        _("show our coaching questions on the public page"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Charter of {self.team}"


class CharterVersion(models.Model):
    """A published version. Never edited: publishing again creates the next number."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    workshop = models.OneToOneField(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charter_version",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="unique_charter_version"),
            models.CheckConstraint(condition=Q(number__gte=1), name="charter_version_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class CharterPoint(models.Model):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField()
    keyword = models.CharField(_("keyword"), max_length=60)
    statement = models.CharField(_("statement"), max_length=240)
    coaching_question = models.CharField(_("coaching question"), max_length=240)
    # The same point through the versions. A point carried into a new version (same
    # keyword, or its statement reworded: charter/lineage.py) keeps its lineage, and with
    # it the history of everything tied to it: check-ins, survey ratings, indicators.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["lineage"], name="charter_point_lineage")]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_point_position"),
            models.UniqueConstraint(
                fields=["version", "lineage"], name="unique_point_lineage_per_version"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_POINTS), name="point_position_1_6"
            ),
        ]

    def __str__(self) -> str:
        return self.statement


class Endorsement(models.Model):
    """ "I commit to this charter": one per person and version."""

    version = models.ForeignKey(
        CharterVersion, on_delete=models.CASCADE, related_name="endorsements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="unique_endorsement")
        ]

    def __str__(self) -> str:
        return f"{self.user} endorses {self.version}"
