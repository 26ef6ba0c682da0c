from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indicators import metrics, selectors, services
from indicators.models import Measurement, SurveyAnswer

from .factories import SurveyFactory


@pytest.fixture
def survey(team):
    return SurveyFactory(team=team)


def _answer(client, survey, score, comment="", **extra):
    """One respondent's answer: each call is a new visit (a client's own phone)."""
    url = reverse("indicators:survey_public", args=[survey.token])
    client.cookies.pop("survey_visit", None)
    page = client.get(url)
    nonce = page.context["form"].initial["nonce"]
    return client.post(url, {"score": score, "comment": comment, "nonce": nonce}, **extra), nonce


def test_a_client_answers_without_logging_in(client, survey):
    response, _nonce = _answer(client, survey, 5, "Quick and kind")
    assert response.status_code == 200
    assert b"Thank you" in response.content
    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment) == (5, "Quick and kind")


def test_answers_feed_the_satisfaction_indicator_with_their_number(client, survey):
    for score in (5, 4, 2, 1):
        _answer(client, survey, score)
    measurement = Measurement.objects.get(indicator=survey.indicator)
    assert measurement.value == Decimal("50.0")
    assert measurement.answer_count == 4
    today = selectors.team_today(survey.team)
    assert measurement.period_start == metrics.period_start(today, "weekly")
    assert SurveyAnswer.objects.count() == 4  # raw answers are kept


def test_a_form_sent_twice_counts_once(client, survey):
    url = reverse("indicators:survey_public", args=[survey.token])
    nonce = client.get(url).context["form"].initial["nonce"]
    client.post(url, {"score": 5, "nonce": nonce})
    response = client.post(url, {"score": 1, "nonce": nonce})
    assert response.status_code == 200
    assert b"Already received" in response.content
    assert SurveyAnswer.objects.count() == 1
    assert Measurement.objects.get().value == Decimal("100.0")


def test_a_forged_nonce_is_refused(client, survey):
    url = reverse("indicators:survey_public", args=[survey.token])
    response = client.post(url, {"score": 5, "nonce": "made-up"})
    assert response.status_code == 200
    assert not SurveyAnswer.objects.exists()


def test_a_nonce_of_another_survey_is_refused(client, survey, team):
    other = SurveyFactory(team=team)
    nonce = (
        client.get(reverse("indicators:survey_public", args=[other.token]))
        .context["form"]
        .initial["nonce"]
    )
    client.post(
        reverse("indicators:survey_public", args=[survey.token]), {"score": 5, "nonce": nonce}
    )
    assert not SurveyAnswer.objects.exists()


def test_a_bad_score_re_renders_the_form(client, survey):
    response, _nonce = _answer(client, survey, 9)
    assert response.status_code == 200
    assert response.context["form"].errors["score"]
    assert not SurveyAnswer.objects.exists()


