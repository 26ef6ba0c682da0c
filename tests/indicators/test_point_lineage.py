"""What indicators and surveys tie to charter points follows the points into a new charter
version: links, clients' ratings, and a survey form opened before the new version."""

from django.test import Client
from django.urls import reverse

from indicators.forms import IndicatorForm
from indicators.models import SurveyAnswer
from tests.charter.conftest import make_published

from .factories import SurveyFactory

REWORDED = [
    ("Helpful", "Take every chance to give advice that really helps"),
    ("Honest", "Say plainly what we know and what we don't"),
]


def _detail(client, team, indicator):
    return client.get(reverse("indicators:detail", args=[team.slug, indicator.pk]))


def test_a_link_to_a_point_follows_it_into_the_new_version(member_client, team, manager, indicator):
    first = make_published(team, manager)
    indicator.charter_points.set(first.points.all())  # Helpful and Patient
    second = make_published(team, manager, REWORDED)

    assert second.points.get(keyword="Helpful") in indicator.charter_points.all()
    points = _detail(member_client, team, indicator).context["charter_points"]
    assert [(p.keyword, p.retired) for p in points] == [("Helpful", False), ("Patient", True)]
    assert points[0].statement == "Take every chance to give advice that really helps"
    content = _detail(member_client, team, indicator).content.decode()
    assert "retired: no longer in the charter" in content


def test_the_indicator_form_offers_a_carried_point_once(team, manager, indicator):
    first = make_published(team, manager)
    indicator.charter_points.set(first.points.all())
    second = make_published(team, manager, REWORDED)
    form = IndicatorForm(instance=indicator, team=team)
    offered = list(form.fields["charter_points"].queryset)
    assert [p.keyword for p in offered] == ["Helpful", "Honest", "Patient"]
    assert offered[0].version == second


def test_clients_ratings_of_a_point_add_up_across_versions(client, member_client, team, manager):
    survey = SurveyFactory(team=team)
    url = reverse("indicators:survey_public", args=[survey.token])
    make_published(team, manager)

    page = client.get(url)
    fields = [field.name for field in page.context["form"].point_fields()]
    nonce = page.context["form"].initial["nonce"]
    client.post(url, {"score": 5, "nonce": nonce, fields[0]: 5, fields[1]: 2})
    make_published(team, manager, REWORDED)
    # Another client's form, opened before the new version: its rating of "Helpful"
    # still counts.
    nonce = Client().get(url).context["form"].initial["nonce"]
    client.post(url, {"score": 4, "nonce": nonce, fields[0]: 3})

    assert SurveyAnswer.objects.count() == 2
    ratings = _detail(member_client, team, survey.indicator).context["point_ratings"]
    assert [
        (r["point"].keyword, r["average"], r["count"], r["point"].retired) for r in ratings
    ] == [
        ("Helpful", 4, 2, False),
        ("Patient", 2, 1, True),
    ]
