"""Gap-analysis meetings and the implementation tracker (METHOD.md sections 7 and 8)."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.ranges import DayWindow, Range
from facilitation.timer import StepTimer
from teams.models import Team

# A gap-analysis question or wrap-up lasts 1 to 60 minutes (about seven is the method's).
TIME_BOX = Range(1, 60)
WEEKDAYS = Range(0, 6)
HOURS = Range(0, 23)
# A change idea is due within five years of the day it was written (a year back is
# allowed: an idea written down after the fact).
DUE_DATES = DayWindow(back=relativedelta(years=1), ahead=relativedelta(years=5))


class FocusArea(models.TextChoices):
    TIMELINESS = "timeliness", _("Timeliness of response")
    FOLLOW_UP = "follow_up", _("Follow-up")
    FIRST_GREETING = "first_greeting", _("First greeting")
    COORDINATION = "coordination", _("Coordination with another department")
    OTHER = "other", _("Something else")


class Phase(models.TextChoices):
    IDEA = "idea", _("Concrete idea")
    TEST = "test", _("Test")
    ADAPTED = "adapted", _("Adapted")
    LIVE = "live", _("Live")
    DROPPED = "dropped", _("Dropped")


# The path an idea normally follows; "dropped" sits beside it.
PHASE_ORDER = [Phase.IDEA, Phase.TEST, Phase.ADAPTED, Phase.LIVE]
OPEN_PHASES = [Phase.IDEA, Phase.TEST, Phase.ADAPTED]


class Source(models.TextChoices):
    GAP_ANALYSIS = "gap_analysis", _("Gap-analysis meeting")
    STEERING = "steering", _("Steering meeting decision")
    ANYONE = "anyone", _("Someone in the team")


class Question(models.TextChoices):
    BENEFIT = "benefit", _("What is the major benefit if we make progress here?")
    OBSTACLES = "obstacles", _("What stops us today?")
    ACTIONS = "actions", _("What can we, as a team, do about it?")


class Step(models.TextChoices):
    BENEFIT = "benefit", _("Question 1: the benefit")
    OBSTACLES = "obstacles", _("Question 2: what stops us")
    ACTIONS = "actions", _("Question 3: what we can do")
    WRAPUP = "wrapup", _("Wrap-up")
    CLOSED = "closed", _("Closed")


STEP_ORDER = [Step.BENEFIT, Step.OBSTACLES, Step.ACTIONS, Step.WRAPUP, Step.CLOSED]


class GapMeeting(StepTimer, models.Model):
    """A thirty-minute team meeting on one focus area, run on a shared timer."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="gap_meetings")
    focus_area = models.CharField(_("focus area"), max_length=24, choices=FocusArea.choices)
    focus_detail = models.CharField(_("focus in your own words"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    minutes_benefit = models.PositiveSmallIntegerField(
        _("minutes for question 1"), default=7, validators=TIME_BOX.validators()
    )
    minutes_obstacles = models.PositiveSmallIntegerField(
        _("minutes for question 2"), default=7, validators=TIME_BOX.validators()
    )
    minutes_actions = models.PositiveSmallIntegerField(
        _("minutes for question 3"), default=7, validators=TIME_BOX.validators()
    )
    minutes_wrapup = models.PositiveSmallIntegerField(
        _("minutes for the wrap-up"), default=7, validators=TIME_BOX.validators()
    )
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.BENEFIT)
    # The shared timer (facilitation.timer): running when ends_at is set, paused when
    # paused_remaining is.
    step_started_at = models.DateTimeField(default=timezone.now)
    step_ends_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.PositiveIntegerField(null=True, blank=True)
    revealed_benefit = models.BooleanField(default=False)
    revealed_obstacles = models.BooleanField(default=False)
    revealed_actions = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focus_area__in=FocusArea.values), name="gap_focus_area_valid"
            ),
            models.CheckConstraint(
                condition=~Q(focus_area=FocusArea.OTHER) | ~Q(focus_detail=""),
                name="gap_other_focus_needs_words",
            ),
            models.CheckConstraint(condition=Q(step__in=Step.values), name="gap_step_valid"),
            models.CheckConstraint(
                condition=Q(step_ends_at__isnull=True) | Q(paused_remaining__isnull=True),
                name="gap_timer_running_or_paused",
            ),
            *(
                TIME_BOX.check(f"minutes_{part}", name=f"gap_minutes_{part}_range")
                for part in ("benefit", "obstacles", "actions", "wrapup")
            ),
            models.CheckConstraint(
                condition=Q(step=Step.CLOSED, closed_at__isnull=False)
                | (~Q(step=Step.CLOSED) & Q(closed_at__isnull=True)),
                name="gap_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.focus_label

    @property
    def focus_label(self) -> str:
        if self.focus_area == FocusArea.OTHER:
            return self.focus_detail
        label = self.get_focus_area_display()
        return f"{label}: {self.focus_detail}" if self.focus_detail else label

    @property
    def is_open(self) -> bool:
        return self.step != Step.CLOSED

    def minutes_for(self, step: str) -> int:
        return getattr(self, f"minutes_{step}", 0)

    def is_revealed(self, question: str) -> bool:
        return self.step in (Step.WRAPUP, Step.CLOSED) or getattr(
            self, f"revealed_{question}", False
        )


class GapAnswer(models.Model):
    """One contribution to one of the three questions. The author is always stored (so
    people see their own answers) but shown to others as anonymous when they asked."""

    meeting = models.ForeignKey(GapMeeting, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=16, choices=Question.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    anonymous = models.BooleanField(_("post anonymously"), default=False)
    body = models.CharField(_("your answer"), max_length=500)
    group_label = models.CharField(_("group"), max_length=80, blank=True)
    highlighted = models.BooleanField(default=False)
    # Off-topic or hurtful: the facilitator takes it off the team's screens, the summary
    # and its exports. Its author still sees it, marked as hidden.
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__in=Question.values), name="gap_answer_question_valid"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="gap_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class ChangeIdea(models.Model):
    """An idea for change with an owner, followed through the phases."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="change_ideas")
    title = models.CharField(_("title"), max_length=200)
    focus_area = models.CharField(_("focus area"), max_length=24, choices=FocusArea.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_change_ideas",
        verbose_name=_("owner"),
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    source = models.CharField(
        _("where it comes from"), max_length=16, choices=Source.choices, default=Source.ANYONE
    )
    gap_meeting = models.ForeignKey(
        GapMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    source_answer = models.OneToOneField(
        GapAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="idea"
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_ideas",
        verbose_name=_("indicator it should move"),
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.IDEA)
    dropped_reason = models.CharField(_("why it was dropped"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Last phase change (or creation): what "without movement for too long" measures.
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "created_at", "pk"]
        indexes = [models.Index(fields=["team", "phase", "moved_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="idea_phase_valid"),
            models.CheckConstraint(
                condition=Q(focus_area__in=FocusArea.values), name="idea_focus_area_valid"
            ),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="idea_source_valid"),
            models.CheckConstraint(
                condition=~Q(phase=Phase.DROPPED) | ~Q(dropped_reason=""),
                name="dropped_idea_has_reason",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="idea_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def next_phase(self) -> str | None:
        if self.phase in OPEN_PHASES:
            return PHASE_ORDER[PHASE_ORDER.index(self.phase) + 1]
        return None


class PhaseChange(models.Model):
    """History: who moved an idea from which phase to which, and when."""

    idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["idea", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_phase=F("to_phase")), name="phase_change_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea}: {self.from_phase} → {self.to_phase}"


class IdeaComment(models.Model):
    """Team feedback on an idea (the follow-up slot's "what do you think?")."""

    idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.CharField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return self.body[:60]


class FollowUp(models.Model):
    """The steering meeting's follow-up slot was held: the next one starts from here."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="idea_follow_ups")
    held_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_at"]
        get_latest_by = "held_at"

    def __str__(self) -> str:
        return f"{self.team} {self.held_at:%Y-%m-%d}"


class SummaryOptOut(models.Model):
    """A person who does not want gap-analysis summaries of a team by e-mail."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_summary_opt_out")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.team}"