def test_answers_are_rate_limited_per_address_and_survey(client, survey, monkeypatch):
    monkeypatch.setattr("indicators.views.SURVEY_RATE_LIMIT", (2, 60))
    statuses = [_answer(client, survey, 4)[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert SurveyAnswer.objects.count() == 2
    # Another address is not affected.
    response, _nonce = _answer(client, survey, 4, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200


def test_a_closed_survey_takes_no_answer(client, survey):
    services.survey_close(survey=survey)
    response, _nonce = _answer(client, survey, 5)
    assert b"closed" in response.content
    assert not SurveyAnswer.objects.exists()


def test_an_unknown_survey_is_404(client, db):
    assert client.get(reverse("indicators:survey_public", args=["nope"])).status_code == 404


def test_the_qr_code_is_an_inline_svg_of_the_link(member_client, survey, team):
    response = member_client.get(reverse("indicators:survey_qr", args=[team.slug, survey.pk]))
    assert b"<svg" in response.content
    assert survey.token.encode() in response.content
    assert b"style=" not in response.content.split(b"<svg", 1)[1]


def test_the_manager_creates_a_survey_for_a_client_group(manager_client, team, survey):
    response = manager_client.post(
        reverse("indicators:survey_create", args=[team.slug]),
        {"client_group": survey.client_group.pk, "indicator": survey.indicator.pk},
    )
    assert response.status_code == 302
    assert team.surveys.count() == 2


def _points(team):
    from charter.models import Charter, CharterPoint, CharterVersion

    version = CharterVersion.objects.create(charter=Charter.objects.create(team=team), number=1)
    return [
        CharterPoint.objects.create(
            version=version, position=n, keyword=k, statement=f"We are {k}."
        )
        for n, k in enumerate(["reachable", "clear"], start=1)
    ]


def test_a_client_may_rate_each_charter_point(client, survey, team, member_client):
    reachable, clear = _points(team)
    url = reverse("indicators:survey_public", args=[survey.token])
    page = client.get(url)
    assert b"We are reachable." in page.content
    nonce = page.context["form"].initial["nonce"]
    response = client.post(url, {"score": 4, "nonce": nonce, f"point_{reachable.lineage.hex}": 5})
    assert b"Thank you" in response.content
    answer = SurveyAnswer.objects.get()
    assert list(answer.ratings.values_list("point", "score")) == [(reachable.pk, 5)]
    detail = member_client.get(reverse("indicators:detail", args=[team.slug, survey.indicator.pk]))
    assert b"How clients rate our charter points" in detail.content
    assert b"5.0" in detail.content


def test_a_bad_point_rating_re_renders_the_form(client, survey, team):
    reachable, _clear = _points(team)
    url = reverse("indicators:survey_public", args=[survey.token])
    nonce = client.get(url).context["form"].initial["nonce"]
    response = client.post(url, {"score": 4, "nonce": nonce, f"point_{reachable.lineage.hex}": 9})
    assert response.status_code == 200
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("status", ["retired", "proposed"])
def test_a_survey_of_an_indicator_not_adopted_is_closed_to_clients(client, survey, status):
    # Retiring closes the surveys; this one slipped through (or was opened for a proposal).
    url = reverse("indicators:survey_public", args=[survey.token])
    nonce = client.get(url).context["form"].initial["nonce"]
    survey.indicator.status = status
    survey.indicator.save()
    assert b"This survey is closed." in client.get(url).content
    response = client.post(url, {"score": 5, "nonce": nonce})
    assert response.status_code == 200
    assert b"This survey is closed." in response.content
    assert not SurveyAnswer.objects.exists()
    assert not Measurement.objects.exists()


def test_an_answer_racing_a_retirement_is_not_recorded(survey):
    from indicators.models import Indicator

    Indicator.objects.filter(pk=survey.indicator_id).update(status="retired")
    with pytest.raises(services.SurveyClosed):
        services.survey_answer_submit(survey=survey, score=5, comment="", nonce="n1")
    assert not SurveyAnswer.objects.exists()


def test_surveys_are_created_for_adopted_indicators_only(manager_client, team, survey):
    from .factories import IndicatorFactory

    proposal = IndicatorFactory(team=team, source="survey", status="proposed")
    response = manager_client.post(
        reverse("indicators:survey_create", args=[team.slug]),
        {"client_group": survey.client_group.pk, "indicator": proposal.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["indicator"]
    assert team.surveys.count() == 1


def test_a_client_group_with_surveys_is_not_removed_with_its_answers(manager_client, team, survey):
    from teams.models import ClientGroup

    _answer(Client(), survey, 5)
    url = reverse("teams:client_group_remove", args=[team.slug, survey.client_group.pk])
    response = manager_client.post(url, {"delete": "1"}, follow=True)
    assert b"cannot be removed" in response.content
    assert ClientGroup.objects.filter(pk=survey.client_group.pk).exists()
    assert SurveyAnswer.objects.count() == 1


def test_a_client_group_without_surveys_is_removed_and_its_indicators_kept(
    manager_client, team, survey
):
    from tests.factories import ClientGroupFactory

    from .factories import IndicatorFactory

    group = ClientGroupFactory(team=team)
    indicator = IndicatorFactory(team=team, client_group=group)
    url = reverse("teams:client_group_remove", args=[team.slug, group.pk])
    assert manager_client.post(url, {"delete": "1"}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.client_group is None


def test_the_database_keeps_surveys_from_being_deleted_with_their_client_group(survey):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        survey.client_group.delete()


def test_a_shop_full_of_clients_on_one_wifi_is_not_limited_after_ten_answers(client, survey):
    statuses = {_answer(client, survey, 4)[0].status_code for _ in range(12)}
    assert statuses == {200}
    assert SurveyAnswer.objects.count() == 12


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_trusted(client, survey, monkeypatch):
    monkeypatch.setattr("indicators.views.SURVEY_RATE_LIMIT", (1, 60))
    first, _nonce = _answer(client, survey, 4, HTTP_X_FORWARDED_FOR="203.0.113.1")
    forged, _nonce = _answer(client, survey, 4, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, forged.status_code) == (200, 429)


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.1", "203.0.113.1"),
        ("198.51.100.7, 203.0.113.1", "203.0.113.1"),  # the address our proxy saw
        ("not-an-address", "127.0.0.1"),
        ("", "127.0.0.1"),
    ],
)
def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(
    rf, settings, forwarded, expected
):
    from indicators.views import _client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert _client_ip(request) == expected


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(
    client, survey, settings, monkeypatch
):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr("indicators.views.SURVEY_RATE_LIMIT", (1, 60))
    statuses = [
        _answer(client, survey, 4, HTTP_X_FORWARDED_FOR=address)[0].status_code
        for address in ("203.0.113.1", "203.0.113.2", "203.0.113.1")
    ]
    assert statuses == [200, 200, 429]


class EvictingCache:
    """A cache that loses the counter between add() and incr()."""

    def add(self, *args, **kwargs):
        return False

    def incr(self, key):
        raise ValueError(f"Key '{key}' not found")


def test_a_counter_evicted_from_the_cache_is_started_again(client, survey, monkeypatch):
    url = reverse("indicators:survey_public", args=[survey.token])
    nonce = client.get(url).context["form"].initial["nonce"]
    monkeypatch.setattr("indicators.services.cache", EvictingCache())
    response = client.post(url, {"score": 4, "nonce": nonce})
    assert response.status_code == 200
    assert SurveyAnswer.objects.count() == 1


def test_the_share_is_counted_by_the_database_not_loaded_answer_by_answer(survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = metrics.period_start(selectors.team_today(survey.team), "weekly")
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(survey=survey, score=1 + n % 5, nonce=f"old-{n}", period_start=start)
        for n in range(40)
    )
    with CaptureQueriesContext(connection) as queries:
        services.survey_answer_submit(survey=survey, score=5, comment="", nonce="new")
    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and '"indicators_surveyanswer"' in q["sql"]
    ]
    assert reads
    assert all("COUNT(" in sql for sql in reads)
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.answer_count) == (Decimal("41.5"), 41)


def test_the_survey_page_query_count_does_not_grow_with_the_charter(
    client, survey, team, django_assert_max_num_queries
):
    from charter.models import Charter, CharterPoint, CharterVersion

    charter = Charter.objects.create(team=team)
    for number in (1, 2, 3):
        version = CharterVersion.objects.create(charter=charter, number=number)
        points = [
            CharterPoint.objects.create(
                version=version, position=n, keyword=f"k{n}", statement=f"We are {n} (v{number})"
            )
            for n in range(1, 7)
        ]
    url = reverse("indicators:survey_public", args=[survey.token])
    with django_assert_max_num_queries(3):
        page = client.get(url)
    assert page.content.count(b'class="point-rating"') == 6
    nonce = page.context["form"].initial["nonce"]
    data = {"score": 4, "nonce": nonce, **{f"point_{p.lineage.hex}": 5 for p in points}}
    with django_assert_max_num_queries(17):  # 8 of them savepoints
        response = client.post(url, data)
    assert b"Thank you" in response.content
    assert SurveyAnswer.objects.get().ratings.count() == 6


def test_back_then_send_again_records_one_answer_and_says_it_was_received(client, survey):
    url = reverse("indicators:survey_public", args=[survey.token])
    first = client.get(url).context["form"].initial["nonce"]
    assert b"Thank you!" in client.post(url, {"score": 5, "nonce": first}).content
    # Back: the browser reloads the form. The visit keeps its form: it is already in.
    back = client.get(url)
    assert back.context["duplicate"] and b"Already received" in back.content
    assert back.context["form"].initial["nonce"] == first
    # Back from the browser's cache instead: the same form is sent again.
    again = client.post(url, {"score": 1, "nonce": first})
    assert b"Already received" in again.content
    assert SurveyAnswer.objects.count() == 1


def test_a_new_visit_on_purpose_records_a_new_answer(client, survey):
    url = reverse("indicators:survey_public", args=[survey.token])
    first = client.get(url).context["form"].initial["nonce"]
    client.post(url, {"score": 5, "nonce": first})
    restart = client.get(url, {"again": "1"})
    assert restart.status_code == 302 and restart["Location"] == url
    page = client.get(url)
    assert not page.context.get("duplicate")
    second = page.context["form"].initial["nonce"]
    assert second != first
    client.post(url, {"score": 4, "nonce": second})
    assert SurveyAnswer.objects.count() == 2


def test_another_respondent_gets_their_own_form(client, survey):
    url = reverse("indicators:survey_public", args=[survey.token])
    mine = client.get(url).context["form"].initial["nonce"]
    theirs = Client().get(url).context["form"].initial["nonce"]
    assert mine != theirs
