"""Reads for the implementation tracker and gap-analysis meetings."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from charter.models import CharterPoint, CharterVersion
from teams.models import Team

from .models import (
    OPEN_PHASES,
    ChangeIdea,
    Checkin,
    CheckinReminderOptOut,
    CheckinSettings,
    FollowUp,
    GapAnswer,
    GapMeeting,
    IdeaComment,
    Phase,
    PhaseChange,
    Question,
    SummaryOptOut,
)

STALE_AFTER_DAYS = 21
DEFAULT_FOLLOW_UP_DAYS = 7


def _ideas(team: Team) -> QuerySet[ChangeIdea]:
    return team.change_ideas.select_related("owner").annotate(
        comment_count=Count("comments", distinct=True)
    )


def ideas_board(*, team: Team) -> dict[str, list[ChangeIdea]]:
    """Every idea of the team by phase, in one query."""
    columns: dict[str, list[ChangeIdea]] = {phase: [] for phase in Phase.values}
    for idea in _ideas(team):
        columns[idea.phase].append(idea)
    return columns


def idea_get(*, team: Team, pk: int) -> ChangeIdea:
    try:
        return team.change_ideas.select_related(
            "owner", "created_by", "gap_meeting", "indicator"
        ).get(pk=pk)
    except ChangeIdea.DoesNotExist:
        raise Http404 from None


def idea_history(*, idea: ChangeIdea) -> QuerySet[PhaseChange]:
    return idea.phase_changes.select_related("by")


def idea_comments(*, idea: ChangeIdea) -> QuerySet[IdeaComment]:
    return idea.comments.select_related("author")


def ideas_waiting_for(*, user: User) -> QuerySet[ChangeIdea]:
    """The user's own ideas still on their way (not live, not dropped), in all teams."""
    return (
        ChangeIdea.objects.filter(owner=user, phase__in=OPEN_PHASES, team__memberships__user=user)
        .select_related("team")
        .order_by("due_date", "moved_at")
    )


def follow_up_since(*, team: Team, occurrence=None, previous=None) -> datetime:
    """Start of "what changed" for a steering meeting's follow-up slot, the same on its
    agenda and on the follow-up page: the previous steering meeting of the series, or
    the last follow-up slot held after it (before this meeting), or a week before.

    Without `occurrence`, the meeting at hand is the team's current or next one; its
    `previous` is looked up unless given.
    """
    now = timezone.now()
    if apps.is_installed("meetings"):
        from meetings import selectors as meetings

        if occurrence is None:
            occurrence = meetings.current_or_next_occurrence(team=team)
        if occurrence is None:
            previous = meetings.last_held_occurrence(team=team)
        elif previous is None:
            previous = meetings.previous_occurrence(occurrence=occurrence)
    cutoff = occurrence.starts_at if occurrence is not None else now
    held = (
        FollowUp.objects.filter(team=team, held_at__lt=cutoff)
        .order_by("-held_at")
        .values_list("held_at", flat=True)
        .first()
    )
    starts = [moment for moment in (held, previous and previous.starts_at) if moment]
    return max(starts, default=cutoff - timedelta(days=DEFAULT_FOLLOW_UP_DAYS))


@dataclass
class OwnerIdeas:
    owner: User
    ideas: list[ChangeIdea] = field(default_factory=list)


