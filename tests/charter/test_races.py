"""Writes racing the facilitator: a step change, a rule change or a dot taken back at the
same moment as other writes, on PostgreSQL with real threads."""

import threading
import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from charter import services
from charter.models import StatementProposal, Step, Vote, Workshop, WorkshopKeyword
from tests.factories import MembershipFactory

from .conftest import make_workshop, put_keywords

STATEMENT = "Take every chance to give our clients advice that helps them"


def _drafting(team, manager):
    workshop = make_workshop(team, manager, step=Step.DRAFT)
    (item,) = put_keywords(workshop, "Helpful")
    WorkshopKeyword.objects.filter(pk=item.pk).update(selected=True)
    return workshop, item


# A stale copy of the workshop -----------------------------------------------------------------


def test_a_proposal_checks_the_step_in_the_database_not_in_a_stale_copy(team, manager, member):
    stale = make_workshop(team, manager, step=Step.PROPOSE)
    Workshop.objects.filter(pk=stale.pk).update(step=Step.OBSERVE)
    with pytest.raises(ValidationError, match="moved on"):
        services.keyword_propose(workshop=stale, user=member, text="Patient")
    assert not WorkshopKeyword.objects.exists()


def test_drafting_checks_the_step_in_the_database_not_in_a_stale_copy(team, manager, member):
    stale, item = _drafting(team, manager)
    proposal = services.statement_propose(
        workshop=stale, author=manager, keyword_id=item.pk, text=STATEMENT
    )
    Workshop.objects.filter(pk=stale.pk).update(step=Step.SELECT)
    with pytest.raises(ValidationError, match="moved on"):
        services.statement_propose(
            workshop=stale, author=member, keyword_id=item.pk, text=STATEMENT + " again"
        )
    with pytest.raises(ValidationError, match="moved on"):
        services.statement_endorse(workshop=stale, user=member, proposal_id=proposal.pk)
    with pytest.raises(ValidationError, match="draft step"):
        services.point_set(
            workshop=stale, keyword_id=item.pk, statement=STATEMENT, coaching_question="Did you?!"
        )
    assert StatementProposal.objects.count() == 1
    assert proposal.endorsements.count() == 1


def test_a_published_workshop_refuses_proposals(team, manager, member):
    stale = make_workshop(team, manager, step=Step.PROPOSE)
    Workshop.objects.filter(pk=stale.pk).update(published_at="2026-01-01T00:00Z")
    with pytest.raises(ValidationError, match="moved on"):
        services.keyword_propose(workshop=stale, user=member, text="Patient")


def test_selecting_checks_the_step_in_the_database(team, manager):
    stale = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(stale, *[f"k{n}" for n in range(5)])
    Workshop.objects.filter(pk=stale.pk).update(step=Step.VOTE)
    with pytest.raises(ValidationError, match="moved on"):
        services.keywords_select(workshop=stale, keyword_ids=[i.pk for i in items])
    assert not WorkshopKeyword.objects.filter(selected=True).exists()


def test_fewer_than_five_keywords_raise_a_confirmation_request(team, manager):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(workshop, *[f"k{n}" for n in range(4)])
    with pytest.raises(services.SelectionToConfirm, match="confirm with fewer"):
        services.keywords_select(workshop=workshop, keyword_ids=[i.pk for i in items])
    services.keywords_select(
        workshop=workshop, keyword_ids=[i.pk for i in items], fewer_confirmed=True
    )
    assert WorkshopKeyword.objects.filter(selected=True).count() == 4


# Threads on PostgreSQL ------------------------------------------------------------------------


