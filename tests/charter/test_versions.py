"""A new charter version keeps what the team built: the points' lineage, the team's order,
a diff that marks only what changed, the commitments counted at once, and a public page
that shows what the team chose to publish."""

import re

import pytest
from django.urls import reverse

from charter import lineage, selectors, services
from charter.models import Charter, Step, Workshop

from .conftest import POINTS, make_published, make_workshop, put_keywords

HX = {"HX-Request": "true"}


def _url(team, name="charter"):
    return reverse(f"charter:{name}", args=[team.slug])


def _lineages(version):
    return {p.keyword: p.lineage for p in version.points.all()}


def test_a_point_keeps_its_lineage_when_its_keyword_stays_or_its_statement_is_reworded(
    team, manager
):
    first = make_published(team, manager)
    second = make_published(
        team,
        manager,
        [
            # Same keyword, new words.
            ("Helpful", "Take every chance to give advice that really helps"),
            # New keyword, the statement of "Patient" reworded.
            ("Listening", "Let the client finish explaining before we suggest a thing"),
            ("Honest", "Say plainly what we know and what we don't"),
        ],
    )
    before, after = _lineages(first), _lineages(second)
    assert after["Helpful"] == before["Helpful"]
    assert after["Listening"] == before["Patient"]
    assert after["Honest"] not in before.values()


def test_a_point_dropped_from_the_charter_does_not_lend_its_lineage_to_an_unrelated_one(
    team, manager
):
    first = make_published(team, manager)
    second = make_published(
        team, manager, [("Honest", "Say plainly what we know and what we don't")]
    )
    assert not set(_lineages(second).values()) & set(_lineages(first).values())


def test_statements_with_the_same_words_in_another_order_are_a_rewording():
    assert (
        lineage.similarity(
            "Take every chance to give our clients advice that helps them",
            "Give our clients, at every chance, advice that helps them",
        )
        >= lineage.REWORDED
    )
    assert (
        lineage.similarity(
            "Take every chance to give our clients advice that helps them",
            "Tell our clients honestly what we can and cannot do for them",
        )
        < lineage.REWORDED
    )


def _ranked_workshop(team, manager, member, lead):
    """Drafted in the order Patient, Honest, Helpful; the vote put Helpful first."""
    workshop = make_workshop(team, manager, step=Step.VOTE)
    items = put_keywords(workshop, "Patient", "Honest", "Helpful")
    dots = {items[2]: 3, items[1]: 2, items[0]: 1}
    voters = [manager, member, lead]
    for item, n in dots.items():
        for voter in voters[:n]:
            services.vote_cast(workshop=workshop, user=voter, keyword_id=item.pk)
    for item in items:
        item.selected = True
        item.statement = f"Show every client we are {item.keyword.label.lower()} in what we do"
        item.coaching_question = f"Were you {item.keyword.label.lower()} today, for whom?"
        item.save()
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.PUBLISH)
    workshop.refresh_from_db()
    return workshop, items


def test_the_published_charter_keeps_the_order_of_the_teams_vote(team, manager, member, lead):
    workshop, _items = _ranked_workshop(team, manager, member, lead)
    version = services.charter_publish(workshop=workshop, by=manager)
    assert [p.keyword for p in version.points.all()] == ["Helpful", "Honest", "Patient"]


def test_the_facilitator_changes_the_order_before_publishing(
    manager_client, team, manager, member, lead
):
    workshop, items = _ranked_workshop(team, manager, member, lead)
    url = reverse("charter:point_move", args=[team.slug, workshop.pk])
    response = manager_client.post(url, {"keyword": items[0].pk, "direction": "up"}, headers=HX)
    assert response.status_code == 200 and b'id="workshop"' in response.content
    content = response.content.decode()
    order = re.findall(r"Move (\w+) up", content)
    assert order == ["Helpful", "Patient", "Honest"]
    version = services.charter_publish(workshop=workshop, by=manager)
    assert [p.keyword for p in version.points.all()] == ["Helpful", "Patient", "Honest"]


def test_only_a_manager_reorders_and_only_while_drafting(
    member_client, manager_client, team, manager, member, lead
):
    workshop, items = _ranked_workshop(team, manager, member, lead)
    url = reverse("charter:point_move", args=[team.slug, workshop.pk])
    assert member_client.post(url, {"keyword": items[0].pk, "direction": "up"}).status_code == 403
    assert manager_client.get(url).status_code == 405
    assert (
        manager_client.post(url, {"keyword": items[0].pk, "direction": "sideways"}).status_code
        == 404
    )
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.VOTE)
    response = manager_client.post(url, {"keyword": items[0].pk, "direction": "up"}, follow=True)
    assert "put in order at the draft and publish steps" in response.content.decode()


