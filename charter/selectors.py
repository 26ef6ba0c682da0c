"""Reads for observations, workshops and charters. Every list is built from a fixed
number of queries, whatever the amount of data."""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from config import sql
from teams.models import Membership, Role, Team
from teams.selectors import EVERYONE, role_require

from . import lineage
from .models import (
    Charter,
    CharterPoint,
    CharterVersion,
    Endorsement,
    Keyword,
    Observation,
    Participant,
    StatementProposal,
    Step,
    Vote,
    Workshop,
    WorkshopKeyword,
    coaching_question_default,
)

TOP_KEYWORDS = 8


def _observations_matching(
    *,
    team: Team,
    keyword: Keyword | None = None,
    client_group_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Observation]:
    qs = team.observations.all()
    if keyword is not None:
        qs = qs.filter(keywords=keyword)
    if client_group_id:
        qs = qs.filter(client_group_id=client_group_id)
    if since:
        qs = qs.filter(observed_on__gte=since)
    if until:
        qs = qs.filter(observed_on__lte=until)
    return qs


def observations_list(*, team: Team, **filters) -> QuerySet[Observation]:
    """The team's observations that match the filters, newest first, ready to page."""
    return (
        _observations_matching(team=team, **filters)
        .select_related("author", "client_group")
        .prefetch_related(Prefetch("keywords", queryset=Keyword.objects.order_by("normalised")))
    )


def keywords_top(*, team: Team, limit: int = TOP_KEYWORDS, **filters) -> list[Keyword]:
    """The keywords that come up most in the observations matching the filters (those of
    `observations_list`), each with its latest matching example behaviour, counted and
    picked by the database in one query."""
    matching = _observations_matching(team=team, **filters)
    if any(value is not None for value in filters.values()):
        uses = Q(observations__in=matching.values("pk"))
    else:
        uses = Q(observations__isnull=False)
    examples = matching.filter(keywords=OuterRef("pk"))
    return list(
        team.keywords.annotate(
            uses=Count("observations", filter=uses),
            example=Subquery(examples.order_by("-observed_on", "-pk").values("behaviour")[:1]),
        )
        .filter(uses__gt=0)
        .order_by("-uses", "normalised")[:limit]
    )


def keyword_vocabulary(*, team: Team) -> list[str]:
    return list(team.keywords.order_by("normalised").values_list("label", flat=True)[:500])


def keywords_most_used(*, team: Team, limit: int = 12) -> list[str]:
    """The labels the team's observations use most, for one-tap buttons."""
    return list(
        team.keywords.annotate(uses=Count("observations"))
        .filter(uses__gt=0)
        .order_by("-uses", "normalised")
        .values_list("label", flat=True)[:limit]
    )


def workshop_get_for_user(
    *, user: User, team_slug: str, pk: int, roles: Collection[str] = EVERYONE
) -> Workshop:
    """The workshop with its team, if the user's role in the team is one of `roles`: one
    query, as workshop screens poll and vote often (outsider 404, wrong role 403).

    Plain SQL: every tap and every poll that finds news runs it; through the ORM its
    Python alone cost more than the rest of a vote's queries together."""
    if not user.is_authenticated:
        raise Http404
    with sql.prepared_cursor() as cursor:
        cursor.execute(WORKSHOP_FOR_USER, [user.pk, pk, team_slug])
        row = cursor.fetchone()
    return workshop_from_row(row, roles)


# Its parameters: the user's id, the workshop's id, the team's slug. The workshop's id
# comes first, then the rest of the workshop, the team, and the user's role last.
WORKSHOP_FOR_USER = (
    f"SELECT {sql.columns(Workshop, 'w')}, {sql.columns(Team, 't')}, m.role "
    f"FROM {Workshop._meta.db_table} w "
    f"JOIN {Team._meta.db_table} t ON t.id = w.team_id "
    f"JOIN {Membership._meta.db_table} m ON m.team_id = t.id AND m.user_id = %s "
    "WHERE w.id = %s AND t.slug = %s"
)
WORKSHOP_FOR_USER_WIDTH = sql.width(Workshop) + sql.width(Team) + 1


