"""Writes for change ideas and gap-analysis meetings."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from facilitation.timer import TIMER_FIELDS
from teams.models import Team

from . import live, selectors
from .models import (
    STEP_ORDER,
    ChangeIdea,
    Checkin,
    CheckinIndicator,
    CheckinReminderOptOut,
    CheckinSettings,
    FollowUp,
    GapAnswer,
    GapMeeting,
    IdeaComment,
    Phase,
    PhaseChange,
    Question,
    Source,
    Step,
    SummaryOptOut,
)


def _ensure_member(team: Team, user: User) -> None:
    if not team.memberships.filter(user=user).exists():
        raise ValidationError(_("The owner must belong to the team."))


# Implementation tracker


@transaction.atomic
def change_idea_create(
    *,
    team: Team,
    title: str,
    focus_area: str,
    owner: User,
    created_by: User | None,
    next_step: str = "",
    due_date: date | None = None,
    source: str = Source.ANYONE,
    gap_meeting: GapMeeting | None = None,
    source_answer: GapAnswer | None = None,
    indicator=None,
) -> ChangeIdea:
    """Creates an idea in the "concrete idea" phase."""
    _ensure_member(team, owner)
    if indicator is not None and indicator.team_id != team.pk:
        raise ValidationError(_("The indicator belongs to another team."))
    now = timezone.now()
    return ChangeIdea.objects.create(
        team=team,
        title=title.strip(),
        focus_area=focus_area,
        owner=owner,
        next_step=next_step.strip(),
        due_date=due_date,
        source=source,
        gap_meeting=gap_meeting,
        source_answer=source_answer,
        indicator=indicator,
        created_by=created_by,
        created_at=now,
        moved_at=now,
    )


@transaction.atomic
def change_idea_update(*, idea: ChangeIdea, **fields) -> ChangeIdea:
    """Changes the title, focus, owner, next step or due date (not the phase)."""
    allowed = {"title", "focus_area", "owner", "next_step", "due_date", "indicator", "source"}
    if fields.keys() - allowed:
        raise ValueError(f"not editable here: {fields.keys() - allowed}")
    if "owner" in fields:
        _ensure_member(idea.team, fields["owner"])
    for name, value in fields.items():
        setattr(idea, name, value)
    idea.save(update_fields=list(fields))
    return idea


@transaction.atomic
def change_idea_move(
    *, idea: ChangeIdea, to_phase: str, by: User, reason: str = "", next_step: str | None = None
) -> ChangeIdea:
    """Moves an idea to another phase and records who moved it and when.

    Dropping needs a reason; the row is locked so two people moving the same idea at
    once write two consistent history rows.
    """
    if to_phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    idea = ChangeIdea.objects.select_for_update().get(pk=idea.pk)
    if idea.phase == to_phase:
        raise ValidationError(_("The idea is already in this phase."))
    reason = reason.strip()
    if to_phase == Phase.DROPPED and not reason:
        raise ValidationError(_("Say why the idea is dropped: the team learns from it."))
    now = timezone.now()
    PhaseChange.objects.create(
        idea=idea, from_phase=idea.phase, to_phase=to_phase, by=by, at=now, note=reason
    )
    idea.phase = to_phase
    idea.moved_at = now
    idea.dropped_reason = reason if to_phase == Phase.DROPPED else ""
    fields = ["phase", "moved_at", "dropped_reason"]
    if next_step is not None:
        idea.next_step = next_step.strip()
        fields.append("next_step")
    idea.save(update_fields=fields)
    return idea


def idea_comment_add(*, idea: ChangeIdea, author: User, body: str) -> IdeaComment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    return IdeaComment.objects.create(idea=idea, author=author, body=body)


def follow_up_record(*, team: Team, by: User) -> FollowUp:
    """Marks the follow-up slot as held: the next one shows changes from now on."""
    return FollowUp.objects.create(team=team, by=by)


# Gap-analysis meetings


@transaction.atomic
def gap_meeting_start(
    *,
    team: Team,
    facilitator: User,
    focus_area: str,
    focus_detail: str = "",
    minutes_benefit: int = 7,
    minutes_obstacles: int = 7,
    minutes_actions: int = 7,
    minutes_wrapup: int = 7,
) -> GapMeeting:
    """Starts a meeting on its first question, the timer running."""
    now = timezone.now()
    meeting = GapMeeting.objects.create(
        team=team,
        facilitator=facilitator,
        focus_area=focus_area,
        focus_detail=focus_detail.strip(),
        minutes_benefit=minutes_benefit,
        minutes_obstacles=minutes_obstacles,
        minutes_actions=minutes_actions,
        minutes_wrapup=minutes_wrapup,
        step=Step.BENEFIT,
        step_started_at=now,
        step_ends_at=now + timedelta(minutes=minutes_benefit),
        created_at=now,
    )
    live.GAP_MEETING.changed(meeting.pk)
    return meeting


def _locked(meeting: GapMeeting) -> GapMeeting:
    meeting = GapMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_open:
        raise ValidationError(_("This meeting is closed."))
    return meeting


def _save(meeting: GapMeeting, *fields: str, what: str = "") -> GapMeeting:
    meeting.save(update_fields=list(fields))
    live.GAP_MEETING.changed(meeting.pk, what=what)
    return meeting


@transaction.atomic
def gap_meeting_next_step(*, meeting: GapMeeting) -> GapMeeting:
    """Moves to the next question (or the wrap-up) and restarts the timer."""
    meeting = _locked(meeting)
    if meeting.step == Step.WRAPUP:
        raise ValidationError(_("The wrap-up is the last step: close the meeting instead."))
    meeting.step = STEP_ORDER[STEP_ORDER.index(meeting.step) + 1]
    meeting.step_started_at = timezone.now()
    meeting.timer_run(meeting.minutes_for(meeting.step) * 60)
    return _save(meeting, "step", "step_started_at", *TIMER_FIELDS, what=live.STEP)


@transaction.atomic
def gap_meeting_add_time(*, meeting: GapMeeting, minutes: int = 1) -> GapMeeting:
    """Gives the current step more time, running or paused."""
    meeting = _locked(meeting)
    meeting.timer_add(minutes * 60)
    return _save(meeting, *TIMER_FIELDS, what=live.TIMER)


@transaction.atomic
def gap_meeting_pause(*, meeting: GapMeeting) -> GapMeeting:
    """Pauses a running timer, or resumes a paused one."""
    meeting = _locked(meeting)
    if meeting.is_paused:
        meeting.timer_run(meeting.paused_remaining)
    else:
        meeting.timer_pause()
    return _save(meeting, *TIMER_FIELDS, what=live.TIMER)


@transaction.atomic
def gap_meeting_reveal(*, meeting: GapMeeting, question: str) -> GapMeeting:
    """Shows everyone the answers to one question."""
    if question not in Question.values:
        raise ValidationError(_("Unknown question."))
    meeting = _locked(meeting)
    setattr(meeting, f"revealed_{question}", True)
    return _save(meeting, f"revealed_{question}")


@transaction.atomic
def gap_meeting_close(*, meeting: GapMeeting) -> GapMeeting:
    """Closes the meeting and e-mails its summary to each participant who wants it,
    through the meetings app's reminders: one row per person, sent once each (after
    commit), a failure for one person retried without holding up the others."""
    meeting = _locked(meeting)
    meeting.step = Step.CLOSED
    meeting.closed_at = timezone.now()
    meeting.timer_run(0)
    _save(meeting, "step", "closed_at", *TIMER_FIELDS, what=live.STEP)
    if apps.is_installed("meetings"):
        from notifications.services import reminders_add

        from .steering import gap_summary_rows

        reminders_add(rows=gap_summary_rows(meeting=meeting, due_at=meeting.closed_at))
    return meeting


def gap_answer_post(
    *, meeting: GapMeeting, author: User, question: str, body: str, anonymous: bool = False
) -> GapAnswer:
    """Adds someone's answer to the question the meeting is on (not to another one, nor
    during the wrap-up: the shared screen leads the conversation)."""
    # Where the meeting is now, not where it was when the caller loaded it.
    meeting.step = GapMeeting.objects.values_list("step", flat=True).get(pk=meeting.pk)
    if not meeting.is_open:
        raise ValidationError(_("This meeting is closed."))
    if question not in Question.values:
        raise ValidationError(_("Unknown question."))
    if meeting.step == Step.WRAPUP:
        raise ValidationError(_("The meeting is in its wrap-up: answers are closed."))
    if question != meeting.step:
        asked, current = STEP_ORDER.index(question) + 1, STEP_ORDER.index(meeting.step) + 1
        if asked < current:
            message = _("Question %(asked)s is over: the meeting is on question %(current)s.")
        else:
            message = _(
                "Question %(asked)s is not open yet: the meeting is on question %(current)s."
            )
        raise ValidationError(message % {"asked": asked, "current": current})
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your answer first."))
    answer = GapAnswer.objects.create(
        meeting=meeting, author=author, question=question, body=body, anonymous=anonymous
    )
    live.GAP_MEETING.changed(meeting.pk)
    return answer


def gap_answer_arrange(
    *,
    answer: GapAnswer,
    group_label: str | None = None,
    highlighted: bool | None = None,
    hidden: bool | None = None,
) -> GapAnswer:
    """The facilitator groups an answer with similar ones, highlights it, or hides it
    from the team (its author still sees it)."""
    fields = []
    if hidden is not None:
        answer.hidden = hidden
        fields.append("hidden")
    if group_label is not None:
        answer.group_label = group_label.strip()
        fields.append("group_label")
    if highlighted is not None:
        answer.highlighted = highlighted
        fields.append("highlighted")
    if fields:
        answer.save(update_fields=fields)
        live.GAP_MEETING.changed(answer.meeting_id)
    return answer


@transaction.atomic
def gap_answer_to_idea(
    *, answer: GapAnswer, title: str, owner: User, by: User, next_step: str = ""
) -> ChangeIdea:
    """Turns an answer (usually to "what can we do") into a change idea with an owner."""
    answer = GapAnswer.objects.select_for_update().select_related("meeting").get(pk=answer.pk)
    if ChangeIdea.objects.filter(source_answer=answer).exists():
        raise ValidationError(_("This answer is already an idea."))
    if answer.hidden:
        raise ValidationError(_("This answer is hidden from the team: show it again first."))
    meeting = answer.meeting
    idea = change_idea_create(
        team=meeting.team,
        title=title,
        focus_area=meeting.focus_area,
        owner=owner,
        created_by=by,
        next_step=next_step,
        source=Source.GAP_ANALYSIS,
        gap_meeting=meeting,
        source_answer=answer,
    )
    live.GAP_MEETING.changed(meeting.pk)
    return idea


@transaction.atomic
def _team_opt_out_set(*, model, kind: str, team: Team, user: User, wanted: bool) -> None:
    """A team-level switch for one kind of e-mail, consistent with the person's switch
    for that kind in all teams (My reminders): wanting it here while it is off
    everywhere turns it back on for this team only, the other teams staying off."""
    if not wanted:
        model.objects.get_or_create(team=team, user=user)
        return
    model.objects.filter(team=team, user=user).delete()
    if not apps.is_installed("meetings"):
        return
    from notifications.selectors import kind_enabled
    from notifications.services import reminder_preference_set

    if not kind_enabled(user=user, kind=kind):
        others = Team.objects.filter(memberships__user=user).exclude(pk=team.pk)
        model.objects.bulk_create(
            [model(team=other, user=user) for other in others], ignore_conflicts=True
        )
        reminder_preference_set(user=user, kind=kind, enabled=True)


def summary_emails_set(*, team: Team, user: User, wanted: bool) -> None:
    """Records whether someone wants gap-analysis summaries of this team by e-mail."""
    _team_opt_out_set(model=SummaryOptOut, kind="gap_summary", team=team, user=user, wanted=wanted)


# Weekly check-ins


def checkin_settings_save(*, team: Team, weekday: int, reminder_hour: int) -> CheckinSettings:
    settings_row, _created = CheckinSettings.objects.update_or_create(
        team=team, defaults={"weekday": weekday, "reminder_hour": reminder_hour}
    )
    return settings_row


@dataclass
class CheckinAnswer:
    point_id: int
    answer: str
    example: str = ""
    share_example: bool = False


@transaction.atomic
def checkin_submit(
    *, team: Team, user: User, week: date, answers: list[CheckinAnswer]
) -> list[Checkin]:
    """Records (or corrects) the person's answers for the week, one per charter point.
    The check-in indicators take the week's figures once it is over (`checkin_weeks_record`)."""
    current = dict(selectors.current_points(team=team).values_list("pk", "lineage"))
    saved = []
    for item in answers:
        if item.point_id not in current:
            raise ValidationError(_("This question is no longer in the charter."))
        if item.answer not in Checkin.Answer.values:
            raise ValidationError(_("Answer yes or not yet."))
        example = item.example.strip()
        # By lineage: an answer given this week to the point's previous version is
        # corrected, and moves to the current version, instead of counting twice.
        checkin, _created = Checkin.objects.update_or_create(
            user=user,
            lineage=current[item.point_id],
            week=week,
            defaults={
                "point_id": item.point_id,
                "team": team,
                "answer": item.answer,
                "example": example,
                "share_example": item.share_example and bool(example),
                "answered_at": timezone.now(),
            },
        )
        saved.append(checkin)
    return saved