def _wait_until_someone_waits_for_a_lock(timeout: float = 10.0) -> None:
    """Returns once another connection of this database is waiting for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("nobody waited for the lock")


class _Thread(threading.Thread):
    """A thread with its own database connection, keeping what its target raised."""

    def __init__(self, target):
        super().__init__()
        self._work = target
        self.error: BaseException | None = None
        self.result = None

    def run(self):
        try:
            self.result = self._work()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            self.error = error
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_proposal_sent_while_the_facilitator_goes_back_waits_and_is_refused(
    team, manager, member
):
    workshop, item = _drafting(team, manager)
    locked, release = threading.Event(), threading.Event()

    def go_back():
        with transaction.atomic():
            Workshop.objects.select_for_update().get(pk=workshop.pk)
            locked.set()
            release.wait(10)
            services.workshop_step_set(workshop=workshop, from_step=Step.DRAFT, to_step=Step.SELECT)

    facilitator = _Thread(go_back)
    facilitator.start()
    locked.wait(10)
    proposer = _Thread(
        lambda: services.statement_propose(
            workshop=workshop, author=member, keyword_id=item.pk, text=STATEMENT
        )
    )
    proposer.start()
    _wait_until_someone_waits_for_a_lock()
    release.set()
    facilitator.join()
    proposer.join()
    assert facilitator.error is None
    assert isinstance(proposer.error, ValidationError)
    assert not StatementProposal.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).step == Step.SELECT


@pytest.mark.django_db(transaction=True)
def test_going_back_waits_for_a_proposal_in_flight_and_then_discards_it(team, manager, member):
    workshop, item = _drafting(team, manager)
    proposed, release = threading.Event(), threading.Event()

    def propose():
        with transaction.atomic():
            services.statement_propose(
                workshop=workshop, author=member, keyword_id=item.pk, text=STATEMENT
            )
            proposed.set()
            release.wait(10)

    proposer = _Thread(propose)
    proposer.start()
    proposed.wait(10)
    facilitator = _Thread(
        lambda: services.workshop_step_set(
            workshop=workshop, from_step=Step.DRAFT, to_step=Step.SELECT
        )
    )
    facilitator.start()
    _wait_until_someone_waits_for_a_lock()
    release.set()
    proposer.join()
    facilitator.join()
    assert proposer.error is None and facilitator.error is None
    # The proposal committed first; going back then threw it away with the rest.
    assert not StatementProposal.objects.exists()
    assert Workshop.objects.get(pk=workshop.pk).step == Step.SELECT


@pytest.mark.django_db(transaction=True)
def test_keywords_proposed_while_the_step_moves_on_are_counted_exactly(team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    voters = [MembershipFactory(team=team).user for _ in range(12)]
    barrier = threading.Barrier(len(voters) + 1)

    def propose(user):
        def run():
            barrier.wait()
            return services.keyword_propose(workshop=workshop, user=user, text=" helpful ")

        return run

    def move_on():
        barrier.wait()
        time.sleep(0.01)
        return services.workshop_step_set(
            workshop=workshop, from_step=Step.PROPOSE, to_step=Step.VOTE
        )

    threads = [_Thread(propose(user)) for user in voters] + [_Thread(move_on)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [t for t in threads[:-1] if t.error is None]
    assert all(isinstance(t.error, ValidationError) for t in threads[:-1] if t.error)
    assert threads[-1].error is None
    items = WorkshopKeyword.objects.filter(workshop=workshop)
    assert sum(i.proposals for i in items) == len(accepted)
    assert items.count() == (1 if accepted else 0)


# Rules changing and dots taken back while people vote -------------------------------------


def _run_all(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [t.error for t in threads if t.error and not isinstance(t.error, ValidationError)]
    assert not errors, errors  # no deadlock, no IntegrityError, no 500 in the making


def _tallies(workshop):
    votes = list(
        Vote.objects.filter(workshop=workshop).values_list("voter", "keyword", "dot_number")
    )
    per_voter, per_keyword, dots = Counter(), Counter(), Counter()
    for voter, keyword, dot in votes:
        per_voter[voter] += 1
        per_keyword[voter, keyword] += 1
        dots[voter, dot] += 1
    return votes, per_voter, per_keyword, dots


@pytest.mark.django_db(transaction=True)
def test_lowering_the_rules_while_people_vote_never_leaves_a_vote_beyond_them(team, manager):
    workshop = make_workshop(
        team, manager, step=Step.VOTE, dots_per_person=8, max_dots_per_keyword=4
    )
    items = put_keywords(workshop, "Patient", "Honest", "Helpful", "Clear")
    voters = [MembershipFactory(team=team).user for _ in range(16)]
    barrier = threading.Barrier(len(voters) + 1)
    accepted, lock = Counter(), threading.Lock()
    # Seven dots each, the last one a third on the first keyword: each change races the
    # votes that would put someone beyond it.
    attempts = [*items, items[0], items[1], items[0]]
    targets = [(6, 2), (5, 2), (4, 2), (3, 1)]
    outcomes = []

    def vote(user):
        def run():
            barrier.wait()
            for item in attempts:
                try:
                    if services.vote_cast(workshop=workshop, user=user, keyword_id=item.pk).created:
                        with lock:
                            accepted[user.pk] += 1
                except ValidationError:
                    pass

        return run

    def lower_the_rules():
        barrier.wait()
        for budget, cap in targets:
            try:
                services.workshop_rules_update(
                    workshop=workshop,
                    dots_per_person=budget,
                    max_dots_per_keyword=cap,
                    results_hidden=True,
                )
                outcomes.append((budget, cap, True))
            except ValidationError:
                outcomes.append((budget, cap, False))

    _run_all([_Thread(vote(user)) for user in voters] + [_Thread(lower_the_rules)])
    final = Workshop.objects.get(pk=workshop.pk)
    votes, per_voter, per_keyword, dots = _tallies(workshop)
    assert len(votes) == sum(accepted.values())
    assert all(per_voter[u.pk] == accepted[u.pk] for u in voters)
    assert max(per_voter.values()) <= final.dots_per_person
    assert max(per_keyword.values()) <= final.max_dots_per_keyword
    assert max(dots.values()) == 1 and max(d for _v, _k, d in votes) <= 8
    # A change was refused only because someone had already cast more than it allowed;
    # the rules in force are the last change that went through.
    for budget, cap, done in outcomes:
        if not done:
            assert max(per_voter.values()) > budget or max(per_keyword.values()) > cap
    passed = [(b, c) for b, c, done in outcomes if done]
    assert (final.dots_per_person, final.max_dots_per_keyword) == (passed or [(8, 4)])[-1]


@pytest.mark.django_db(transaction=True)
def test_a_rule_change_waits_for_a_vote_in_flight_and_counts_it(team, manager, member):
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=6)
    (item,) = put_keywords(workshop, "Patient")
    services.vote_cast(workshop=workshop, user=member, keyword_id=item.pk)
    cast, release = threading.Event(), threading.Event()

    def second_dot():
        with transaction.atomic():
            services.vote_cast(workshop=workshop, user=member, keyword_id=item.pk)
            cast.set()
            release.wait(10)

    voter = _Thread(second_dot)
    voter.start()
    cast.wait(10)
    facilitator = _Thread(
        lambda: services.workshop_rules_update(
            workshop=workshop, dots_per_person=6, max_dots_per_keyword=1, results_hidden=True
        )
    )
    facilitator.start()
    _wait_until_someone_waits_for_a_lock()
    release.set()
    voter.join()
    facilitator.join()
    assert voter.error is None
    # The change saw the second dot once it was committed, and was refused.
    assert isinstance(facilitator.error, ValidationError)
    assert Workshop.objects.get(pk=workshop.pk).max_dots_per_keyword == 3
    assert Vote.objects.filter(voter=member).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_vote_sent_during_a_rule_change_waits_and_obeys_the_new_rules(team, manager, member):
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=6)
    (item,) = put_keywords(workshop, "Patient")
    services.vote_cast(workshop=workshop, user=member, keyword_id=item.pk)
    changed, release = threading.Event(), threading.Event()

    def lower_the_cap():
        with transaction.atomic():
            services.workshop_rules_update(
                workshop=workshop, dots_per_person=6, max_dots_per_keyword=1, results_hidden=True
            )
            changed.set()
            release.wait(10)

    facilitator = _Thread(lower_the_cap)
    facilitator.start()
    changed.wait(10)
    voter = _Thread(lambda: services.vote_cast(workshop=workshop, user=member, keyword_id=item.pk))
    voter.start()
    _wait_until_someone_waits_for_a_lock()
    release.set()
    facilitator.join()
    voter.join()
    assert facilitator.error is None
    assert isinstance(voter.error, ValidationError)
    assert "At most 1 dot can go on one keyword" in voter.error.messages[0]
    assert Vote.objects.filter(voter=member).count() == 1


@pytest.mark.django_db(transaction=True)
def test_taking_dots_back_from_two_screens_at_once_never_loses_or_invents_one(team, manager):
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=4)
    items = put_keywords(workshop, "Patient", "Honest")
    voters = [MembershipFactory(team=team).user for _ in range(8)]
    screens = 2  # each voter on a phone and a laptop, tapping at the same moment
    barrier = threading.Barrier(len(voters) * screens)
    net, lock = Counter(), threading.Lock()
    a, b = items
    # "+" for a keyword, "-" to take a dot back from it.
    taps = [("+", a), ("+", a), ("-", a), ("+", b), ("-", b), ("-", b), ("+", a), ("-", a)]
    taps += [("+", a), ("+", b), ("+", b), ("-", a), ("+", b), ("-", b), ("+", a)]

    def tap(user):
        def run():
            barrier.wait()
            for sign, item in taps:
                try:
                    if sign == "+":
                        changed = services.vote_cast(
                            workshop=workshop, user=user, keyword_id=item.pk
                        ).created
                    else:
                        changed = services.vote_remove(
                            workshop=workshop, user=user, keyword_id=item.pk
                        )
                except ValidationError:
                    changed = False
                if changed:
                    with lock:
                        net[user.pk] += 1 if sign == "+" else -1

        return run

    _run_all([_Thread(tap(user)) for user in voters for _ in range(screens)])
    votes, per_voter, per_keyword, dots = _tallies(workshop)
    for user in voters:
        assert per_voter[user.pk] == net[user.pk]
    assert max(per_voter.values()) <= 4 and max(per_keyword.values()) <= 3
    assert max(dots.values()) == 1
    slots = Counter(Vote.objects.filter(workshop=workshop).values_list("voter", "keyword", "slot"))
    assert max(slots.values()) == 1


@pytest.mark.django_db(transaction=True)
def test_one_dot_taken_back_by_many_clicks_at_once_is_taken_once(team, manager, member):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    (item,) = put_keywords(workshop, "Patient")
    services.vote_cast(workshop=workshop, user=member, keyword_id=item.pk)
    barrier = threading.Barrier(10)

    def take_back():
        barrier.wait()
        return services.vote_remove(workshop=workshop, user=member, keyword_id=item.pk)

    threads = [_Thread(take_back) for _ in range(10)]
    _run_all(threads)
    assert sorted(t.result for t in threads) == [False] * 9 + [True]
    assert not Vote.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_merging_while_people_propose_the_merged_words_neither_deadlocks_nor_loses_one(
    team, manager
):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    labels = [f"word {n}" for n in range(6)]
    items = put_keywords(workshop, *labels)
    # Each word but the last was merged into the next one: word 0 -> word 1 -> ...
    for source, target in zip(items, items[1:], strict=False):
        services.keyword_merge(workshop=workshop, source_id=source.pk, target_id=target.pk)
    people = [MembershipFactory(team=team).user for _ in range(12)]
    extra = put_keywords(workshop, "kind", "warm", "gentle")
    barrier = threading.Barrier(len(people) + 1)
    proposed, lock = Counter(), threading.Lock()

    def propose(user):
        def run():
            barrier.wait()
            for label in labels * 2:
                services.keyword_propose(workshop=workshop, user=user, text=label)
                with lock:
                    proposed["all"] += 1

        return run

    def merge():
        barrier.wait()
        chain = [items[-1], *extra]
        for source, target in zip(chain, chain[1:], strict=False):
            services.keyword_merge(workshop=workshop, source_id=source.pk, target_id=target.pk)

    _run_all([_Thread(propose(user)) for user in people] + [_Thread(merge)])
    standing = WorkshopKeyword.objects.get(workshop=workshop, merged_into=None)
    # 6 + 3 initial proposals, then every one that went through, all counted on one word.
    assert standing.keyword.label == "gentle"
    assert standing.proposals == 9 + proposed["all"] == 9 + 12 * 12