def workshop_from_row(row: tuple | None, roles: Collection[str] = EVERYONE) -> Workshop:
    """The workshop that WORKSHOP_FOR_USER found (None when it found none), under the
    rule of workshop_get_for_user(). `row` may go on with columns of the statement that
    embeds it."""
    if row is None:
        raise Http404
    workshop = sql.instance(Workshop, row)
    workshop.team = sql.instance(Team, row, sql.width(Workshop))
    workshop.my_role = row[WORKSHOP_FOR_USER_WIDTH - 1]
    role_require(workshop.my_role, roles)
    return workshop


def workshops_list(*, team: Team) -> QuerySet[Workshop]:
    return team.workshops.select_related("facilitator").annotate(
        participant_count=Count("participants", distinct=True)
    )


def workshops_in_progress_for(*, user: User) -> QuerySet[Workshop]:
    """Unfinished workshops of the user's teams, for the "what waits for me" line."""
    return (
        Workshop.objects.filter(team__memberships__user=user, published_at=None)
        .select_related("team")
        .order_by("-created_at")[:5]
    )


@dataclass
class Stage:
    """Everything a workshop screen shows for the current step, for one person."""

    workshop: Workshop
    joined: int = 0
    done: int = 0
    me: Participant | None = None
    keywords: list[WorkshopKeyword] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    top_keywords: list[Keyword] = field(default_factory=list)
    total_dots: int = 0
    ballot: "Ballot | None" = None

    @property
    def selected(self) -> list[WorkshopKeyword]:
        return [k for k in self.keywords if k.selected]


@dataclass
class BallotRow:
    """One keyword on a voter's ballot: `mine` of the voter's dots are on it, and `dots`
    in all (None while the totals are hidden)."""

    pk: int
    label: str
    mine: int
    dots: int | None

    # The row's texts, translated here rather than by {% blocktranslate %}: a ballot has
    # four of them per keyword, and in the template they cost more than the vote's SQL.
    # `key`, the id as the markup writes it (four times a row): an int would go through
    # number formatting each time, a tenth of the row's rendering.
    @property
    def key(self) -> str:
        return str(self.pk)

    @property
    def mine_label(self) -> str:
        return ngettext("%(n)s of your dots", "%(n)s of your dots", self.mine) % {"n": self.mine}

    @property
    def dots_label(self) -> str:
        return ngettext("%(n)s dot", "%(n)s dots", self.dots or 0) % {"n": self.dots or 0}

    @property
    def take_back_label(self) -> str:
        return _("Take a dot back from %(k)s") % {"k": self.label}

    @property
    def put_label(self) -> str:
        return _("Put a dot on %(k)s") % {"k": self.label}


@dataclass
class Ballot:
    """What a voter's phone shows at the vote step: the keywords in a steady order (rows
    must not move under a finger, nor hint at hidden totals), the voter's own dots, and
    the totals only once everyone may see them."""

    items: list[BallotRow]
    dots_left: int
    next_dot: int
    max_per_keyword: int

    # Translated here for the reason the rows' texts are: every tap renders them.
    @property
    def dots_left_label(self) -> str:
        n = self.dots_left
        return ngettext("You have %(n)s dot left", "You have %(n)s dots left", n) % {"n": n}

    @property
    def cap_label(self) -> str:
        return _("at most %(n)s on one keyword") % {"n": self.max_per_keyword}


def ballot_get(
    *, workshop: Workshop, user: User, mine: list[tuple[int, int]] | None = None
) -> Ballot:
    """`mine`, the voter's (keyword id, dot number) pairs, when the caller already has
    them (a vote just cast). Plain SQL, like the vote it follows: one query for the
    keywords (with their totals when visible), one for the voter's dots if not given."""
    with sql.prepared_cursor() as cursor:
        cursor.execute(_BALLOT_TOTALS if workshop.totals_visible else _BALLOT, [workshop.pk])
        rows = cursor.fetchall()
        if mine is None:
            cursor.execute(_MY_DOTS, [workshop.pk, user.pk])
            mine = cursor.fetchall()
    return _ballot(workshop, rows, mine)


def my_dots_get(*, workshop: Workshop, user: User) -> list[tuple[int, int]]:
    """The voter's (keyword id, dot number) pairs."""
    with sql.prepared_cursor() as cursor:
        cursor.execute(_MY_DOTS, [workshop.pk, user.pk])
        return cursor.fetchall()


