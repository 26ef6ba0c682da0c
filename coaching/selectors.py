"""Reads of the coaching app and its permission-checked getters.

A one-to-one and its objectives are private to their two people: anyone else of the
team, a lead or an organisation admin included, gets 404 (their existence is not
revealed); an outsider gets 404 as everywhere.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncWeek
from django.http import Http404

from accounts.models import User
from charter.models import CharterPoint, CharterVersion
from teams.models import Membership, Role, Team
from teams.selectors import EVERYONE, membership_get

from .models import (
    PROGRESS_BADGE,
    CoachingMoment,
    ModellingFeedback,
    Note,
    Objective,
    ObjectiveRevision,
    OneToOne,
    PracticeAttempt,
    Progress,
    ProgressNote,
    Shown,
    Situation,
)
from .practice import BUILT_IN, Practice, Response


def _mine(user: User) -> Q:
    return Q(manager=user) | Q(member=user)


def one_to_one_get(*, user: User, team_slug: str, pk: int) -> tuple[Membership, OneToOne]:
    membership = membership_get(user=user, team_slug=team_slug, roles=EVERYONE)
    one_to_one = (
        OneToOne.objects.select_related("manager", "member", "team")
        .filter(_mine(user), team=membership.team, pk=pk)
        .first()
    )
    if one_to_one is None:
        raise Http404
    return membership, one_to_one


def objective_get(*, user: User, team_slug: str, pk: int) -> tuple[Membership, Objective]:
    membership = membership_get(user=user, team_slug=team_slug, roles=EVERYONE)
    objective = (
        Objective.objects.select_related("manager", "member", "team", "current__indicator")
        .select_related("current__point")
        .filter(_mine(user), team=membership.team, pk=pk)
        .first()
    )
    if objective is None:
        raise Http404
    return membership, objective


def note_visible(user: User) -> Q:
    """The notes a person may read: the shared ones and their own private ones."""
    return Q(private=False) | Q(author=user)


def visible_notes(user: User) -> Prefetch:
    """The notes a person may read: the shared ones and their own private ones."""
    return Prefetch(
        "notes",
        queryset=Note.objects.filter(note_visible(user)).select_related("author"),
    )


def team_one_to_ones(*, user: User, team_id: int) -> QuerySet[OneToOne]:
    """The person's one-to-ones in a team, as manager or member."""
    return (
        OneToOne.objects.filter(_mine(user), team_id=team_id)
        .select_related("manager", "member")
        .order_by("-held_on", "-pk")
    )