def follow_up(
    *, team: Team, since: datetime, stale_days: int = STALE_AFTER_DAYS
) -> list[OwnerIdeas]:
    """Each owner's ideas for the steering meeting's follow-up slot, in constant queries.

    Every idea carries `changes_since` (phase changes since `since`), `comments_since`,
    `is_stale` (no movement for `stale_days`, computed in SQL) and `recent_changes`.
    Ideas dropped or gone live before `since` are left out: nothing left to follow.
    """
    stale_before = timezone.now() - timedelta(days=stale_days)
    ideas = (
        team.change_ideas.filter(Q(phase__in=OPEN_PHASES) | Q(moved_at__gte=since))
        .select_related("owner")
        .annotate(
            changes_since=Count(
                "phase_changes", filter=Q(phase_changes__at__gte=since), distinct=True
            ),
            comments_since=Count(
                "comments", filter=Q(comments__created_at__gte=since), distinct=True
            ),
            is_stale=Case(
                When(phase__in=OPEN_PHASES, moved_at__lt=stale_before, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .prefetch_related(
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.filter(at__gte=since).select_related("by"),
                to_attr="recent_changes",
            )
        )
        .order_by("owner__display_name", "owner__pk", "-is_stale", "moved_at")
    )
    owners: dict[int, OwnerIdeas] = {}
    for idea in ideas:
        owners.setdefault(idea.owner_id, OwnerIdeas(owner=idea.owner)).ideas.append(idea)
    return list(owners.values())


# Gap-analysis meetings


def gap_meetings(*, team: Team) -> QuerySet[GapMeeting]:
    return team.gap_meetings.select_related("facilitator").annotate(
        answer_count=Count("answers", distinct=True), idea_count=Count("ideas", distinct=True)
    )


def gap_meeting_get(*, team: Team, pk: int) -> GapMeeting:
    try:
        return team.gap_meetings.select_related("facilitator").get(pk=pk)
    except GapMeeting.DoesNotExist:
        raise Http404 from None


def gap_answer_get(*, meeting: GapMeeting, pk: int) -> GapAnswer:
    try:
        return meeting.answers.select_related("meeting__team").get(pk=pk)
    except GapAnswer.DoesNotExist:
        raise Http404 from None


def _answers(meeting: GapMeeting) -> QuerySet[GapAnswer]:
    return meeting.answers.select_related("author", "idea__owner")


def answers_for_facilitator(*, meeting: GapMeeting, question: str) -> QuerySet[GapAnswer]:
    return _answers(meeting).filter(question=question).order_by("group_label", "created_at", "pk")


def answers_for_participant(*, meeting: GapMeeting, user: User) -> list[tuple[str, str, list]]:
    """What one participant may see, per question: their own answers, and the others'
    once the facilitator has revealed them."""
    revealed = [q for q in Question.values if meeting.is_revealed(q)]
    answers = _answers(meeting).filter(Q(author=user) | Q(question__in=revealed, hidden=False))
    by_question: dict[str, list[GapAnswer]] = {q: [] for q in Question.values}
    for answer in answers.order_by("group_label", "created_at", "pk"):
        by_question[answer.question].append(answer)
    return [(q, label, by_question[q]) for q, label in Question.choices]


def answer_counts(*, meeting: GapMeeting) -> dict[str, int]:
    """Answers per question, how many people answered at all ("people") and how many
    answers the facilitator hid ("hidden")."""
    counts = dict.fromkeys(Question.values, 0)
    counts["hidden"] = 0
    for row in meeting.answers.values("question", "hidden").annotate(n=Count("pk")):
        counts[row["question"]] += row["n"]
        if row["hidden"]:
            counts["hidden"] += row["n"]
    counts["people"] = meeting.answers.values("author").distinct().count()
    return counts


def meeting_summary(
    *, meeting: GapMeeting, revealed_only: bool = False
) -> list[tuple[str, str, list[GapAnswer]]]:
    """(question, label, answers highlighted first, then grouped) for the summary, its
    exports and e-mail, and the wrap-up: never the answers the facilitator hid.

    With `revealed_only` (what the summary page and its exports show while the meeting
    is open), the answers to questions not revealed yet are not even read."""
    by_question: dict[str, list[GapAnswer]] = {q: [] for q in Question.values}
    answers = _answers(meeting).filter(hidden=False)
    if revealed_only:
        answers = answers.filter(
            question__in=[q for q in Question.values if meeting.is_revealed(q)]
        )
    for answer in answers.order_by("-highlighted", "group_label", "created_at", "pk"):
        by_question[answer.question].append(answer)
    return [(q, label, by_question[q]) for q, label in Question.choices]


def summary_scope(*, meeting: GapMeeting) -> str:
    """What the summary holds, in words: the summary page, its exports and e-mail show
    the same answers and say so."""
    hidden = meeting.answers.filter(hidden=True).count()
    parts = []
    if meeting.is_open:
        parts.append(_("The meeting is still open: only the answers already revealed."))
    else:
        parts.append(_("Every answer of the meeting."))
    if hidden:
        parts.append(
            ngettext(
                "%(n)s answer hidden by the facilitator is left out.",
                "%(n)s answers hidden by the facilitator are left out.",
                hidden,
            )
            % {"n": hidden}
        )
    parts.append(_("Anonymous answers do not name their author."))
    return " ".join(parts)


def summary_recipients(*, meeting: GapMeeting) -> QuerySet[User]:
    """Participants (facilitator, authors, idea owners) still in the team and not opted out."""
    team = meeting.team
    took_part = (
        Q(pk=meeting.facilitator_id)
        | Q(pk__in=meeting.answers.values("author"))
        | Q(pk__in=meeting.ideas.values("owner"))
    )
    opted_out = SummaryOptOut.objects.filter(team=team, user=OuterRef("pk"))
    return (
        User.objects.filter(took_part, memberships__team=team, is_active=True)
        .exclude(Exists(opted_out))
        .distinct()
    )


def kind_enabled(*, user: User, kind: str) -> bool:
    """Whether the person gets this kind of e-mail at all (My reminders)."""
    from notifications.selectors import kind_enabled

    return kind_enabled(user=user, kind=kind)


def wants_summary_emails(*, team: Team, user: User) -> bool:
    """This team's summaries are on, and so are summaries at all (My reminders)."""
    return not SummaryOptOut.objects.filter(team=team, user=user).exists() and kind_enabled(
        user=user, kind="gap_summary"
    )


# Weekly check-ins

# Below this many answers, a week's share of "yes" is not shown: with two answers,
# anyone could work out what one person said.
MIN_ANSWERS_SHOWN = 3
HISTORY_WEEKS = 12


def team_week(*, team: Team, now: datetime | None = None) -> date:
    """The Monday of the current week in the team's time zone."""
    today = timezone.localtime(now or timezone.now(), ZoneInfo(team.time_zone)).date()
    return today - timedelta(days=today.weekday())


def current_points(*, team: Team) -> QuerySet[CharterPoint]:
    """The points of the team's latest published charter version."""
    latest = CharterVersion.objects.filter(charter__team=team).order_by("-number").values("pk")[:1]
    return CharterPoint.objects.filter(version=Subquery(latest)).order_by("position")


def checkin_settings_get(*, team: Team) -> CheckinSettings:
    return CheckinSettings.objects.filter(team=team).first() or CheckinSettings(team=team)


def my_checkins(*, team: Team, user: User, week: date) -> dict[UUID, Checkin]:
    """The person's answers of the week to the current points, by the point's lineage:
    an answer given before a new version came out counts for the point it carries on."""
    current = current_points(team=team).values("lineage")
    rows = Checkin.objects.filter(team=team, user=user, week=week, lineage__in=current)
    return {c.lineage: c for c in rows}


def my_history(*, team: Team, user: User) -> list[tuple[date, list[Checkin]]]:
    """The person's own answers, newest week first (nobody else's, ever)."""
    since = team_week(team=team) - timedelta(weeks=HISTORY_WEEKS)
    weeks: dict[date, list[Checkin]] = {}
    rows = (
        Checkin.objects.filter(team=team, user=user, week__gte=since)
        .select_related("point")
        .order_by("-week", "point__position")
    )
    for checkin in rows:
        weeks.setdefault(checkin.week, []).append(checkin)
    return list(weeks.items())


@dataclass
class PointTrend:
    # The current point; for a point the charter no longer has, its last version.
    point: CharterPoint
    weeks: list[tuple[date, int | None, int]]  # (week, % of yes or None, answers)
    retired: bool = False


def team_trends(*, team: Team) -> tuple[list[date], list[PointTrend], list[tuple[date, int]]]:
    """Aggregates only, of the last eight complete weeks: per charter point and week, the
    share of "yes" (hidden below MIN_ANSWERS_SHOWN answers); per week, how many people
    answered. A point counts its answers across the charter's versions (its lineage);
    points dropped from the charter follow the current ones, marked retired, as long as
    they have answers in these weeks. The week in progress is left out: watched answer
    by answer, its figures would tell what each person said."""
    this_week = team_week(team=team)
    # Newest first: on a phone, the weeks that matter show without scrolling sideways.
    weeks = [this_week - timedelta(weeks=n) for n in range(1, 9)]
    points = list(current_points(team=team))
    cells = {
        (row["lineage"], row["week"]): (row["yes"], row["n"])
        for row in Checkin.objects.filter(team=team, week__gte=weeks[-1], week__lt=this_week)
        .values("lineage", "week")
        .annotate(yes=Count("pk", filter=Q(answer="yes")), n=Count("pk"))
    }
    current = {point.lineage for point in points}
    gone = {lineage for lineage, _week in cells} - current
    last_seen: dict[UUID, CharterPoint] = {}
    if gone:
        for point in CharterPoint.objects.filter(
            version__charter__team=team, lineage__in=gone
        ).order_by("version__number"):
            last_seen[point.lineage] = point
    retired = sorted(last_seen.values(), key=lambda point: point.position)
    trends = []
    for point in [*points, *retired]:
        row = []
        for week in weeks:
            yes, n = cells.get((point.lineage, week), (0, 0))
            row.append((week, round(100 * yes / n) if n >= MIN_ANSWERS_SHOWN else None, n))
        trends.append(PointTrend(point=point, weeks=row, retired=point.lineage not in current))
    people = dict(
        Checkin.objects.filter(team=team, week__gte=weeks[-1], week__lt=this_week)
        .values("week")
        .annotate(n=Count("user", distinct=True))
        .values_list("week", "n")
    )
    return weeks, trends, [(week, people.get(week, 0)) for week in weeks]


def shared_examples(*, team: Team, limit: int = 12) -> QuerySet[Checkin]:
    """Examples their authors chose to share with the team (and nothing else)."""
    return (
        Checkin.objects.filter(team=team, share_example=True)
        .exclude(example="")
        .select_related("user", "point")
        .order_by("-week", "-answered_at")[:limit]
    )


def checkin_week_figures(*, team: Team, week: date) -> dict[str, Decimal]:
    """Participation (% of members who answered) and share of "yes" (% of answers);
    nothing when fewer than MIN_ANSWERS_SHOWN people answered (the figures would tell
    what they said)."""
    totals = Checkin.objects.filter(team=team, week=week).aggregate(
        n=Count("pk"), yes=Count("pk", filter=Q(answer="yes")), people=Count("user", distinct=True)
    )
    members = team.memberships.count()
    figures: dict[str, Decimal] = {}
    if totals["people"] < MIN_ANSWERS_SHOWN:
        return figures
    if members:
        figures["participation"] = Decimal(100 * totals["people"] / members).quantize(
            Decimal("0.1")
        )
    if totals["n"]:
        figures["yes_rate"] = Decimal(100 * totals["yes"] / totals["n"]).quantize(Decimal("0.1"))
    return figures


def current_point_count() -> Coalesce:
    """For a query on teams: how many points the team's current charter version has
    (0 without a charter), as a subquery."""
    latest = (
        CharterVersion.objects.filter(charter__team=OuterRef(OuterRef("pk")))
        .order_by("-number")
        .values("pk")[:1]
    )
    point_count = (
        CharterPoint.objects.filter(version=Subquery(latest))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(point_count), 0)


def checkin_teams(*, user: User) -> QuerySet[Team]:
    """The person's teams whose current charter has points, with their `point_count`
    and check-in settings."""
    return (
        Team.objects.filter(memberships__user=user)
        .select_related("checkin_settings")
        .annotate(point_count=current_point_count())
        .filter(point_count__gt=0)
    )


def answers_this_week(*, user: User, teams: list[Team], now: datetime) -> dict[int, int]:
    """How many questions the person answered in each team's current week, by team
    (one query)."""
    if not teams:
        return {}
    weeks = {team.pk: team_week(team=team, now=now) for team in teams}
    rows = (
        Checkin.objects.filter(user=user, team__in=teams, week__gte=min(weeks.values()))
        .filter(Exists(_current_point_of_checkin()))
        .values("team", "week")
        .annotate(n=Count("pk"))
    )
    return {row["team"]: row["n"] for row in rows if row["week"] == weeks[row["team"]]}


def _current_point_of_checkin() -> QuerySet[CharterPoint]:
    """For a query on check-ins: the point of the team's current version the check-in
    answers (through its lineage), if the charter still has it."""
    latest = (
        CharterVersion.objects.filter(charter__team=OuterRef(OuterRef("team")))
        .order_by("-number")
        .values("pk")[:1]
    )
    return CharterPoint.objects.filter(version=Subquery(latest), lineage=OuterRef("lineage"))


def checkins_waiting_for(*, user: User) -> list[tuple[Team, int]]:
    """Teams where the person still has questions to answer this week, from the team's
    check-in day on, in two queries: (team, number of questions left)."""
    teams = list(checkin_teams(user=user))
    now = timezone.now()
    default_day = CheckinSettings().weekday
    due = []
    for team in teams:
        # The home page asks from the team's check-in day on (the page itself is always open).
        chosen = getattr(team, "checkin_settings", None)
        day = chosen.weekday if chosen else default_day
        if timezone.localtime(now, ZoneInfo(team.time_zone)).weekday() >= day:
            due.append(team)
    answered = answers_this_week(user=user, teams=due, now=now)
    left = [(team, team.point_count - answered.get(team.pk, 0)) for team in due]
    return [(team, n) for team, n in left if n > 0]


def teams_due_for_checkin_reminders(*, now: datetime) -> list[tuple[Team, date]]:
    """Teams whose check-in day is today (in their time zone) and whose hour has come."""
    due = []
    rows = CheckinSettings.objects.select_related("team")
    with_settings = set()
    for row in rows:
        with_settings.add(row.team_id)
        local = timezone.localtime(now, ZoneInfo(row.team.time_zone))
        if local.weekday() == row.weekday and local.hour >= row.reminder_hour:
            due.append((row.team, team_week(team=row.team, now=now)))
    # Teams that never chose keep the default: Friday, 14:00.
    default = CheckinSettings()
    for team in (
        Team.objects.filter(charter__versions__isnull=False)
        .exclude(pk__in=with_settings)
        .distinct()
    ):
        local = timezone.localtime(now, ZoneInfo(team.time_zone))
        if local.weekday() == default.weekday and local.hour >= default.reminder_hour:
            due.append((team, team_week(team=team, now=now)))
    return due


def people_to_remind(*, team: Team, week: date) -> list[int]:
    """Members with at least one unanswered question this week who did not opt out."""
    points = current_points(team=team).count()
    if not points:
        return []
    answered = (
        Checkin.objects.filter(
            team=team,
            week=week,
            user=OuterRef("user"),
            lineage__in=current_points(team=team).values("lineage"),
        )
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    opted_out = CheckinReminderOptOut.objects.filter(team=team, user=OuterRef("user"))
    return list(
        team.memberships.filter(user__is_active=True)
        .annotate(n=Coalesce(Subquery(answered), 0))
        .filter(n__lt=points)
        .exclude(Exists(opted_out))
        .values_list("user", flat=True)
    )


def wants_checkin_reminders(*, team: Team, user: User) -> bool:
    """This team's check-in e-mail is on, and so are check-in e-mails at all."""
    return not CheckinReminderOptOut.objects.filter(team=team, user=user).exists() and kind_enabled(
        user=user, kind="checkin"
    )