def ballot_row_get(
    *,
    workshop: Workshop,
    keyword_id: int,
    mine: list[tuple[int, int]],
    label: str | None = None,
) -> Ballot:
    """The voter's ballot after a tap on one keyword, with that keyword's row only: the
    other rows did not change. No row if the keyword is no longer on the table. `mine`,
    the voter's dots as the tap left them.

    `label`, when the vote has just read it: while the totals are hidden, a vote then
    costs no query here at all."""
    totals = workshop.totals_visible
    if label is not None and not totals:
        rows = [(keyword_id, label, None)]
    else:
        with sql.prepared_cursor() as cursor:
            cursor.execute(_BALLOT_ROW_TOTALS if totals else _BALLOT_ROW, [workshop.pk, keyword_id])
            rows = cursor.fetchall()
    return _ballot(workshop, rows, mine)


def dots_left(workshop: Workshop, mine: list[tuple[int, int]]) -> int:
    """How many dots the voter holding `mine` may still cast."""
    return max(0, workshop.dots_per_person - len(mine))


def _ballot(workshop: Workshop, rows: list[tuple], mine: list[tuple[int, int]]) -> Ballot:
    per_keyword: dict[int, int] = {}
    for keyword_id, _dot in mine:
        per_keyword[keyword_id] = per_keyword.get(keyword_id, 0) + 1
    used = {dot for _k, dot in mine}
    free = [n for n in range(1, workshop.dots_per_person + 1) if n not in used]
    return Ballot(
        items=[BallotRow(pk, label, per_keyword.get(pk, 0), dots) for pk, label, dots in rows],
        dots_left=dots_left(workshop, mine),
        next_dot=free[0] if free else 0,
        max_per_keyword=workshop.max_dots_per_keyword,
    )


_ON_THE_TABLE = (
    f"SELECT k.id, kw.label, NULL FROM {WorkshopKeyword._meta.db_table} k "
    f"JOIN {Keyword._meta.db_table} kw ON kw.id = k.keyword_id "
    "WHERE k.workshop_id = %s AND k.merged_into_id IS NULL"
)
_BALLOT = f"{_ON_THE_TABLE} ORDER BY kw.normalised, k.id"
_BALLOT_ROW = f"{_ON_THE_TABLE} AND k.id = %s"


def _with_totals(query: str) -> str:
    # The first NULL is the select list's third column.
    count = f"(SELECT COUNT(*) FROM {Vote._meta.db_table} v WHERE v.keyword_id = k.id)"
    return query.replace("NULL", count, 1)


_BALLOT_TOTALS = _with_totals(_BALLOT)
_BALLOT_ROW_TOTALS = _with_totals(_BALLOT_ROW)
_MY_DOTS = (
    f"SELECT keyword_id, dot_number FROM {Vote._meta.db_table} "
    "WHERE workshop_id = %s AND voter_id = %s"
)


def _keywords_with_tallies(workshop: Workshop, with_proposals: bool) -> list[WorkshopKeyword]:
    qs = (
        workshop.keywords.filter(merged_into=None)
        .select_related("keyword")
        .annotate(dots=Count("votes"))
        .order_by("-dots", "-proposals", "keyword__normalised")
    )
    if with_proposals:
        # The draft and publish steps show the points in the charter's order.
        qs = qs.filter(selected=True).order_by(
            F("position").asc(nulls_last=True), "-dots", "-proposals", "keyword__normalised"
        )
        qs = qs.prefetch_related(
            Prefetch(
                "proposals_made",
                queryset=StatementProposal.objects.annotate(support=Count("endorsements")).order_by(
                    "-support", "created_at"
                ),
            )
        )
    return list(qs)


def points_in_order(*, workshop: Workshop) -> list[WorkshopKeyword]:
    """The selected keywords in the order their points will take in the charter: the
    facilitator's order once they changed it, otherwise the team's vote (most dots
    first, then most proposed), whatever order the points were drafted in."""
    return list(
        workshop.keywords.filter(selected=True, merged_into=None)
        .select_related("keyword")
        .annotate(dots=Count("votes"))
        .order_by(F("position").asc(nulls_last=True), "-dots", "-proposals", "keyword__normalised")
    )