def test_the_publish_step_tells_which_points_carry_on_and_which_leave(
    manager_client, team, manager
):
    make_published(team, manager)
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected, item.statement = True, "Take every chance to give advice that really helps"
    item.coaching_question = "Did you help someone today?"
    item.save()
    content = manager_client.get(
        reverse("charter:workshop_run", args=[team.slug, workshop.pk])
    ).content.decode()
    assert "carries on point 1, “Helpful”" in content
    assert "leaves the charter" in content and "Patient" in content


def test_the_diff_marks_only_the_words_that_changed(member_client, team, manager):
    make_published(team, manager)
    make_published(
        team,
        manager,
        [
            ("Helpful", "Take every chance to give our clients advice that really helps them"),
            POINTS[1],
        ],
    )
    response = member_client.get(_url(team, "charter_diff"), {"from": 1, "to": 2})
    content = response.content.decode()
    changes = {c.keyword: c for c in response.context["changes"]}
    assert changes["Patient"].kind == "same"
    assert changes["Helpful"].statement_words == [
        ("same", "Take every chance to give our clients advice that "),
        ("added", "really "),
        ("same", "helps them"),
    ]
    # The unchanged point is plain text: nothing of it is marked as added.
    assert "<ins>" not in content.split("Patient", 1)[1].split("</li>", 1)[0]
    # Readable without colour: the marks carry words for screen readers too.
    assert '<ins><span class="visually-hidden">added: </span>really </ins>' in content
    assert "struck-through words" in content


def test_the_diff_follows_a_point_whose_keyword_changed(member_client, team, manager):
    make_published(team, manager)
    make_published(
        team,
        manager,
        [POINTS[0], ("Listening", "Let the client finish explaining before we suggest a thing")],
    )
    response = member_client.get(_url(team, "charter_diff"), {"from": 1, "to": 2})
    kinds = {c.keyword: c.kind for c in response.context["changes"]}
    assert kinds == {"Helpful": "same", "Listening": "changed"}


def test_word_diff_shows_removed_then_added_words():
    assert selectors.word_diff("Call back within a day", "Call back within one working day") == [
        ("same", "Call back within "),
        ("removed", "a "),
        ("added", "one working "),
        ("same", "day"),
    ]


def test_the_commitment_count_is_up_to_date_right_after_i_commit(
    member_client, team, manager, lead
):
    version = make_published(team, manager)
    services.charter_endorse(version=version, user=lead)
    url = reverse("charter:charter_endorse", args=[team.slug, version.number])
    response = member_client.post(url, headers=HX)
    content = response.content.decode()
    assert 'id="commitments-1" hx-swap-oob="true">2 commitments</span>' in content
    page = member_client.get(_url(team)).content.decode()
    assert 'id="commitments-1">2 commitments</span>' in page


def test_the_public_page_shows_the_points_but_not_the_coaching_questions_by_default(
    client, manager_client, team, manager
):
    make_published(team, manager)
    token = services.charter_share(team=team, enable=True).share_token
    public = client.get(reverse("charter:public", args=[token])).content.decode()
    assert "Take every chance" in public
    assert "Did you take a chance" not in public


def test_the_team_chooses_to_publish_its_coaching_questions(
    client, manager_client, member_client, team, manager
):
    make_published(team, manager)
    token = services.charter_share(team=team, enable=True).share_token
    share = _url(team, "charter_share")
    assert (
        member_client.post(share, {"action": "options", "public_questions": "on"}).status_code
        == 403
    )
    response = manager_client.post(share, {"action": "options", "public_questions": "on"})
    assert response.status_code == 302
    assert Charter.objects.get(team=team).public_questions
    assert Charter.objects.get(team=team).share_token == token  # the link keeps working
    public = client.get(reverse("charter:public", args=[token])).content.decode()
    assert "Did you take a chance to be helpful today?" in public
    manager_client.post(share, {"action": "options"})
    assert not Charter.objects.get(team=team).public_questions


@pytest.mark.parametrize("announce, mails", [(True, 1), (False, 0)])
def test_publishing_without_announcing_sends_nothing(
    team, manager, announce, mails, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected, item.statement, item.coaching_question = True, POINTS[0][1], "Did you help?"
    item.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.charter_publish(workshop=workshop, by=manager, announce=announce)
    assert len(mailoutbox) == mails


def test_what_changed_compares_the_latest_version_with_the_one_before_by_default(
    member_client, team, manager
):
    make_published(team, manager)
    make_published(team, manager, [("Honest", "Say plainly what we know and what we don't")])
    response = member_client.get(_url(team, "charter_diff"))
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)
    versions = member_client.get(_url(team)).context["versions"]
    assert [v.number for v in versions] == [2, 1]


def test_words_replaced_at_the_end_stay_apart_from_the_new_ones():
    assert selectors.word_diff("even when we have no news yet", "even when we have nothing")[
        -2:
    ] == [("removed", "no news yet "), ("added", "nothing")]
