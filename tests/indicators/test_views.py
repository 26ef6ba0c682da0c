import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import metrics, selectors
from indicators.models import ApiToken, Indicator, Measurement, Opinion, ReviewNote, WallLink
from teams.models import Department, Role
from tests.factories import ClientGroupFactory, MembershipFactory, TeamFactory

from .factories import IndicatorFactory, MeasurementFactory, TargetFactory, WallLinkFactory

HX = {"HTTP_HX_REQUEST": "true"}


def _weekly_history(indicator, weeks: int, value=Decimal(70)):
    last = metrics.previous_period_start(selectors.team_today(indicator.team), "weekly")
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period_start=last - timedelta(weeks=n),
            value=value + n,
            source="manual",
        )
        for n in range(weeks)
    )


def _many_indicators(team, count: int, weeks: int):
    for n in range(count):
        indicator = IndicatorFactory(team=team, name=f"Indicator {n:02}")
        TargetFactory(indicator=indicator)
        _weekly_history(indicator, weeks)


# Team dashboard


def test_the_dashboard_shows_a_card_per_adopted_indicator(member_client, team, indicator):
    _weekly_history(indicator, 3, value=Decimal(75))
    IndicatorFactory(team=team, name="Still a proposal", status=Indicator.Status.PROPOSED)
    response = member_client.get(reverse("indicators:dashboard", args=[team.slug]))
    assert response.status_code == 200
    cards = response.context["cards"]()
    assert [c.indicator for c in cards] == [indicator]
    card = cards[0]
    assert card.latest.value == Decimal(75)
    assert card.change == Decimal(-1)
    assert card.status == metrics.AT_RISK  # 75 is within 10 % of the target of 80
    assert not card.stale
    assert card.spark
    assert b"<polyline" in response.content


def test_an_indicator_without_recent_values_is_stale(member_client, team, indicator):
    MeasurementFactory(indicator=indicator, period_start=date(2020, 1, 6), value=Decimal(90))
    response = member_client.get(reverse("indicators:dashboard", args=[team.slug]))
    card = response.context["cards"]()[0]
    assert card.stale
    assert card.status == metrics.ON_TRACK
    assert b"Stale" in response.content


def test_the_dashboard_query_count_does_not_grow_with_data(
    member_client, team, django_assert_max_num_queries
):
    _many_indicators(team, 20, 60)
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("indicators:dashboard", args=[team.slug]))
    assert len(response.context["cards"]()) == 20
    assert all(len(c.history) == 12 for c in response.context["cards"]())


# Entering a value from the card


def test_the_card_form_comes_as_a_fragment_for_htmx(member_client, team, indicator):
    url = reverse("indicators:measure", args=[team.slug, indicator.pk])
    response = member_client.get(url, **HX)
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<li class="card indicator-card')
    assert b"<html" not in response.content
    full = member_client.get(url)
    assert b"<html" in full.content


def test_a_value_entered_from_the_card_returns_the_updated_card(member_client, team, indicator):
    indicator.decimals = 1
    indicator.save()
    url = reverse("indicators:measure", args=[team.slug, indicator.pk])
    response = member_client.post(url, {"day": "2026-11-25", "value": "81,5"}, **HX)
    assert response.status_code == 200
    assert b"81.5" in response.content
    assert b"<html" not in response.content
    assert indicator.measurements.get().period_start == date(2026, 11, 23)


def test_a_bad_value_re_renders_the_card_form_with_status_200(member_client, team, indicator):
    url = reverse("indicators:measure", args=[team.slug, indicator.pk])
    response = member_client.post(url, {"day": "2026-11-25", "value": "lots"}, **HX)
    assert response.status_code == 200
    assert b"Enter a number" in response.content
    assert not Measurement.objects.exists()


