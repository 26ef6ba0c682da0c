"""Designed refusals (issue 25): 400, 403, 404, 405, 429, 500 and a CSRF failure are pages
in the product's layout, in English and French, each saying what happened and offering
the way on; a 403 in a team names the role the page needs; refusals are not logged as
errors, a 500 is, with the id its page shows."""

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation

from charter.models import Step
from charter.services import workshop_create
from config import errors
from config.urls import urlpatterns as project_urls

LAYOUT = b'class="site-header"'


def _boom(request):
    raise RuntimeError("the database fell over")


# The project's URLs and handlers, and /boom/ for a server error (@pytest.mark.urls).
urlpatterns = [path("boom/", _boom), *project_urls]
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"


@pytest.fixture
def workshop(team, manager):
    return workshop_create(team=team, facilitator=manager, title="Our charter")


def _run_url(team, workshop) -> str:
    return reverse("charter:workshop_run", args=[team.slug, workshop.pk])


def test_a_member_on_a_facilitator_page_is_told_which_role_it_needs(member_client, team, workshop):
    response = member_client.get(_run_url(team, workshop))
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT.decode() in html
    assert "This page is for the team&#x27;s managers." in html
    assert "In Service Desk, your role is Member." in html
    assert f'href="/t/{team.slug}/"' in html  # the way on: the team's home
    assert "All my teams" in html


def test_the_role_refusal_reads_in_french(member_client, member, team, workshop):
    member.language = "fr"
    member.save()
    response = member_client.get(_run_url(team, workshop), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert "Cette page est réservée aux managers de l’équipe." in response.content.decode()
    assert 'lang="fr"' in response.content.decode()


def test_a_refusal_is_logged_without_a_traceback_and_not_as_an_error(
    member_client, team, workshop, caplog
):
    with caplog.at_level(logging.INFO, logger="django.request"):
        member_client.get(_run_url(team, workshop))
        member_client.get("/no/such/page/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 404]
    assert all(r.levelno == logging.INFO and not r.exc_info for r in records)


def test_a_team_page_someone_else_opens_is_a_404_that_reveals_nothing(outsider_client, team):
    response = outsider_client.get(reverse("teams:team", args=[team.slug]))
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT.decode() in html and "There is nothing at this address" in html
    assert "Service Desk" not in html
    assert 'href="/"' in html


def test_a_signed_out_visitor_on_a_missing_page_is_offered_to_log_in(client, db):
    response = client.get("/nowhere/at/all/?x=1")
    assert response.status_code == 404
    html = response.content.decode()
    assert "log in first" in html
    assert "/accounts/login/?next=/nowhere/at/all/%3Fx%3D1" in html


def test_a_wrong_method_gets_the_designed_405_and_its_allow_header(member_client, team):
    response = member_client.get(reverse("charter:observation_create", args=[team.slug]) + "x/")
    assert response.status_code == 404
    response = member_client.get(reverse("indicators:survey_create", args=[team.slug]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert LAYOUT in response.content
    assert b"This address does not work that way" in response.content
    assert "Content-Security-Policy" in response


def test_a_wrong_method_from_htmx_keeps_its_short_answer(member_client, team):
    url = reverse("indicators:survey_create", args=[team.slug])
    response = member_client.get(url, HTTP_HX_REQUEST="true")
    assert (response.status_code, response.content) == (405, b"")


def test_an_expired_form_gets_the_designed_csrf_page(member, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("charter:observation_create", args=[team.slug]), {})
    assert response.status_code == 403
    assert LAYOUT in response.content
    assert b"This form has expired" in response.content


def test_a_request_for_another_host_gets_the_designed_400(client, db):
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert b"We could not read that request" in response.content


def test_too_many_attempts_get_the_designed_429(client, member):
    for _ in range(4):  # allauth: three password resets an hour per address
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 429
    assert LAYOUT in response.content
    assert b"Too many attempts" in response.content


@pytest.mark.urls("tests.test_refusals")
def test_a_server_error_is_logged_with_the_id_its_page_shows(client, db, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert LAYOUT.decode() in html and "Something went wrong on our side" in html
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR and record.exc_info
    error_id = record.getMessage().split("]")[0].removeprefix("[error ")
    assert len(error_id) == 8 and f"<strong>{error_id}</strong>" in html


def test_the_500_page_renders_without_the_database(django_db_blocker):
    request = RequestFactory().get("/anything/")
    with django_db_blocker.block(), translation.override("fr"):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 404, 405, 429])
def test_every_refusal_page_offers_a_way_on(rf, member, team, status):
    request = rf.get(f"/t/{team.slug}/somewhere/")
    request.user = member
    request.resolver_match = type("Match", (), {"kwargs": {"slug": team.slug}})()
    template = {403: "403.html"}.get(status, f"{status}.html")
    response = errors._page(request, template, status)
    html = response.content.decode()
    assert f'href="/t/{team.slug}/"' in html
    assert 'href="/"' in html
    assert 'name="description"' in html


def test_a_workshop_at_another_step_still_refuses_members_the_same_way(
    member_client, team, workshop
):
    workshop.step = Step.VOTE
    workshop.save()
    response = member_client.get(_run_url(team, workshop))
    assert response.status_code == 403
    assert b"your role is Member" in response.content