def checkin_reminders_set(*, team: Team, user: User, wanted: bool) -> None:
    """Records whether someone wants the weekly check-in e-mail of this team."""
    _team_opt_out_set(
        model=CheckinReminderOptOut, kind="checkin", team=team, user=user, wanted=wanted
    )


def checkin_reminders_plan(*, now: datetime | None = None) -> int:
    """Queues this week's check-in e-mail for the people still to answer, in teams whose
    check-in day and hour have come, through the meetings app's reminders.

    Safe to run every few minutes from beat: a reminder row is unique per (person,
    team and week), and the meetings dispatcher sends each row exactly once; the
    e-mail is skipped if the person answered or opted out in the meantime.
    """
    from .steering import checkin_reminders_queue

    now = now or timezone.now()
    queued = 0
    for team, week in selectors.teams_due_for_checkin_reminders(now=now):
        people = selectors.people_to_remind(team=team, week=week)
        queued += checkin_reminders_queue(team=team, week=week, user_ids=people, due_at=now)
    return queued


@transaction.atomic
def checkin_indicators_enable(*, team: Team, by: User) -> list[CheckinIndicator]:
    """Proposes the two check-in indicators to the team (participation and share of
    "yes", in %, weekly), fed automatically from now on."""
    from indicators.models import Indicator
    from indicators.services import indicator_propose

    texts = {
        CheckinIndicator.Kind.PARTICIPATION: (
            _("Check-in participation"),
            _("Do we take the time, every week, to ask ourselves the charter's questions?"),
        ),
        CheckinIndicator.Kind.YES_RATE: (
            _("Charter lived this week (share of “yes”)"),
            _("Would our clients recognise our charter in the way we treated them this week?"),
        ),
    }
    rows = []
    for kind, (name, question) in texts.items():
        existing = CheckinIndicator.objects.filter(team=team, kind=kind).first()
        if existing:
            rows.append(existing)
            continue
        indicator = indicator_propose(
            team=team,
            proposer=by,
            name=str(name),
            client_question=str(question),
            measured=str(_("Computed by Cocharter from the weekly check-ins.")),
            unit=Indicator.Unit.PERCENT,
            direction=Indicator.Direction.HIGHER,
            frequency=Indicator.Frequency.WEEKLY,
            source=Indicator.Source.API,
        )
        rows.append(CheckinIndicator.objects.create(team=team, kind=kind, indicator=indicator))
    return rows