# Weekly check-ins on the charter (METHOD.md section 4)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CheckinSettings(models.Model):
    """When the team is asked its charter's coaching questions each week."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="checkin_settings")
    weekday = models.PositiveSmallIntegerField(
        _("check-in day"),
        choices=Weekday.choices,
        default=Weekday.FRIDAY,
        validators=WEEKDAYS.validators(),
    )
    reminder_hour = models.PositiveSmallIntegerField(
        _("reminder time (hour, team time zone)"), default=14, validators=HOURS.validators()
    )

    class Meta:
        constraints = [
            WEEKDAYS.check("weekday", name="checkin_weekday_valid"),
            HOURS.check("reminder_hour", name="checkin_reminder_hour_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_weekday_display()}"


class Checkin(models.Model):
    """One person's answer to one charter point's coaching question for one week.

    Private to its author: the team sees aggregates, and the example only when its
    author chose to share it.
    """

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_YET = "not_yet", _("Not yet")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    point = models.ForeignKey(
        "charter.CharterPoint", on_delete=models.CASCADE, related_name="checkins"
    )
    # The point's lineage (CharterPoint.lineage): one answer per person, week and point
    # of the charter, whichever of the point's versions was current when they answered.
    lineage = models.UUIDField(editable=False)
    week = models.DateField()  # the Monday of the week, in the team's time zone
    answer = models.CharField(max_length=8, choices=Answer.choices)
    example = models.CharField(_("a short example"), max_length=300, blank=True)
    share_example = models.BooleanField(_("share this example with the team"), default=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "point__position"]
        indexes = [models.Index(fields=["team", "week"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "point", "week"], name="one_checkin_per_point_and_week"
            ),
            models.UniqueConstraint(
                fields=["user", "lineage", "week"], name="one_checkin_per_lineage_and_week"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["yes", "not_yet"]), name="checkin_answer_valid"
            ),
            models.CheckConstraint(
                condition=Q(share_example=False) | ~Q(example=""),
                name="checkin_shared_example_not_empty",
            ),
            models.CheckConstraint(
                condition=Q(week__iso_week_day=1), name="checkin_week_starts_on_monday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.week} {self.point_id}: {self.answer}"


class CheckinReminderOptOut(models.Model):
    """A person who does not want the weekly check-in e-mail of a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_checkin_opt_out")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.team}"


class CheckinIndicator(models.Model):
    """An indicator fed by the check-ins: participation or share of "yes"."""

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Check-in participation")
        YES_RATE = "yes_rate", _("Share of “yes” in check-ins")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    indicator = models.OneToOneField(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="checkin_source"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "kind"], name="one_checkin_indicator_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.kind}"