def test_without_htmx_a_saved_value_redirects_to_the_dashboard(member_client, team, indicator):
    url = reverse("indicators:measure", args=[team.slug, indicator.pk])
    response = member_client.post(url, {"day": "2026-11-25", "value": "80"})
    assert response.status_code == 302
    assert response.url == reverse("indicators:dashboard", args=[team.slug])


def test_values_are_not_entered_for_a_proposal(member_client, team, proposal):
    url = reverse("indicators:measure", args=[team.slug, proposal.pk])
    assert member_client.get(url).status_code == 404


def test_an_indicator_of_another_team_is_404(member_client, team):
    other = IndicatorFactory()
    url = reverse("indicators:measure", args=[team.slug, other.pk])
    assert member_client.post(url, {"day": "2026-11-25", "value": "1"}).status_code == 404
    assert (
        member_client.get(reverse("indicators:detail", args=[team.slug, other.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["measure", "detail", "export"])
def test_wrong_method_is_refused(member_client, team, indicator, name):
    url = reverse(f"indicators:{name}", args=[team.slug, indicator.pk])
    assert member_client.delete(url).status_code == 405


@pytest.mark.parametrize("name", ["opinion", "comment", "adopt", "retire", "target"])
def test_changes_need_a_post(manager_client, team, indicator, name):
    url = reverse(f"indicators:{name}", args=[team.slug, indicator.pk])
    assert manager_client.get(url).status_code == 405


# Co-definition


def test_a_member_proposes_an_indicator(member_client, team, member):
    response = member_client.post(
        reverse("indicators:create", args=[team.slug]),
        {
            "client_question": "Did someone get back to me the same day?",
            "name": "Answered the same day",
            "unit": "percent",
            "direction": "higher",
            "frequency": "weekly",
            "source": "manual",
            "target": "85",
        },
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert indicator.status == Indicator.Status.PROPOSED
    assert indicator.proposed_by == member


def test_a_range_proposal_needs_both_bounds(member_client, team):
    response = member_client.post(
        reverse("indicators:create", args=[team.slug]),
        {
            "client_question": "Q",
            "name": "Calls",
            "unit": "count",
            "direction": "range",
            "frequency": "daily",
            "source": "manual",
            "target_low": "20",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["target_low"]
    assert not Indicator.objects.exists()


def test_the_straw_poll_answers_htmx_with_its_fragment(member_client, team, proposal, member):
    url = reverse("indicators:opinion", args=[team.slug, proposal.pk])
    response = member_client.post(url, {"choice": "object"}, **HX)
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<section class="card" id="poll"')
    assert b"Object: 1" in response.content
    member_client.post(url, {"choice": "support"}, **HX)
    assert Opinion.objects.get(user=member).choice == "support"


def test_comments_answer_htmx_with_their_fragment(member_client, team, proposal):
    url = reverse("indicators:comment", args=[team.slug, proposal.pk])
    response = member_client.post(url, {"body": "95 % feels imposed"}, **HX)
    assert response.content.lstrip().startswith(b'<section class="card" id="comments"')
    assert b"95 % feels imposed" in response.content


def test_the_manager_adopts_a_supported_proposal(manager_client, team, proposal, member, lead):
    Opinion.objects.create(indicator=proposal, user=member, choice="support")
    url = reverse("indicators:adopt", args=[team.slug, proposal.pk])
    response = manager_client.post(url, follow=True)
    assert b"has not supported it yet" in response.content
    Opinion.objects.create(indicator=proposal, user=lead, choice="support")
    manager_client.post(url)
    proposal.refresh_from_db()
    assert proposal.status == Indicator.Status.ADOPTED


def test_the_indicator_page_query_count_does_not_grow(
    member_client, team, indicator, django_assert_max_num_queries
):
    _weekly_history(indicator, 260)
    for n in range(30):
        Measurement.objects.filter(indicator=indicator).first().revisions.create(
            old_value=Decimal(n)
        )
    url = reverse("indicators:detail", args=[team.slug, indicator.pk])
    with django_assert_max_num_queries(13):
        response = member_client.get(url)
    assert len(response.context["measurements"]) == 52
    assert b"<svg" in response.content


def test_the_proposal_page_shows_the_poll_and_the_adoption_rule(member_client, team, proposal):
    response = member_client.get(reverse("indicators:detail", args=[team.slug, proposal.pk]))
    assert b"Adoption rule: at least 2 supporters" in response.content


def test_the_indicator_list_query_count_does_not_grow(
    member_client, team, django_assert_max_num_queries
):
    _many_indicators(team, 15, 1)
    with django_assert_max_num_queries(6):
        response = member_client.get(reverse("indicators:list", args=[team.slug]))
    assert response.status_code == 200


def test_a_manager_changes_the_target_from_a_period_on(manager_client, team, indicator):
    url = reverse("indicators:target", args=[team.slug, indicator.pk])
    manager_client.post(url, {"valid_from": "2026-06-03", "value": "90"})
    assert indicator.targets.filter(valid_from=date(2026, 6, 1), value=90).exists()
    response = manager_client.post(url, {"valid_from": "2026-06-03"})
    assert response.status_code == 200
    assert response.context["target_form"].errors


def test_the_export_is_a_csv_of_every_value(member_client, team, indicator):
    _weekly_history(indicator, 60)
    response = member_client.get(reverse("indicators:export", args=[team.slug, indicator.pk]))
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0] == "indicator,period,value,note,answers,source"
    assert len(lines) == 61


def test_review_notes_are_written_and_listed(member_client, team, indicator):
    url = reverse("indicators:reviews", args=[team.slug])
    response = member_client.post(
        url,
        {
            "period_start": "2026-11-23",
            "indicator": indicator.pk,
            "where_we_stand": "Better",
            "working": "Triage",
            "holding_back": "",
        },
    )
    assert response.status_code == 302
    assert ReviewNote.objects.get().indicator == indicator
    assert b"Triage" in member_client.get(url).content
    assert member_client.post(url, {}).status_code == 200


# Lead dashboard and wall screen


def test_the_lead_dashboard_lists_teams_the_person_leads_stale_first(lead_client, team, lead):
    fresh_team = TeamFactory(name="Fresh", organisation=team.organisation)
    MembershipFactory(team=fresh_team, user=lead, role=Role.LEAD)
    fresh = IndicatorFactory(team=fresh_team)
    _weekly_history(fresh, 2)
    IndicatorFactory(team=team)  # no value at all: stale
    IndicatorFactory(team=TeamFactory(organisation=team.organisation))  # not led
    response = lead_client.get(reverse("indicators:lead_dashboard"))
    rows = response.context["rows"]()
    assert [r.team for r in rows] == [team, fresh_team]
    assert rows[0].stale_count == 1


def test_a_member_sees_no_team_on_the_lead_dashboard(member_client, team, indicator):
    response = member_client.get(reverse("indicators:lead_dashboard"))
    assert response.context["rows"]() == []


def test_an_org_admin_sees_the_whole_organisation_filtered_by_department(
    manager_client, team, manager
):
    sales = Department.objects.create(organisation=team.organisation, name="Sales")
    sales_team = TeamFactory(organisation=team.organisation, department=sales)
    IndicatorFactory(team=sales_team)
    TeamFactory()  # another organisation
    url = reverse("indicators:lead_dashboard")
    assert {r.team for r in manager_client.get(url).context["rows"]()} == {team, sales_team}
    response = manager_client.get(url, {"department": sales.pk})
    assert [r.team for r in response.context["rows"]()] == [sales_team]
    assert manager_client.get(url, {"department": "nonsense"}).status_code == 200


def test_the_lead_dashboard_query_count_does_not_grow(
    manager_client, team, django_assert_max_num_queries
):
    for n in range(8):
        other = TeamFactory(organisation=team.organisation, name=f"Team {n}")
        _many_indicators(other, 5, 10)
    with django_assert_max_num_queries(9 + 5):  # and the coaching section's five
        response = manager_client.get(reverse("indicators:lead_dashboard"))
    assert len(response.context["rows"]()) == 9


def test_the_wall_screen_is_read_only_and_refreshes_itself(client, team, indicator):
    _weekly_history(indicator, 3)
    link = WallLinkFactory(team=team)
    response = client.get(reverse("indicators:wall", args=[link.token]))
    assert response.status_code == 200
    assert b'data-reload-seconds="60"' in response.content and b"js/wall.js" in response.content
    assert b"Enter a value" not in response.content
    assert b"<form" not in response.content


def test_a_revoked_wall_link_is_404(manager_client, client, team):
    link = WallLinkFactory(team=team)
    manager_client.post(reverse("indicators:wall_link_revoke", args=[team.slug, link.pk]))
    assert client.get(reverse("indicators:wall", args=[link.token])).status_code == 404
    assert WallLink.objects.get().revoked_at is not None


def test_a_new_api_token_is_shown_once(manager_client, team):
    url = reverse("indicators:api_token_create", args=[team.slug])
    response = manager_client.post(url, {"name": "help desk"})
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    page = manager_client.get(reverse("indicators:integrations", args=[team.slug]))
    assert raw.encode() not in page.content
    assert ApiToken.objects.get().prefix.encode() in page.content


def test_the_other_listing_pages_have_a_fixed_query_count(
    manager_client, team, indicator, manager, django_assert_max_num_queries
):
    from indicators import services

    from .factories import SurveyFactory

    for n in range(10):
        SurveyFactory(team=team)
        services.api_token_create(team=team, name=f"token {n}", by=manager)
        WallLinkFactory(team=team)
        ReviewNote.objects.create(
            team=team, indicator=indicator, period_start=date(2026, 1, 5), where_we_stand="ok"
        )
    for name in ("reviews", "surveys", "integrations"):
        with django_assert_max_num_queries(9):
            response = manager_client.get(reverse(f"indicators:{name}", args=[team.slug]))
        assert response.status_code == 200


def test_the_window_fallback_returns_the_same_recent_values_as_lateral(team):
    from indicators.selectors import recent_points

    first, second = IndicatorFactory(team=team), IndicatorFactory(team=team)
    _weekly_history(first, 20)
    _weekly_history(second, 3)
    IndicatorFactory(team=team, status=Indicator.Status.PROPOSED)
    ids = [first.pk, second.pk]
    for kwargs in ({"indicator_ids": ids}, {"team_ids": [team.pk]}):
        lateral = recent_points(count=5, lateral=True, **kwargs)
        window = recent_points(count=5, lateral=False, **kwargs)
        assert lateral == window
        assert [len(lateral[i]) for i in ids] == [5, 3]
        assert lateral[first.pk][0].period_start > lateral[first.pk][1].period_start


def test_the_cached_lead_dashboard_shows_a_new_value_at_once(
    lead_client, team, indicator, lead, django_capture_on_commit_callbacks
):
    from indicators import services

    url = reverse("indicators:lead_dashboard")
    assert b"<b>\xe2\x80\x93 / 80</b>" in lead_client.get(url).content  # no value yet
    assert b"<b>\xe2\x80\x93 / 80</b>" in lead_client.get(url).content  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(
            indicator=indicator, day=timezone.localdate(), value=Decimal(91), by=lead, source="api"
        )
    assert b"<b>91 / 80</b>" in lead_client.get(url).content


def test_the_lead_dashboard_table_is_served_from_the_cache(
    lead_client, team, indicator, django_assert_max_num_queries
):
    url = reverse("indicators:lead_dashboard")
    lead_client.get(url)
    with django_assert_max_num_queries(5 + 5):  # and the coaching section's five
        response = lead_client.get(url)
    assert b"Answered within 4 hours" in response.content


def test_after_a_change_in_one_team_only_its_row_is_computed_again(
    manager_client, team, indicator, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from indicators import services

    others = [TeamFactory(organisation=team.organisation, name=f"Team {n}") for n in range(3)]
    for other in others:
        _many_indicators(other, 2, 3)
    url = reverse("indicators:lead_dashboard")
    manager_client.get(url).context["rows"]()  # every row computed and cached
    computed = []
    real = selectors.lead_dashboard
    monkeypatch.setattr(
        selectors,
        "lead_dashboard",
        lambda *, teams, **kwargs: computed.extend(teams) or real(teams=teams, **kwargs),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(
            indicator=indicator,
            day=timezone.localdate(),
            value=Decimal(91),
            by=manager,
            source="api",
        )
    response = manager_client.get(url)
    rows = response.context["rows"]()
    assert computed == [team]
    assert len(rows) == 4 and b"<b>91 / 80</b>" in response.content


def test_date_inputs_keep_the_iso_format_in_french(member_client, member, team, indicator):
    member.language = "fr"
    member.save()
    response = member_client.get(reverse("indicators:measure", args=[team.slug, indicator.pk]))
    day = metrics.previous_period_start(selectors.team_today(team), "weekly")
    assert f'value="{day.isoformat()}"'.encode() in response.content
    assert b"Saisir une valeur" in response.content


@pytest.mark.parametrize(
    "department", ["99999999999999999999999", "-1", "", "x", "²", "1²", "٣", " 1", "1.0"]
)
def test_odd_department_filters_are_harmless(manager_client, team, department):
    response = manager_client.get(reverse("indicators:lead_dashboard"), {"department": department})
    assert response.status_code == 200


def test_huge_ids_in_urls_are_404(member_client, team):
    url = f"/t/{team.slug}/indicators/99999999999999999999999/"
    assert member_client.get(url).status_code == 404


def test_an_org_admin_gets_no_link_to_a_team_they_do_not_belong_to(manager_client, team):
    other = TeamFactory(organisation=team.organisation, name="Elsewhere")
    content = manager_client.get(reverse("indicators:lead_dashboard")).content
    assert reverse("indicators:dashboard", args=[team.slug]).encode() in content
    assert b"Elsewhere" in content
    assert reverse("indicators:dashboard", args=[other.slug]).encode() not in content


def test_the_proposer_rewrites_the_proposal_and_its_target(member_client, team, proposal):
    url = reverse("indicators:edit", args=[team.slug, proposal.pk])
    assert member_client.get(url).status_code == 200
    response = member_client.post(
        url,
        {
            "client_question": "Do they call back when promised?",
            "name": "Callbacks kept on time",
            "unit": "percent",
            "direction": "higher",
            "frequency": "weekly",
            "source": "manual",
            "target": "75",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.name == "Callbacks kept on time"
    assert proposal.targets.get().value == 75


def test_an_adopted_indicator_is_no_longer_rewritten(manager_client, team, indicator):
    url = reverse("indicators:edit", args=[team.slug, indicator.pk])
    assert manager_client.get(url).status_code == 404


def _published_charter(team, number=1):
    from charter.models import Charter, CharterPoint, CharterVersion

    charter, _created = Charter.objects.get_or_create(team=team)
    version = CharterVersion.objects.create(charter=charter, number=number)
    return [
        CharterPoint.objects.create(
            version=version, position=n, keyword=k, statement=f"We are {k} (v{number})"
        )
        for n, k in enumerate(["reachable", "clear"], start=1)
    ]


def test_a_proposal_links_points_of_the_latest_charter(member_client, team):
    _published_charter(team, 1)
    reachable, _clear = _published_charter(team, 2)
    url = reverse("indicators:create", args=[team.slug])
    form = member_client.get(url).context["form"]
    assert {p.version.number for p in form.fields["charter_points"].queryset} == {2}
    member_client.post(
        url,
        {
            "client_question": "Can I reach someone?",
            "name": "Calls answered",
            "unit": "percent",
            "direction": "higher",
            "frequency": "weekly",
            "source": "manual",
            "charter_points": [reachable.pk],
        },
    )
    indicator = Indicator.objects.get()
    assert list(indicator.charter_points.all()) == [reachable]
    page = member_client.get(reverse("indicators:detail", args=[team.slug, indicator.pk]))
    assert b"We are reachable (v2)" in page.content


def test_without_a_charter_the_form_has_no_charter_points(member_client, team):
    form = member_client.get(reverse("indicators:create", args=[team.slug])).context["form"]
    assert "charter_points" not in form.fields


def test_the_status_rule_is_explained_in_french_too(member_client, member, team, indicator):
    url = reverse("indicators:detail", args=[team.slug, indicator.pk])
    assert b"at risk when short of it by 10 % of the target" in member_client.get(url).content
    member.language = "fr"
    member.save()
    content = member_client.get(url).content.decode()
    assert "dépasse pas 10 % de la cible" in content
    assert "%%" not in content


def test_the_cached_team_dashboard_shows_a_new_value_at_once(
    member_client, team, indicator, django_capture_on_commit_callbacks
):
    url = reverse("indicators:dashboard", args=[team.slug])
    assert b'<span class="value">\xe2\x80\x93</span>' in member_client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            reverse("indicators:measure", args=[team.slug, indicator.pk]),
            {"day": timezone.localdate().isoformat(), "value": "83"},
        )
    assert b'<span class="value">83</span>' in member_client.get(url).content


def test_the_team_dashboard_cards_are_served_from_the_cache(
    member_client, team, django_assert_max_num_queries
):
    _many_indicators(team, 5, 20)
    url = reverse("indicators:dashboard", args=[team.slug])
    member_client.get(url)
    with django_assert_max_num_queries(5):
        response = member_client.get(url)
    assert response.content.count(b'class="card indicator-card') == 5


# Periods are shown the way people speak of them


def test_cards_and_the_indicator_page_name_periods_by_frequency(member_client, team, indicator):
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 23), value=Decimal(82))
    monthly = IndicatorFactory(team=team, name="Complaints", frequency="monthly")
    MeasurementFactory(indicator=monthly, period_start=date(2026, 11, 1), value=Decimal(3))
    dashboard = member_client.get(reverse("indicators:dashboard", args=[team.slug])).content
    assert b"Week of Nov. 23, 2026" in dashboard
    assert b"November 2026" in dashboard
    assert b"11/23/2026" not in dashboard
    page = member_client.get(reverse("indicators:detail", args=[team.slug, indicator.pk]))
    assert b"<td>Week of Nov. 23, 2026</td>" in page.content


def test_review_notes_name_the_period_of_their_indicator(member_client, team, indicator):
    ReviewNote.objects.create(
        team=team, indicator=indicator, period_start=date(2026, 11, 25), where_we_stand="ok"
    )
    response = member_client.get(reverse("indicators:reviews", args=[team.slug]))
    assert b"Week of Nov. 23, 2026, by" in response.content


def test_a_survey_fed_indicator_takes_no_value_by_hand(member_client, team):
    fed = IndicatorFactory(team=team, name="Satisfied clients", source=Indicator.Source.SURVEY)
    url = reverse("indicators:measure", args=[team.slug, fed.pk])
    response = member_client.post(url, {"day": "2026-11-25", "value": "80"}, **HX)
    assert response.status_code == 200
    assert b"Fed by the client survey answers." in response.content
    assert b"<form" not in response.content
    assert not Measurement.objects.exists()


def test_a_check_in_indicator_card_has_no_entry_button(member_client, team):
    from improvement.models import CheckinIndicator

    fed = IndicatorFactory(team=team, name="Check-in participation", source="api")
    CheckinIndicator.objects.create(team=team, kind="participation", indicator=fed)
    response = member_client.get(reverse("indicators:dashboard", args=[team.slug]))
    assert b"Fed by the weekly check-ins." in response.content
    assert b"Enter a value" not in response.content
    page = member_client.get(reverse("indicators:detail", args=[team.slug, fed.pk]))
    assert b"Enter a value" not in page.content


def test_a_value_sent_after_the_indicator_was_retired_is_refused(
    member_client, team, indicator, monkeypatch
):
    from indicators import services

    rule = services.measurement_entry_refusal
    calls = []

    def retired_after_the_form_opened(*, indicator):
        calls.append(indicator)
        if len(calls) == 1:
            Indicator.objects.filter(pk=indicator.pk).update(status=Indicator.Status.RETIRED)
            return None
        return rule(indicator=indicator)

    monkeypatch.setattr(services, "measurement_entry_refusal", retired_after_the_form_opened)
    url = reverse("indicators:measure", args=[team.slug, indicator.pk])
    response = member_client.post(url, {"day": "2026-11-25", "value": "80"}, **HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("indicators:detail", args=[team.slug, indicator.pk])
    assert not Measurement.objects.exists()


def test_a_proposal_posted_to_retire_stays_a_proposal(manager_client, team, proposal):
    url = reverse("indicators:retire", args=[team.slug, proposal.pk])
    response = manager_client.post(url, follow=True)
    assert b"Only an adopted indicator can be retired" in response.content
    proposal.refresh_from_db()
    assert proposal.status == Indicator.Status.PROPOSED


def test_a_retired_indicator_takes_no_new_target(manager_client, team, indicator):
    from indicators import services

    services.indicator_retire(indicator=indicator)
    url = reverse("indicators:target", args=[team.slug, indicator.pk])
    response = manager_client.post(url, {"valid_from": "2026-06-03", "value": "90"}, follow=True)
    assert b"retired" in response.content
    assert indicator.targets.count() == 1


@pytest.mark.parametrize("note", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_the_export_keeps_text_cells_from_becoming_formulas(member_client, team, note):
    indicator = IndicatorFactory(team=team, name="=cmd|' /C calc'!A0")
    MeasurementFactory(
        indicator=indicator, period_start=date(2026, 11, 23), value=Decimal(-5), note=note
    )
    response = member_client.get(reverse("indicators:export", args=[team.slug, indicator.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'" + indicator.name
    assert rows[1][3] == "'" + note
    assert rows[1][2] == "-5.00"  # numbers stay numbers
    assert rows[1][1] == "2026-11-23"


def test_the_change_compares_with_the_period_just_before_only(member_client, team, indicator):
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 23), value=Decimal(82))
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 2), value=Decimal(60))
    response = member_client.get(reverse("indicators:dashboard", args=[team.slug]))
    card = response.context["cards"]()[0]
    assert card.change is None
    assert b"no value for the period before" in response.content
    assert b"+22" not in response.content
    page = member_client.get(reverse("indicators:detail", args=[team.slug, indicator.pk]))
    assert b"since the previous period" not in page.content
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 16), value=Decimal(80))
    assert (
        b"+2 since the previous period"
        in member_client.get(reverse("indicators:detail", args=[team.slug, indicator.pk])).content
    )


def test_the_wall_screen_query_count_does_not_grow_with_data(
    client, team, django_assert_max_num_queries
):
    _many_indicators(team, 20, 60)
    for indicator in Indicator.objects.filter(team=team)[:5]:
        indicator.client_group = ClientGroupFactory(team=team)
        indicator.owner = MembershipFactory(team=team).user
        indicator.save()
    link = WallLinkFactory(team=team)
    # The fifth: whether the team's people span time zones (the wall names the zone then).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("indicators:wall", args=[link.token]))
    assert response.content.count(b'class="card indicator-card') == 20
