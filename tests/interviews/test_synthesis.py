import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.models import Keyword
from interviews import services, synthesis
from interviews.models import Belief, Criterion, Note, Topic
from tests.factories import ClientGroupFactory

from .factories import HighlightFactory, InterviewFactory, StakeholderFactory


def _keyword(team, label):
    return Keyword.objects.get_or_create(
        team=team, normalised=label.lower(), defaults={"label": label}
    )[0]


def _said(team, words, keyword, *, kind="external", group=None, named=False, days_ago=1, **extra):
    group = group or ClientGroupFactory(team=team, kind=kind)
    person = StakeholderFactory(team=team, client_group=group, consent_named=named, **extra)
    interview = InterviewFactory(
        team=team,
        stakeholder=person,
        scheduled_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    highlight = HighlightFactory(interview=interview, text=words)
    highlight.keywords.add(_keyword(team, keyword))
    return highlight


def _world(team, n):
    internal = ClientGroupFactory(team=team, kind="internal", name="Accounting")
    external = ClientGroupFactory(team=team, kind="external", name="Retail")
    for i in range(n):
        h = _said(team, f"Quick answer {i}", "Responsive", group=internal if i % 2 else external)
        Criterion.objects.create(interview=h.interview, text="Answers within the day")
        Note.objects.create(interview=h.interview, position=5, topic=Topic.COORDINATION, body="IT")


def test_keywords_count_distinct_clients_internal_and_external_apart(team):
    internal = ClientGroupFactory(team=team, kind="internal")
    h = _said(team, "Fast", "Responsive", group=internal)
    again = HighlightFactory(interview=h.interview, text="Really fast")  # same person again
    again.keywords.add(_keyword(team, "Responsive"))
    _said(team, "Quick", "Responsive", kind="external")
    (item,) = synthesis.keyword_evidence(team=team, shared=False)
    assert item.quotes == 3
    assert item.client_count == 2
    assert (len(item.internal), len(item.external)) == (1, 1)


def test_on_shared_screens_names_and_addresses_are_masked_unless_agreed(team, member):
    _said(
        team,
        "Claire Dupont wrote from claire@acme.test, Claire was kind",
        "Kind",
        name="Claire Dupont",
    )
    (item,) = synthesis.keyword_evidence(team=team, shared=True)
    (quote,) = item.examples
    assert "Claire" not in quote.text and "acme.test" not in quote.text
    assert "[e-mail]" in quote.text and "[name]" in quote.text
    assert quote.who.startswith("A client of")
    (inside,) = synthesis.keyword_evidence(team=team, shared=False)
    assert inside.examples[0].who == "Claire Dupont"


def test_a_person_who_agreed_is_named_on_shared_screens(team):
    _said(team, "Good", "Kind", name="Nina Named", named=True)
    (item,) = synthesis.keyword_evidence(team=team, shared=True)
    assert item.examples[0].who == "Nina Named"


def test_the_gap_sets_beliefs_beside_the_clients_ranking(team, member):
    services.belief_create(team=team, author=member, keyword="Friendly", statement="They like us")
    _said(team, "Fast", "Responsive")
    rows = {
        r.label: r
        for r in synthesis.perception_gap(
            team=team, evidence=synthesis.keyword_evidence(team=team, shared=False)
        )
    }
    assert rows["Friendly"].believed and rows["Friendly"].client_rank is None
    assert rows["Responsive"].client_rank == 1 and not rows["Responsive"].believed


def test_a_belief_without_recent_client_words_is_flagged(team, member):
    services.belief_create(team=team, author=member, keyword="Friendly", statement="x")
    services.belief_create(team=team, author=member, keyword="Responsive", statement="y")
    _said(team, "Old news", "Friendly", days_ago=120)
    _said(team, "Fresh", "Responsive", days_ago=3)
    evidence = synthesis.keyword_evidence(team=team, shared=False)
    stale = synthesis.stale_evidence(team=team, evidence=evidence, days=90)
    assert [s.label for s in stale] == ["Friendly"]
    assert [s.label for s in synthesis.stale_evidence(team=team, evidence=evidence, days=200)] == []


def test_criteria_in_the_same_words_are_counted_together(team):
    for _ in range(2):
        h = _said(team, "x", "Responsive")
        Criterion.objects.create(interview=h.interview, text="Answers within the day.")
    (item,) = synthesis.criteria_grouped(team=team)
    assert len(item.clients) == 2


@pytest.mark.parametrize("n", [2, 8])
def test_the_synthesis_page_reads_a_fixed_number_of_queries(
    member_client, team, n, django_assert_max_num_queries
):
    _world(team, n)
    Belief.objects.create(team=team, keyword=_keyword(team, "Friendly"), statement="x")
    url = reverse("interviews:synthesis", args=[team.slug])
    with django_assert_max_num_queries(16):
        response = member_client.get(url)
    page = response.content.decode()
    assert "Quick answer" in page and "Answers within the day" in page
    assert "Propose an indicator" in page


def test_a_criterion_becomes_a_prefilled_indicator_proposal(member_client, team):
    url = reverse("indicators:create", args=[team.slug]) + "?name=Answers+within+the+day"
    page = member_client.get(url).content.decode()
    assert 'value="Answers within the day"' in page


def test_managers_set_the_age_of_evidence_and_bad_input_is_refused(manager_client, team):
    url = reverse("interviews:settings", args=[team.slug])
    response = manager_client.post(url, {"evidence_days": 3})
    assert response.status_code == 200 and "error" in response.content.decode()
    manager_client.post(url, {"evidence_days": 30})
    assert synthesis.evidence_days(team=team) == 30
