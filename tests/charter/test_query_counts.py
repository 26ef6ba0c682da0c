"""Query counts of the workshop screens at every step, with enough data to show an N+1:
each page is read with a little data and with a lot, and must cost the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter import services
from charter.models import Step, Workshop, WorkshopKeyword
from tests.factories import ClientGroupFactory, MembershipFactory

from .conftest import make_workshop, put_keywords

PAGES = ("workshop", "workshop_run")


def _fill(team, manager, workshop, size):
    """`size` people who observed, proposed, voted and drafted, as far as the step goes."""
    group = ClientGroupFactory(team=team)
    people = [MembershipFactory(team=team).user for _ in range(size)]
    for n, person in enumerate(people):
        services.observation_create(
            team=team,
            author=person,
            reaction="Grateful",
            behaviour=f"Called back within the hour, case {n}",
            keywords=[f"word {n}", f"word {n + 1}", "patient"],
            client_group=group,
        )
        services.participant_join(workshop=workshop, user=person)
    items = put_keywords(workshop, *[f"keyword {n}" for n in range(size)])
    step = workshop.step
    if step >= Step.VOTE:
        Workshop.objects.filter(pk=workshop.pk).update(step=Step.VOTE)
        for n, person in enumerate(people):
            for k in range(3):
                services.vote_cast(
                    workshop=workshop, user=person, keyword_id=items[(n + k) % size].pk
                )
        Workshop.objects.filter(pk=workshop.pk).update(step=step)
    if step >= Step.SELECT:
        WorkshopKeyword.objects.filter(pk__in=[i.pk for i in items[:6]]).update(selected=True)
    if step >= Step.DRAFT:
        current = Workshop.objects.get(pk=workshop.pk)
        for item in items[:6]:
            for n, person in enumerate(people[:4]):
                proposal = services.statement_propose(
                    workshop=current,
                    author=person,
                    keyword_id=item.pk,
                    text=f"Take every chance number {n} to help our clients",
                )
                for other in people[4:8]:
                    services.statement_endorse(
                        workshop=current, user=other, proposal_id=proposal.pk
                    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


# The most each screen may take, at any amount of data: (participant, facilitator).
LIMITS = {
    Step.OBSERVE: (7, 7),
    Step.PROPOSE: (8, 8),
    Step.VOTE: (8, 8),
    Step.SELECT: (7, 7),
    Step.DRAFT: (9, 9),
}


@pytest.mark.parametrize("step", list(LIMITS))
def test_workshop_screens_cost_the_same_with_little_or_much_data(
    step, team, manager, member_client, manager_client, django_assert_max_num_queries
):
    counts = {}
    for size in (8, 24):
        workshop = make_workshop(team, manager, step=step)
        _fill(team, manager, workshop, size)
        for name, client in zip(PAGES, (member_client, manager_client), strict=True):
            url = reverse(f"charter:{name}", args=[team.slug, workshop.pk])
            client.get(url)  # first visit: the live-update versions are created
            counts[size, name] = _queries(client, url)
    for name, limit in zip(PAGES, LIMITS[step], strict=True):
        assert counts[8, name] == counts[24, name], (name, counts)
        with django_assert_max_num_queries(limit):
            client = member_client if name == "workshop" else manager_client
            client.get(reverse(f"charter:{name}", args=[team.slug, workshop.pk]))
