import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.models import Keyword, Observation, keyword_normalise
from tests.factories import ClientGroupFactory, MembershipFactory


@pytest.mark.parametrize(
    "text",
    ["Helpful", " helpful ", "HELPFUL", "hélpful", "Hel\u0301pful"],
)
def test_keyword_normalisation_ignores_case_spaces_and_accents(text):
    assert keyword_normalise(text) == "helpful"


def test_keyword_normalisation_collapses_inner_spaces():
    assert keyword_normalise("  Follow   Up ") == "follow up"


def test_the_same_keyword_typed_differently_is_one_keyword(team):
    first = services.keyword_get_or_create(team=team, text="Éducatif")
    again = services.keyword_get_or_create(team=team, text="  educatif ")
    assert first == again
    assert first.label == "Éducatif"
    assert Keyword.objects.filter(team=team).count() == 1


def _observe(team, author, keywords="patient", **extra):
    return services.observation_create(
        team=team,
        author=author,
        reaction="Grateful",
        behaviour="Stayed on the line",
        keywords=keywords.split(","),
        **extra,
    )


def test_member_logs_an_observation_with_new_and_known_keywords(member_client, team, member):
    _observe(team, member, "Patient")
    url = reverse("charter:observation_create", args=[team.slug])
    response = member_client.post(
        url,
        {
            "reaction": "Reassured",
            "behaviour": "Explained the delay honestly",
            "keywords_text": "patient, Honest",
            "observed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.latest("created_at")
    assert sorted(k.normalised for k in observation.keywords.all()) == ["honest", "patient"]
    assert Keyword.objects.filter(team=team).count() == 2


def test_observation_form_rerenders_with_errors(member_client, team):
    url = reverse("charter:observation_create", args=[team.slug])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = member_client.post(
        url, {"reaction": "", "keywords_text": " , ", "observed_on": future}
    )
    assert response.status_code == 200
    assert b"Name at least one behaviour keyword" in response.content
    assert b"cannot be in the future" in response.content


@pytest.mark.parametrize("keywords", ["\u0301", "patient, \u0301\u0301", "patient, ?!"])
def test_a_keyword_without_any_letter_is_refused_with_a_message(member_client, team, keywords):
    url = reverse("charter:observation_create", args=[team.slug])
    response = member_client.post(
        url,
        {
            "reaction": "Reassured",
            "behaviour": "Explained the delay",
            "keywords_text": keywords,
            "observed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "is not a keyword: use at least one letter or digit" in response.content.decode()
    assert not Observation.objects.exists() and not Keyword.objects.exists()


def test_a_refusal_from_the_service_rerenders_the_form(member_client, team, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(services, "observation_create", refuse)
    response = member_client.post(
        reverse("charter:observation_create", args=[team.slug]),
        {
            "reaction": "Reassured",
            "behaviour": "Explained the delay",
            "keywords_text": "patient",
            "observed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and b"Refused by the service." in response.content


def test_observation_form_offers_the_team_vocabulary(member_client, team, member):
    _observe(team, member, "Patient")
    response = member_client.get(reverse("charter:observation_create", args=[team.slug]))
    assert b'<datalist id="keyword-vocabulary"><option value="Patient">' in response.content


def test_observation_form_offers_the_most_used_keywords_to_tap(member_client, team, member):
    for words in ("patient,honest", "patient", "patient,clear,honest"):
        _observe(team, member, words)
    services.keyword_get_or_create(team=team, text="Unused")
    content = member_client.get(
        reverse("charter:observation_create", args=[team.slug])
    ).content.decode()
    # The field suggests per word with charter.js; without it, the datalist still works.
    assert 'data-keywords=""' in content and 'list="keyword-vocabulary"' in content
    assert 'src="/static/js/charter.js"' in content
    picks = re.findall(r'data-keyword-add="([^"]+)" data-for="id_keywords_text"', content)
    assert picks == ["patient", "honest", "clear"]
    assert 'data-keyword-picks="id_keywords_text" hidden' in content


def test_observation_form_page_query_count_does_not_grow(
    member_client, team, django_assert_max_num_queries
):
    _many_observations(team, 60)
    for n in range(40):
        services.keyword_get_or_create(team=team, text=f"word {n}")
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("charter:observation_create", args=[team.slug]))
    assert response.content.count(b"<option value=") >= 52


def test_a_client_group_of_another_team_is_refused(member_client, team):
    other = ClientGroupFactory()
    url = reverse("charter:observation_create", args=[team.slug])
    response = member_client.post(
        url, {"reaction": "x", "behaviour": "y", "keywords_text": "z", "client_group": other.pk}
    )
    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_hidden_author_is_anonymous_to_everyone_but_the_author(team, member, lead, lead_client):
    _observe(team, member, hide_author=True)
    from django.test import Client

    author_client = Client()
    author_client.force_login(member)
    url = reverse("charter:observations", args=[team.slug])
    as_lead = lead_client.get(url).content.decode()
    assert member.display_name not in as_lead
    assert "a colleague" in as_lead
    as_author = author_client.get(url).content.decode()
    assert "hidden from your colleagues" in as_author


def test_observations_filter_by_keyword_group_and_period(member_client, team, member):
    group = ClientGroupFactory(team=team)
    _observe(team, member, "patient", client_group=group)
    old = _observe(team, member, "honest")
    Observation.objects.filter(pk=old.pk).update(
        observed_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    url = reverse("charter:observations", args=[team.slug])
    assert member_client.get(url, {"keyword": "PATIENT"}).context["observations"].count() == 1
    assert member_client.get(url, {"client_group": group.pk}).context["observations"].count() == 1
    recent = member_client.get(url, {"period": "30"})
    assert [k.normalised for k in recent.context["top_keywords"]] == ["patient"]
    assert len(member_client.get(url, {"keyword": "unknown"}).context["observations"]) == 0


def test_observations_filter_answers_htmx_with_the_results_fragment(member_client, team):
    url = reverse("charter:observations", args=[team.slug])
    response = member_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="results"' in response.content
    assert b"<html" not in response.content
    assert b"<html" in member_client.get(url).content


def test_top_keywords_are_counted_in_sql_with_an_example(team, member):
    for words in ("patient,honest", "patient", "patient,clear"):
        _observe(team, member, words)
    from charter.selectors import keywords_top

    top = keywords_top(team=team)
    assert [(k.normalised, k.uses) for k in top][:1] == [("patient", 3)]
    assert top[0].example == "Stayed on the line"


def test_observations_page_query_count_does_not_grow(
    member_client, team, member, django_assert_max_num_queries
):
    groups = [ClientGroupFactory(team=team) for _ in range(3)]
    authors = [MembershipFactory(team=team).user for _ in range(5)]
    for n in range(60):
        _observe(team, authors[n % 5], f"kw{n % 12},kw{(n + 1) % 12}", client_group=groups[n % 3])
    url = reverse("charter:observations", args=[team.slug])
    with django_assert_max_num_queries(12):
        response = member_client.get(url)
    assert len(response.context["observations"]) == 25


def _many_observations(team, count):
    groups = [ClientGroupFactory(team=team) for _ in range(3)]
    authors = [MembershipFactory(team=team).user for _ in range(5)]
    for n in range(count):
        _observe(team, authors[n % 5], f"kw{n % 12},kw{(n + 1) % 12}", client_group=groups[n % 3])
    return groups


@pytest.mark.parametrize("count", [30, 90])
@pytest.mark.parametrize(
    "query",
    [{}, {"page": "2"}, {"page": "last"}, {"keyword": "kw3", "period": "30", "client_group": 0}],
)
def test_observations_pages_and_filters_keep_a_constant_query_count(
    member_client, team, count, query, django_assert_max_num_queries
):
    groups = _many_observations(team, count)
    if "client_group" in query:
        query = {**query, "client_group": groups[0].pk}
    url = reverse("charter:observations", args=[team.slug])
    with django_assert_max_num_queries(10):
        response = member_client.get(url, query)
    assert response.status_code == 200
    assert response.context["top_keywords"]


def test_observations_are_paged(member_client, team, member):
    _many_observations(team, 60)
    url = reverse("charter:observations", args=[team.slug])
    first = member_client.get(url)
    assert len(first.context["observations"]) == 25
    assert "Page 1 of 3" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    third = member_client.get(url, {"page": 3})
    assert len(third.context["observations"]) == 10
    assert third.context["page"].number == 3
    seen = [o.pk for n in (1, 2, 3) for o in member_client.get(url, {"page": n}).context["page"]]
    assert len(set(seen)) == 60


@pytest.mark.parametrize(("page", "number"), [("abc", 1), ("%00", 1), ("99", 3), ("-1", 3)])
def test_a_bad_page_number_gives_the_first_or_last_page(member_client, team, page, number):
    _many_observations(team, 60)
    url = reverse("charter:observations", args=[team.slug])
    response = member_client.get(f"{url}?page={page}")
    assert response.status_code == 200
    assert response.context["page"].number == number


def test_page_links_keep_the_filters(member_client, team):
    groups = _many_observations(team, 90)
    url = reverse("charter:observations", args=[team.slug])
    response = member_client.get(url, {"client_group": groups[0].pk, "period": "30"})
    assert response.context["page"].paginator.count == 30
    content = response.content.decode()
    assert f'href="?client_group={groups[0].pk}&amp;period=30&amp;page=2"' in content
    # A keyword link narrows the same filters and goes back to the first page.
    page_two = member_client.get(url, {"client_group": groups[0].pk, "page": 2}).content.decode()
    assert f'href="?client_group={groups[0].pk}&amp;keyword=kw' in page_two
    assert "page=2&amp;keyword" not in page_two


def test_top_keywords_follow_every_filter(member_client, team, member):
    desk, shop = ClientGroupFactory(team=team), ClientGroupFactory(team=team)
    _observe(team, member, "patient,clear", client_group=desk)
    _observe(team, member, "patient,clear", client_group=desk)
    _observe(team, member, "honest,clear", client_group=shop)
    _observe(team, member, "honest", client_group=shop)
    old = _observe(team, member, "honest,patient", client_group=desk)
    Observation.objects.filter(pk=old.pk).update(
        observed_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    url = reverse("charter:observations", args=[team.slug])

    def top(**query):
        response = member_client.get(url, query)
        return [(k.normalised, k.uses) for k in response.context["top_keywords"]]

    assert top() == [("clear", 3), ("honest", 3), ("patient", 3)]
    assert top(client_group=desk.pk) == [("patient", 3), ("clear", 2), ("honest", 1)]
    assert top(client_group=desk.pk, period="30") == [("clear", 2), ("patient", 2)]
    # With a keyword: the keywords that come up alongside it, itself included.
    assert top(keyword="Honest") == [("honest", 3), ("clear", 1), ("patient", 1)]
    assert top(keyword="honest", client_group=shop.pk) == [("honest", 2), ("clear", 1)]
    assert top(keyword="nobody-said-this") == []
    examples = member_client.get(url, {"keyword": "patient", "period": "30"})
    assert {k.example for k in examples.context["top_keywords"]} == {"Stayed on the line"}


def test_observations_reject_other_methods(member_client, team):
    url = reverse("charter:observations", args=[team.slug])
    assert member_client.post(url).status_code == 405
    assert (
        member_client.delete(reverse("charter:observation_create", args=[team.slug])).status_code
        == 405
    )


def test_a_keyword_that_grows_when_folded_still_fits(team):
    keyword = services.keyword_get_or_create(team=team, text="ß" * 60)
    assert keyword.normalised == "s" * 60
