"""One table of voting scenarios, run through both implementations of the rules in
charter/voting.py: the PL/pgSQL function charter_vote_cast() (the hot path) and the Python
of services._vote_cast(). A rule changed in one and not the other fails here."""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from charter import services, voting
from charter.models import Step, Vote, Workshop

from .conftest import make_workshop, put_keywords

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="charter_vote_cast() runs on PostgreSQL"
)

MIGRATIONS = Path(voting.__file__).parent / "migrations"


@dataclass
class Scenario:
    name: str
    tap: tuple[int, int | None]  # (keyword 0-2, the dot number the screen offered)
    expected: str  # the outcome
    dot: int | None = None  # the dot the voter gets (cast or replayed)
    mine: tuple[tuple[int, int, int], ...] = ()  # the voter's dots: (keyword, dot, slot)
    budget: int = 4
    cap: int = 2
    step: int = Step.VOTE
    published: bool = False
    merged: bool = False  # the tapped keyword was merged into another


SCENARIOS = [
    Scenario("a first dot takes dot 1, slot 1", (0, None), voting.CAST, dot=1),
    Scenario("the dot the screen offered, when free", (0, 3), voting.CAST, dot=3),
    Scenario("an offered dot beyond the budget takes the lowest free", (0, 9), voting.CAST, 1),
    Scenario("an offered dot of zero takes the lowest free", (0, 0), voting.CAST, dot=1),
    Scenario(
        "an offered dot already used elsewhere takes the lowest free",
        (1, 1),
        voting.CAST,
        dot=2,
        mine=((0, 1, 1),),
    ),
    Scenario(
        "the lowest free dot fills a gap",
        (2, None),
        voting.CAST,
        dot=2,
        mine=((0, 1, 1), (1, 3, 1)),
    ),
    Scenario("a replayed tap counts once", (0, 1), voting.REPLAYED, dot=1, mine=((0, 1, 1),)),
    Scenario(
        "a replay is recognised even with the budget spent",
        (0, 2),
        voting.REPLAYED,
        dot=2,
        mine=((0, 1, 1), (0, 2, 2)),
        budget=2,
    ),
    Scenario(
        "no dot past the budget",
        (2, None),
        voting.BUDGET,
        mine=((0, 1, 1), (1, 2, 1)),
        budget=2,
    ),
    Scenario("no dot past the cap", (0, None), voting.CAP, mine=((0, 1, 1), (0, 2, 2))),
    Scenario(
        "the budget is checked before the cap",
        (0, None),
        voting.BUDGET,
        mine=((0, 1, 1), (0, 2, 2)),
        budget=2,
    ),
    Scenario(
        "a slot freed by a dot taken back is used again",
        (0, None),
        voting.CAST,
        dot=1,
        mine=((0, 2, 2),),
    ),
    Scenario("closed before the vote step", (0, None), voting.CLOSED, step=Step.PROPOSE),
    Scenario("closed after the vote step", (0, 1), voting.CLOSED, step=Step.SELECT),
    Scenario("a published workshop takes no dot", (0, None), voting.GONE, published=True),
    Scenario("a merged keyword takes no dot", (0, None), voting.GONE, merged=True),
    Scenario(
        "closed is said before gone",
        (0, None),
        voting.CLOSED,
        step=Step.DRAFT,
        published=True,
    ),
]


def _setup(team, manager, member, scenario: Scenario):
    workshop = make_workshop(
        team,
        manager,
        step=Step.VOTE,
        dots_per_person=scenario.budget,
        max_dots_per_keyword=scenario.cap,
    )
    items = put_keywords(workshop, "Patient", "Honest", "Helpful")
    services.participant_join(workshop=workshop, user=member)
    for keyword, dot, slot in scenario.mine:
        Vote.objects.create(
            workshop=workshop, keyword=items[keyword], voter=member, dot_number=dot, slot=slot
        )
    Workshop.objects.filter(pk=workshop.pk).update(
        step=scenario.step, published_at=timezone.now() if scenario.published else None
    )
    if scenario.merged:
        items[0].merged_into = items[1]
        items[0].save()
    workshop.refresh_from_db()
    return workshop, items


def _in_sql(workshop, item, member, dot) -> tuple[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(voting.VOTE_CAST, [workshop.pk, item.pk, member.pk, dot, timezone.now()])
        row = cursor.fetchone()
    outcome = row[0]
    return outcome, row[5] if outcome in (voting.CAST, voting.REPLAYED) else None


def _in_python(workshop, item, member, dot) -> tuple[str, int | None]:
    try:
        done = services._vote_cast(workshop=workshop, user=member, keyword_id=item.pk, dot=dot)
    except services.VoteRefused as refusal:
        return refusal.outcome, None
    return (voting.CAST if done.created else voting.REPLAYED), done.dot_number


class _Undo(Exception):
    pass


def _run(implementation, team, manager, member, scenario):
    """The outcome, the dot, and the voter's dots afterwards as (keyword, dot, slot);
    everything rolled back after."""
    result = None
    try:
        with transaction.atomic():
            workshop, items = _setup(team, manager, member, scenario)
            keyword, dot = scenario.tap
            outcome, given = implementation(workshop, items[keyword], member, dot)
            index = {item.pk: n for n, item in enumerate(items)}
            dots = sorted(
                (index[k], d, s)
                for k, d, s in Vote.objects.filter(voter=member).values_list(
                    "keyword_id", "dot_number", "slot"
                )
            )
            result = (outcome, given, dots)
            raise _Undo
    except _Undo:
        pass
    return result


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_both_implementations_apply_the_same_rule(scenario, team, manager, member):
    in_sql = _run(_in_sql, team, manager, member, scenario)
    in_python = _run(_in_python, team, manager, member, scenario)
    assert in_sql == in_python
    outcome, dot, _dots = in_sql
    assert (outcome, dot) == (scenario.expected, scenario.dot)


def test_every_outcome_of_the_rules_is_in_the_table():
    outcomes = {voting.CAST, voting.REPLAYED, voting.CLOSED, voting.GONE, voting.BUDGET, voting.CAP}
    assert {s.expected for s in SCENARIOS} == outcomes


def test_the_function_in_voting_py_is_installed_by_a_migration():
    """Editing VOTE_CAST_FUNCTION without a migration would leave databases already
    migrated on the old rules (a fresh test database always gets the new text)."""
    recorded = set()
    for path in MIGRATIONS.glob("0*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "VOTE_CAST_SHA256" for t in node.targets
            ):
                recorded.add(ast.literal_eval(node.value))
    assert voting.VOTE_CAST_SHA256 in recorded, (
        "charter_vote_cast() changed: add a migration that runs voting.install() and sets "
        f'VOTE_CAST_SHA256 = "{voting.VOTE_CAST_SHA256}" (see 0008).'
    )


def test_the_database_runs_the_function_of_voting_py(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'charter_vote_cast'")
        (body,) = cursor.fetchone()
    assert body.strip() in voting.VOTE_CAST_FUNCTION


def test_the_vote_step_is_the_same_number_in_the_model_the_python_and_the_sql():
    assert voting.VOTE_STEP == Step.VOTE
    assert f"IF v_step <> {Step.VOTE} THEN" in voting.VOTE_CAST_FUNCTION