@transaction.atomic
def checkin_indicators_record(*, team: Team, week: date) -> None:
    """Writes a complete week's participation and share of "yes" into the team's
    check-in indicators, keeping no history of earlier values (it would tell what
    someone answered). A week with too few people for its figures gets no value, and
    loses one written by an earlier version of Cocharter."""
    from indicators.models import Indicator, Measurement
    from indicators.services import dashboards_changed, measurement_record

    figures = selectors.checkin_week_figures(team=team, week=week)
    for row in CheckinIndicator.objects.filter(team=team).select_related("indicator"):
        value = figures.get(row.kind)
        if value is None:
            deleted, _rows = Measurement.objects.filter(
                indicator=row.indicator, period_start=week
            ).delete()
            if deleted:
                dashboards_changed(team_id=team.pk)
            continue
        measurement_record(
            indicator=row.indicator,
            day=week,
            value=value,
            by=None,
            source=Indicator.Source.API,
            note=str(_("From the weekly check-ins")),
            keep_history=False,
        )


def checkin_weeks_record(*, now: datetime | None = None) -> int:
    """Records the week that ended into every team's check-in indicators. Run hourly by
    beat: the figures of a finished week no longer change, so a week is written once
    and later runs change nothing. Returns how many teams were recorded."""
    now = now or timezone.now()
    teams = Team.objects.filter(pk__in=CheckinIndicator.objects.values("team"))
    count = 0
    for team in teams:
        previous = selectors.team_week(team=team, now=now) - timedelta(weeks=1)
        checkin_indicators_record(team=team, week=previous)
        count += 1
    return count
