"""The voting rules, enforced by row locks and database constraints."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from charter import services
from charter.models import Step, Vote, Workshop
from tests.factories import MembershipFactory

from .conftest import make_workshop, put_keywords


@pytest.fixture(autouse=True, params=["in one statement", "in Python"])
def rules(request, monkeypatch):
    """Every rule holds both ways: PostgreSQL's charter_vote_cast() (migration 0003),
    and the Python that SQLite and a voter's first tap run."""
    if request.param == "in Python":
        monkeypatch.setattr(
            services,
            "vote_cast",
            lambda *, workshop, user, keyword_id, dot=None: services._vote_cast(
                workshop=workshop, user=user, keyword_id=keyword_id, dot=dot
            ),
        )
    return request.param


def _vote(workshop, user, item, dot=None):
    return services.vote_cast(workshop=workshop, user=user, keyword_id=item.pk, dot=dot)


def test_member_can_cast_up_to_the_budget_and_no_more(voting, member):
    Workshop.objects.filter(pk=voting.pk).update(dots_per_person=4, max_dots_per_keyword=2)
    voting.refresh_from_db()
    patient, honest, helpful = voting.items
    for item in (patient, patient, honest, helpful):
        assert _vote(voting, member, item).created
    with pytest.raises(services.VoteRefused, match="all your 4 dots"):
        _vote(voting, member, honest)
    assert Vote.objects.filter(voter=member).count() == 4


def test_a_first_vote_of_someone_who_never_joined_counts_them_in(voting, member):
    assert not voting.participants.filter(user=member).exists()
    assert _vote(voting, member, voting.items[0]).created
    assert voting.participants.filter(user=member).exists()
    assert _vote(voting, member, voting.items[1]).created  # now through the joined path
    assert Vote.objects.filter(voter=member, workshop=voting).count() == 2


def test_member_cannot_exceed_the_cap_on_one_keyword(voting, member):
    patient = voting.items[0]
    for _ in range(3):
        _vote(voting, member, patient)
    with pytest.raises(services.VoteRefused, match="At most 3 dots"):
        _vote(voting, member, patient)
    assert Vote.objects.filter(voter=member, keyword=patient).count() == 3


def test_a_replayed_vote_with_the_same_dot_counts_once(voting, member):
    patient = voting.items[0]
    first = _vote(voting, member, patient, dot=1)
    again = _vote(voting, member, patient, dot=1)
    assert first.created and not again.created
    assert Vote.objects.filter(voter=member).count() == 1


def test_a_stale_dot_on_another_keyword_is_not_lost(voting, member):
    patient, honest, _helpful = voting.items
    _vote(voting, member, patient, dot=1)
    outcome = _vote(voting, member, honest, dot=1)
    assert outcome.created and outcome.dot_number == 2
    assert Vote.objects.filter(voter=member).count() == 2


def test_unvote_frees_a_dot(voting, member):
    Workshop.objects.filter(pk=voting.pk).update(dots_per_person=1, max_dots_per_keyword=1)
    voting.refresh_from_db()
    patient, honest, _helpful = voting.items
    _vote(voting, member, patient)
    assert services.vote_remove(workshop=voting, user=member, keyword_id=patient.pk)
    assert _vote(voting, member, honest).created
    assert not services.vote_remove(workshop=voting, user=member, keyword_id=patient.pk)


def test_taking_a_dot_back_takes_the_latest_on_that_keyword_only(voting, member):
    patient, honest, _helpful = voting.items
    _vote(voting, member, patient)
    _vote(voting, member, honest)
    _vote(voting, member, patient)
    assert services.vote_remove(workshop=voting, user=member, keyword_id=patient.pk)
    left = sorted(Vote.objects.filter(voter=member).values_list("keyword_id", "slot"))
    assert left == sorted([(patient.pk, 1), (honest.pk, 1)])


