"""Writes racing the facilitator: a step change, a rule change or a dot taken back at the
same moment as other writes, on PostgreSQL with real threads."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from charter import services
from charter.models import StatementProposal, Step, Workshop, WorkshopKeyword
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
