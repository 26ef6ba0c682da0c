"""Client voice: the people a team interviews, its guides, the interviews and the
client's own words (METHOD.md section 11)."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from charter.models import Keyword
from config.ranges import DayWindow, Range
from teams.models import ClientGroup, Team

DURATION = Range(10, 240)
EVIDENCE_DAYS = Range(7, 730)
# An interview is planned within a year, or recorded up to a year after it happened.
INTERVIEW_DAY = DayWindow(back=relativedelta(years=1), ahead=relativedelta(years=1))


class Stakeholder(models.Model):
    """A named person of a client group. Personal data: exportable and erasable."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="stakeholders")
    client_group = models.ForeignKey(
        ClientGroup,
        on_delete=models.PROTECT,
        related_name="stakeholders",
        verbose_name=_("client group"),
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation or department"), max_length=120, blank=True)
    contact = models.CharField(
        _("how to reach them"),
        max_length=200,
        blank=True,
        help_text=_("An e-mail address for the follow-up, or a phone number."),
    )
    language = models.CharField(
        _("their language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    consent_notes = models.BooleanField(_("agreed that we keep notes of the interview"))
    consent_named = models.BooleanField(
        _("agreed to be named beside their words on shared screens"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(name="", contact="", consent_named=False),
                name="stakeholder_erased_is_empty",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(_("Erased stakeholder"))

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Guide(models.Model):
    """An interview guide: ordered questions, each with its purpose and follow-up prompts."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="interview_guides")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("for clients"), max_length=16, choices=ClientGroup.Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Topic(models.TextChoices):
    """What a question is for: the synthesis reads criteria and coordination apart."""

    CONTEXT = "context", _("Their contacts with us")
    STORY = "story", _("A story")
    CRITERIA = "criteria", _("Satisfaction criteria")
    COORDINATION = "coordination", _("Coordination with other teams")
    PRIORITY = "priority", _("What to change first")


class GuideQuestion(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("question"), max_length=300)
    purpose = models.CharField(_("why we ask"), max_length=300, blank=True)
    prompts = models.TextField(
        _("follow-up prompts"), max_length=1000, blank=True, help_text=_("One per line.")
    )
    topic = models.CharField(max_length=16, choices=Topic.choices, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "position"], name="unique_guide_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def prompt_list(self) -> list[str]:
        return [line.strip() for line in self.prompts.splitlines() if line.strip()]


class Interview(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="interviews")
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="interviews",
        verbose_name=_("stakeholder"),
    )
    guide = models.ForeignKey(
        Guide,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("guide"),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=45, validators=DURATION.validators()
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Grows with every change of date, so calendars replace the event (.ics SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        constraints = [
            DURATION.check("duration_minutes", name="interview_duration_range"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "done", "cancelled"]),
                name="interview_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["team", "-scheduled_at"], name="interview_team_date")]

    def __str__(self) -> str:
        return f"{self.stakeholder} · {self.scheduled_at:%Y-%m-%d}"


class Note(models.Model):
    """The interviewer's notes for one question of the guide (position 0: free notes).

    The question's words are copied, so editing a guide later never changes what an
    interview recorded."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notes")
    position = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=300, blank=True)
    topic = models.CharField(max_length=16, choices=Topic.choices, blank=True)
    body = models.TextField(max_length=10000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "position"], name="unique_note_position")
        ]

    def __str__(self) -> str:
        return f"{self.interview_id}:{self.position}"


class Tone(models.TextChoices):
    PRAISE = "praise", _("Praise")
    NEED = "need", _("Need")
    COMPLAINT = "complaint", _("Complaint")
    IDEA = "idea", _("Idea")


class Highlight(models.Model):
    """The client's exact words, tagged after the interview. Erasing the stakeholder
    empties the words but keeps the row, so anonymous keyword counts stay true."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="highlights")
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(max_length=16, choices=Topic.choices, blank=True)
    text = models.TextField(_("their exact words"), max_length=1000, blank=True)
    tone = models.CharField(_("tone"), max_length=16, choices=Tone.choices, blank=True)
    keywords = models.ManyToManyField(
        Keyword, related_name="highlights", blank=True, verbose_name=_("keywords")
    )
    # The charter point, through the versions (CharterPoint.lineage).
    point_lineage = models.UUIDField(null=True, blank=True)
    erased = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tone__in=["", "praise", "need", "complaint", "idea"]),
                name="highlight_tone_valid",
            ),
            models.CheckConstraint(
                condition=Q(erased=False) | Q(text=""), name="highlight_erased_is_empty"
            ),
        ]
        indexes = [models.Index(fields=["point_lineage"], name="highlight_point")]

    def __str__(self) -> str:
        return self.text[:60]


class Criterion(models.Model):
    """What would make the client say "I am satisfied with the answer I got"."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("satisfaction criterion"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class Belief(models.Model):
    """What the team believes its clients value, written before it listens to them."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="client_beliefs")
    keyword = models.ForeignKey(
        Keyword, on_delete=models.CASCADE, related_name="+", verbose_name=_("keyword")
    )
    statement = models.CharField(_("what we believe our clients value"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.statement


class VoiceSettings(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="voice_settings")
    evidence_days = models.PositiveSmallIntegerField(
        _("flag a keyword without client words for (days)"),
        default=90,
        validators=EVIDENCE_DAYS.validators(),
    )

    class Meta:
        constraints = [EVIDENCE_DAYS.check("evidence_days", name="voice_evidence_days_range")]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.evidence_days}"


class FollowUp(models.Model):
    """ "You said, we did": the one message a stakeholder gets about what changed since
    their interview. One per stakeholder, so it is sent once."""

    stakeholder = models.OneToOneField(
        Stakeholder, on_delete=models.CASCADE, related_name="follow_up"
    )
    message = models.TextField(_("what changed since we talked"), max_length=2000)
    point_lineage = models.UUIDField(null=True, blank=True)
    idea_title = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"follow-up {self.stakeholder_id}"