def test_a_dot_cannot_be_taken_back_by_someone_who_never_joined(voting, member, lead):
    _vote(voting, member, voting.items[0])
    assert not services.vote_remove(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    assert Vote.objects.filter(voter=member).count() == 1


def test_votes_are_refused_outside_the_vote_step(team, manager, member):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    (item,) = put_keywords(workshop, "Patient")
    with pytest.raises(services.VoteRefused, match="closed"):
        _vote(workshop, member, item)


def test_a_merged_keyword_cannot_get_votes(voting, member):
    patient, honest, _ = voting.items
    patient.merged_into = honest
    patient.save()
    with pytest.raises(services.VoteRefused):
        _vote(voting, member, patient)


def test_rules_can_change_while_voting_but_never_below_the_cast_dots(voting, member, lead):
    patient, honest, helpful = voting.items
    for item in (patient, patient, honest, helpful):
        _vote(voting, member, item)
    with pytest.raises(ValidationError, match="already cast 4 dots"):
        services.workshop_rules_update(
            workshop=voting, dots_per_person=3, max_dots_per_keyword=2, results_hidden=True
        )
    with pytest.raises(ValidationError, match="already put 2 dots"):
        services.workshop_rules_update(
            workshop=voting, dots_per_person=6, max_dots_per_keyword=1, results_hidden=True
        )
    services.workshop_rules_update(
        workshop=voting, dots_per_person=4, max_dots_per_keyword=2, results_hidden=False
    )
    voting.refresh_from_db()
    with pytest.raises(services.VoteRefused):
        _vote(voting, member, helpful)
    assert _vote(voting, lead, helpful).created


def test_the_database_refuses_a_second_vote_with_the_same_dot(voting, member):
    patient, honest, _ = voting.items
    Vote.objects.create(workshop=voting, keyword=patient, voter=member, dot_number=1, slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(workshop=voting, keyword=honest, voter=member, dot_number=1, slot=1)


def test_the_database_refuses_a_dot_beyond_the_range(voting, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            workshop=voting, keyword=voting.items[0], voter=member, dot_number=0, slot=1
        )


def test_the_database_refuses_a_cap_beyond_the_budget(voting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=voting.pk).update(dots_per_person=2, max_dots_per_keyword=3)


@pytest.mark.django_db(transaction=True)
def test_fifty_voters_at_once_never_break_the_rules_nor_lose_a_vote(team, manager):
    """Every voter fires more votes than allowed, all at once, half of them replayed."""
    workshop = make_workshop(team, manager, step=Step.VOTE, dots_per_person=4)
    items = put_keywords(workshop, "Patient", "Honest", "Helpful")
    voters = [MembershipFactory(team=team).user for _ in range(50)]
    accepted = []
    refused = []
    lock = threading.Lock()
    barrier = threading.Barrier(25)

    def run(chunk):
        try:
            barrier.wait()
            for voter in chunk:
                # 4 on one keyword (cap 3), a replayed dot, then 3 more (budget 4).
                attempts = [(items[0], 1), (items[0], 1), (items[0], 2), (items[0], 3)]
                attempts += [(items[0], 4), (items[1], 4), (items[2], 5), (items[1], None)]
                for item, dot in attempts:
                    try:
                        outcome = _vote(workshop, voter, item, dot)
                        with lock:
                            (accepted if outcome.created else refused).append(voter.pk)
                    except ValidationError:
                        with lock:
                            refused.append(voter.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(voters[n::25],)) for n in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = Vote.objects.filter(workshop=workshop)
    assert stored.count() == len(accepted) == 50 * 4
    for voter in voters:
        mine = stored.filter(voter=voter)
        assert mine.count() == 4
        assert mine.filter(keyword=items[0]).count() == 3
        assert sorted(mine.values_list("dot_number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_clicks_of_one_voter_stay_within_budget_and_cap(team, manager, member):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    items = put_keywords(workshop, "Patient", "Honest")
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def click(n):
        try:
            barrier.wait()
            try:
                outcome = _vote(workshop, member, items[n % 2], dot=n % 8 + 1)
                created = outcome.created
            except ValidationError:
                created = False
            with lock:
                results.append(created)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = Vote.objects.filter(workshop=workshop, voter=member)
    assert stored.count() == sum(results) == 6
    assert all(stored.filter(keyword=item).count() == 3 for item in items)