def team_people_last_met(*, team: Team, manager: User) -> QuerySet[Membership]:
    """The team's other people with the day of their latest one-to-one with `manager`
    (one query)."""
    latest = (
        OneToOne.objects.filter(team=team, manager=manager, member=OuterRef("user"))
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    return (
        team.memberships.exclude(user=manager)
        .select_related("user")
        .annotate(last_met=Subquery(latest))
        .order_by(F("last_met").asc(nulls_first=True), "user__display_name")
    )


def _objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related(
        "current__indicator", "current__point", "manager", "member", "team"
    ).prefetch_related(Prefetch("progress", queryset=ProgressNote.objects.select_related("author")))


def pair_objectives(*, one_to_one: OneToOne) -> list[Objective]:
    """The open objectives of the two people of this conversation, in this team."""
    return list(
        _objectives().filter(
            team_id=one_to_one.team_id,
            manager_id=one_to_one.manager_id,
            member_id=one_to_one.member_id,
            closed_at__isnull=True,
        )
    )


@dataclass
class Earlier:
    """What the conversation brings from the earlier ones of the same two people."""

    previous: OneToOne | None
    conversations: list[OneToOne] = field(default_factory=list)


def earlier_conversations(*, one_to_one: OneToOne, user: User) -> Earlier:
    """The earlier one-to-ones of the same two people, newest first, with the notes the
    person may read (one query for the conversations, one for their notes)."""
    rows = list(
        OneToOne.objects.filter(
            team_id=one_to_one.team_id,
            manager_id=one_to_one.manager_id,
            member_id=one_to_one.member_id,
        )
        .filter(
            Q(held_on__lt=one_to_one.held_on) | Q(held_on=one_to_one.held_on, pk__lt=one_to_one.pk)
        )
        .order_by("-held_on", "-pk")
        .prefetch_related(visible_notes(user))
    )
    return Earlier(previous=rows[0] if rows else None, conversations=rows)


def progress_since(objectives: list[Objective], since) -> None:
    """Marks each objective's progress notes written since `since` (a date, or None for
    all), as `objective.recent` and `objective.latest`, from the prefetched notes."""
    for objective in objectives:
        notes = list(objective.progress.all())
        objective.latest = notes[-1] if notes else None
        objective.recent = [n for n in notes if since is None or n.created_at.date() >= since]


def objective_history(*, objective: Objective) -> QuerySet[ObjectiveRevision]:
    return objective.revisions.select_related("written_by", "indicator", "point").order_by(
        "-number"
    )


def my_coaching(*, user: User) -> tuple[list[OneToOne], list[Objective]]:
    """The person's one-to-ones (the latest few) and open objectives, across teams."""
    talks = list(
        OneToOne.objects.filter(_mine(user))
        .select_related("manager", "member", "team")
        .order_by("-held_on", "-pk")[:6]
    )
    latest = ProgressNote.objects.filter(objective=OuterRef("pk")).order_by("-created_at", "-pk")
    objectives = list(
        Objective.objects.filter(_mine(user), closed_at__isnull=True)
        .select_related("current", "team")
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
    )
    labels = dict(Progress.choices)
    for objective in objectives:
        objective.latest_label = labels.get(objective.latest_status, "")
        objective.latest_badge = PROGRESS_BADGE.get(objective.latest_status, "")
    return talks, objectives


def current_points(*, team: Team) -> QuerySet[CharterPoint]:
    """The points of the team's latest published charter version."""
    latest = CharterVersion.objects.filter(charter__team=team).order_by("-number").values("pk")[:1]
    return CharterPoint.objects.filter(version=Subquery(latest)).order_by("position")


# Practice


def _own_practice(situation) -> Practice:
    return Practice(
        key=situation.key,
        title=situation.title,
        setting=situation.setting,
        responses=tuple(Response(r.text, r.works, r.why) for r in situation.responses.all()),
        own=True,
    )


def practices(*, organisation_id: int) -> list:
    """The built-in situations, then the organisation's own that are not retired."""
    own = Situation.objects.filter(
        organisation_id=organisation_id, retired_at__isnull=True
    ).prefetch_related("responses")
    return [*BUILT_IN, *(_own_practice(s) for s in own)]


def practice_get(*, organisation_id: int, key: str):
    for practice in BUILT_IN:
        if practice.key == key:
            return practice
    if key.startswith("org-") and key[4:].isdigit():
        situation = (
            Situation.objects.filter(
                organisation_id=organisation_id, pk=int(key[4:]), retired_at__isnull=True
            )
            .prefetch_related("responses")
            .first()
        )
        if situation is not None:
            return _own_practice(situation)
    raise Http404


def practice_done(*, user: User) -> set[str]:
    """The keys of the situations in which the person found a response that works."""
    return set(
        PracticeAttempt.objects.filter(user=user, works=True).values_list(
            "situation_key", flat=True
        )
    )


def organisation_situations(*, organisation_id: int):
    return (
        Situation.objects.filter(organisation_id=organisation_id)
        .prefetch_related("responses")
        .order_by("retired_at", "title")
    )


# Leaders coach and model

WEEKS_SHOWN = 8
MIN_ANSWERS = 3  # an organisation admin sees a leader's feedback from this many on


@dataclass
class Week:
    monday: date
    minutes: int


def my_moments(*, user: User, team: Team) -> QuerySet[CoachingMoment]:
    return (
        CoachingMoment.objects.filter(coach=user, team=team)
        .select_related("person", "point")
        .order_by("-on", "-pk")[:20]
    )


def weekly_minutes(*, user: User, today: date) -> list[Week]:
    """The person's coaching minutes in each of the last weeks, across their teams."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS_SHOWN - 1)
    rows = (
        CoachingMoment.objects.filter(coach=user, on__gte=first)
        .annotate(week=TruncWeek("on"))
        .values("week")
        .annotate(total=Sum("minutes"))
    )
    totals = {_as_date(r["week"]): r["total"] for r in rows}
    return [
        Week(monday=day, minutes=totals.get(day, 0))
        for day in (first + timedelta(weeks=i) for i in range(WEEKS_SHOWN))
    ]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def feedback_about(*, leader: User) -> QuerySet[ModellingFeedback]:
    """What members said about the leader's client conversations (authors only when
    they signed)."""
    return (
        ModellingFeedback.objects.filter(leader=leader)
        .select_related("author", "point", "team")
        .order_by("-created_at", "-pk")
    )


@dataclass
class LeaderSummary:
    leader: User
    answers: int
    yes: int = 0
    partly: int = 0
    no: int = 0

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS


def organisation_leaders(*, organisation_id: int) -> list[LeaderSummary]:
    """Modelling feedback per leader of the organisation, as counts only; the split is
    kept back (zeroed) below MIN_ANSWERS answers so nobody can be singled out."""
    rows = (
        ModellingFeedback.objects.filter(team__organisation_id=organisation_id)
        .values("leader")
        .annotate(
            answers=Count("pk"),
            yes=Count("pk", filter=Q(shown=Shown.YES)),
            partly=Count("pk", filter=Q(shown=Shown.PARTLY)),
            no=Count("pk", filter=Q(shown=Shown.NO)),
        )
    )
    people = User.objects.in_bulk([r["leader"] for r in rows])
    summaries = []
    for r in rows:
        summary = LeaderSummary(leader=people[r["leader"]], answers=r["answers"])
        if summary.shown:
            summary.yes, summary.partly, summary.no = r["yes"], r["partly"], r["no"]
        summaries.append(summary)
    return sorted(summaries, key=lambda s: str(s.leader))


# Across teams


@dataclass
class LeaderTime:
    leader: User
    minutes_per_week: int


@dataclass
class TeamCoaching:
    team: Team
    one_to_ones: int = 0
    agreed: int = 0
    on_track: int = 0
    feedback: int = 0
    leaders: list[LeaderTime] = field(default_factory=list)


ACROSS_DAYS = 30
TIME_WEEKS = 4


def across_teams(*, teams: list[Team], today: date) -> list[TeamCoaching]:
    """Per team: one-to-ones held in the last 30 days, agreed open objectives and those
    on track (their latest progress note says so), each leader's coaching minutes per
    week over the last four weeks, and the modelling feedback received. Five queries,
    whatever the number of teams. Counts only: nothing private shows."""
    rows = {team.pk: TeamCoaching(team=team) for team in teams}
    ids = list(rows)
    held = (
        OneToOne.objects.filter(team_id__in=ids, held_on__gt=today - timedelta(days=ACROSS_DAYS))
        .filter(held_on__lte=today)
        .values("team_id")
        .annotate(n=Count("pk"))
    )
    for r in held:
        rows[r["team_id"]].one_to_ones = r["n"]
    latest = ProgressNote.objects.filter(objective=OuterRef("pk")).order_by("-created_at", "-pk")
    agreed = (
        Objective.objects.filter(
            team_id__in=ids, agreed_revision__isnull=False, closed_at__isnull=True
        )
        .filter(agreed_revision=F("current"))
        .annotate(latest=Subquery(latest.values("status")[:1]))
        .values_list("team_id", "latest")
    )
    for team_id, status in agreed:
        rows[team_id].agreed += 1
        rows[team_id].on_track += status == Progress.ON_TRACK
    for r in (
        ModellingFeedback.objects.filter(team_id__in=ids).values("team_id").annotate(n=Count("pk"))
    ):
        rows[r["team_id"]].feedback = r["n"]
    minutes = {
        (r["team_id"], r["coach_id"]): r["total"]
        for r in CoachingMoment.objects.filter(
            team_id__in=ids, on__gt=today - timedelta(weeks=TIME_WEEKS), on__lte=today
        )
        .values("team_id", "coach_id")
        .annotate(total=Sum("minutes"))
    }
    leaders = (
        Membership.objects.filter(team_id__in=ids, role__in=[Role.LEAD, Role.MANAGER])
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    for m in leaders:
        total = minutes.get((m.team_id, m.user_id), 0)
        rows[m.team_id].leaders.append(
            LeaderTime(leader=m.user, minutes_per_week=round(total / TIME_WEEKS))
        )
    return list(rows.values())