@dataclass
class PublishPreview:
    """What publishing would do to the current charter: each new point with the point it
    carries on (or None), and the current points nothing carries on."""

    number: int
    points: list[tuple[WorkshopKeyword, CharterPoint | None]]
    retired: list[CharterPoint]


def publish_preview(*, workshop: Workshop, items: list[WorkshopKeyword]) -> PublishPreview | None:
    """None when the team has no charter yet: every point is new then."""
    latest = (
        CharterVersion.objects.filter(charter__team=workshop.team_id)
        .order_by("-number")
        .prefetch_related("points")
        .first()
    )
    if latest is None:
        return None
    ready = [item for item in items if item.is_ready]
    previous = list(latest.points.all())
    carried = lineage.carried(previous, [(i.keyword.label, i.statement) for i in ready])
    kept = {point.pk for point in carried if point is not None}
    return PublishPreview(
        number=latest.number + 1,
        points=list(zip(ready, carried, strict=True)),
        retired=[point for point in previous if point.pk not in kept],
    )


def stage_get(*, workshop: Workshop, user: User, facilitator: bool = False) -> Stage:
    """The current step for one screen. At the vote step a phone gets its ballot; the
    facilitator's screen gets the keywords ranked by dots."""
    counts = workshop.participants.aggregate(
        n_joined=Count("pk"),
        n_done=Count("pk", filter=Q(done=True)),
        my_id=Max("pk", filter=Q(user=user.pk)),
        my_done=Count("pk", filter=Q(user=user.pk, done=True)),
    )
    me = Participant(pk=counts["my_id"], done=bool(counts["my_done"])) if counts["my_id"] else None
    stage = Stage(workshop=workshop, joined=counts["n_joined"], done=counts["n_done"], me=me)
    step = workshop.step
    if step == Step.OBSERVE:
        stage.top_keywords = keywords_top(team=workshop.team, limit=6)
    if step == Step.VOTE and not facilitator:
        stage.ballot = ballot_get(workshop=workshop, user=user)
    elif step >= Step.PROPOSE:
        stage.keywords = _keywords_with_tallies(workshop, with_proposals=step >= Step.DRAFT)
        _rank(stage.keywords)
        stage.total_dots = sum(k.dots for k in stage.keywords)
        if step == Step.VOTE and not workshop.totals_visible:
            # On the projector too, the order must not give the hidden totals away.
            stage.keywords.sort(key=lambda item: (item.keyword.normalised, item.pk))
    if step == Step.PROPOSE:
        stage.suggestions = _observation_keywords(workshop)
    if step >= Step.DRAFT and user.is_authenticated:
        endorsed = set(
            StatementProposal.endorsements.through.objects.filter(
                user=user, statementproposal__keyword__workshop=workshop
            ).values_list("statementproposal_id", flat=True)
        )
        for item in stage.keywords:
            item.default_question = coaching_question_default(item.keyword.label)
            for proposal in item.proposals_made.all():
                proposal.endorsed_by_me = proposal.pk in endorsed
    return stage


def _rank(keywords: list[WorkshopKeyword]) -> None:
    """Competition ranking by dots (1, 2, 2, 4): equal dots share a rank and are marked tied."""
    counts: dict[int, int] = {}
    for item in keywords:
        counts[item.dots] = counts.get(item.dots, 0) + 1
    rank = 0
    previous = None
    for position, item in enumerate(keywords, start=1):
        if item.dots != previous:
            rank, previous = position, item.dots
        item.rank = rank
        item.tied = counts[item.dots] > 1 and item.dots > 0


def _observation_keywords(workshop: Workshop) -> list[str]:
    """Keywords the team's observations used, not yet on the workshop's table."""
    on_table = WorkshopKeyword.objects.filter(workshop=workshop, keyword=OuterRef("pk"))
    return list(
        workshop.team.keywords.annotate(uses=Count("observations"))
        .filter(uses__gt=0)
        .exclude(Exists(on_table))
        .order_by("-uses", "normalised")
        .values_list("label", flat=True)[:15]
    )


def workshop_totals_visible_to(*, workshop: Workshop, user: User) -> bool:
    """Whether this person may see the dots: the facilitator and managers always, the
    others once the totals are revealed (or were never hidden) or the vote is over.
    `workshop` comes from workshop_get_for_user, which knows the person's role."""
    if workshop.my_role == Role.MANAGER or workshop.facilitator_id == user.pk:
        return True
    return workshop.totals_visible or workshop.step > Step.VOTE


def workshop_results(*, workshop: Workshop, with_dots: bool = True) -> list[WorkshopKeyword]:
    """Keywords ranked by dots with their statements, for the exports. Without the dots
    they come in alphabetical order, so that the order does not give the totals away."""
    items = _keywords_with_tallies(workshop, with_proposals=False)
    if not with_dots:
        return sorted(items, key=lambda item: item.keyword.normalised)
    _rank(items)
    return items


# Charter ----------------------------------------------------------------------------------


def charter_for_team(*, team: Team) -> Charter | None:
    return Charter.objects.filter(team=team).first()


def charter_versions(*, charter: Charter) -> list[CharterVersion]:
    """Newest first. Explicitly: a query with an aggregate drops the model's ordering."""
    return list(
        charter.versions.select_related("published_by")
        .annotate(endorsement_count=Count("endorsements"))
        .order_by("-number")
    )


def charter_version_get(*, charter: Charter, number: int | None = None) -> CharterVersion | None:
    versions = charter.versions.select_related("published_by", "workshop").prefetch_related(
        "points",
        Prefetch("endorsements", queryset=Endorsement.objects.select_related("user")),
    )
    if number is None:
        return versions.order_by("-number").first()
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def charter_version_for_team(*, team: Team, number: int) -> CharterVersion:
    charter = charter_for_team(team=team)
    if charter is None:
        raise Http404
    return charter_version_get(charter=charter, number=number)


def charter_public_get(*, token: str) -> tuple[Charter, CharterVersion]:
    charter = Charter.objects.select_related("team__organisation").filter(share_token=token).first()
    if charter is None or not token:
        raise Http404
    version = charter_version_get(charter=charter)
    if version is None:
        raise Http404
    return charter, version


@dataclass
class PointChange:
    kind: str  # "added", "removed", "changed", "same"
    keyword: str
    before: str = ""
    after: str = ""
    question_before: str = ""
    question_after: str = ""
    keyword_before: str = ""

    @property
    def statement_words(self) -> list[tuple[str, str]]:
        return word_diff(self.before, self.after)

    @property
    def question_words(self) -> list[tuple[str, str]]:
        return word_diff(self.question_before, self.question_after)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The words of `after` against `before`, as (kind, text) runs: "same", "removed" or
    "added". Only what changed is marked; spaces belong to the run they follow."""
    old, new = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    runs: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        if words:
            runs.append((kind, "".join(words)))

    matcher = SequenceMatcher(None, [w.strip() for w in old], [w.strip() for w in new])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add("same", new[j1:j2])
        else:
            removed = old[i1:i2]
            if removed and new[j1:j2] and not removed[-1][-1].isspace():
                # The last words of the old text: a space keeps them apart from the new.
                removed = [*removed[:-1], removed[-1] + " "]
            add("removed", removed)
            add("added", new[j1:j2])
    return runs


def charter_diff(*, old: CharterVersion, new: CharterVersion) -> list[PointChange]:
    """What changed between two versions, point by point, in the new version's order,
    then the points it dropped. A point is matched across the versions by its lineage
    (charter/lineage.py): a reworded point, or one whose keyword changed, is "changed"."""
    before = {p.lineage: p for p in old.points.all()}
    changes = []
    for point in new.points.all():
        old_point = before.pop(point.lineage, None)
        if old_point is None:
            changes.append(
                PointChange(
                    "added",
                    point.keyword,
                    after=point.statement,
                    question_after=point.coaching_question,
                )
            )
            continue
        same = (old_point.keyword, old_point.statement, old_point.coaching_question) == (
            point.keyword,
            point.statement,
            point.coaching_question,
        )
        changes.append(
            PointChange(
                "same" if same else "changed",
                point.keyword,
                before=old_point.statement,
                after=point.statement,
                question_before=old_point.coaching_question,
                question_after=point.coaching_question,
                keyword_before=old_point.keyword if old_point.keyword != point.keyword else "",
            )
        )
    for point in before.values():
        changes.append(
            PointChange(
                "removed",
                point.keyword,
                before=point.statement,
                question_before=point.coaching_question,
            )
        )
    return changes


def today_minus(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
