from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from improvement import selectors, services
from improvement.models import ChangeIdea, FollowUp, IdeaComment, Phase, PhaseChange
from tests.factories import MembershipFactory

from .factories import ChangeIdeaFactory


def _board(team):
    return reverse("improvement:board", args=[team.slug])


def test_a_member_adds_an_idea_with_an_owner(member_client, member, lead, team):
    response = member_client.post(
        reverse("improvement:idea_create", args=[team.slug]),
        {
            "title": "Call back voicemails the same day",
            "focus_area": "timeliness",
            "owner": lead.pk,
            "next_step": "Try it for a week",
            "due_date": "2030-01-15",
        },
    )
    assert response.status_code == 302
    idea = ChangeIdea.objects.get()
    assert (idea.owner, idea.created_by, idea.phase) == (lead, member, Phase.IDEA)
    assert idea.title in member_client.get(_board(team)).content.decode()


def test_the_owner_must_belong_to_the_team(member_client, outsider, team):
    response = member_client.post(
        reverse("improvement:idea_create", args=[team.slug]),
        {"title": "Sneaky", "focus_area": "timeliness", "owner": outsider.pk},
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.change_idea_create(
            team=team, title="x", focus_area="timeliness", owner=outsider, created_by=None
        )


def test_moving_an_idea_records_who_and_when(member_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_move", args=[team.slug, idea.pk])
    for phase in ("test", "adapted", "live"):
        assert member_client.post(url, {"phase": phase}).status_code == 302
    idea.refresh_from_db()
    assert idea.phase == Phase.LIVE
    changes = list(
        PhaseChange.objects.filter(idea=idea).values_list("from_phase", "to_phase", "by")
    )
    assert changes == [
        ("idea", "test", member.pk),
        ("test", "adapted", member.pk),
        ("adapted", "live", member.pk),
    ]


def test_dropping_needs_a_reason(member_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_move", args=[team.slug, idea.pk])
    response = member_client.post(url, {"phase": "dropped", "reason": " "}, follow=True)
    assert "Say why the idea is dropped" in response.content.decode()
    idea.refresh_from_db()
    assert idea.phase == Phase.IDEA
    member_client.post(url, {"phase": "dropped", "reason": "The phone system cannot do it"})
    idea.refresh_from_db()
    assert (idea.phase, idea.dropped_reason) == ("dropped", "The phone system cannot do it")


def test_the_database_refuses_a_dropped_idea_without_reason(team, member):
    idea = ChangeIdeaFactory(team=team, owner=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeIdea.objects.filter(pk=idea.pk).update(phase=Phase.DROPPED)


def test_moving_to_the_same_phase_is_refused(team, member):
    idea = ChangeIdeaFactory(team=team, owner=member)
    with pytest.raises(ValidationError):
        services.change_idea_move(idea=idea, to_phase=Phase.IDEA, by=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseChange.objects.create(idea=idea, from_phase="test", to_phase="test")


def test_an_unknown_phase_rerenders_without_error(member_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_move", args=[team.slug, idea.pk])
    response = member_client.post(url, {"phase": "heaven"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="board"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_moving_with_htmx_answers_the_board_fragment(member_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_move", args=[team.slug, idea.pk])
    response = member_client.post(url, {"phase": "test"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="board"')
    assert "just-moved" in html and "autofocus" in html


def test_board_full_page_and_fragment(member_client, team):
    full = member_client.get(_board(team)).content.decode()
    fragment = member_client.get(_board(team), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and 'id="board"' in full
    assert "<html" not in fragment and 'id="board"' in fragment


def test_board_in_constant_queries(member_client, team, django_assert_max_num_queries):
    owners = [MembershipFactory(team=team).user for _ in range(5)]
    for i in range(30):
        idea = ChangeIdeaFactory(team=team, owner=owners[i % 5], phase=Phase.values[i % 4])
        IdeaComment.objects.create(idea=idea, author=owners[0], body="ok")
    with django_assert_max_num_queries(8):
        response = member_client.get(_board(team))
    assert response.content.decode().count('class="card idea-card') == 30


def test_dropped_ideas_show_their_reason_on_the_board(member_client, member, team):
    ChangeIdeaFactory(team=team, owner=member, phase=Phase.DROPPED, dropped_reason="Too costly")
    assert "Too costly" in member_client.get(_board(team)).content.decode()


def test_comments_give_feedback(member_client, lead_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_comment", args=[team.slug, idea.pk])
    response = lead_client.post(url, {"body": "It worked for me too"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="comments"' in response.content.decode()
    assert "It worked for me too" in response.content.decode()
    empty = lead_client.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert IdeaComment.objects.count() == 1


def test_idea_page_shows_history_and_comments_in_constant_queries(
    member_client, member, team, django_assert_max_num_queries
):
    idea = ChangeIdeaFactory(team=team, owner=member)
    for phase in ("test", "adapted", "live", "idea", "test"):
        services.change_idea_move(idea=idea, to_phase=phase, by=member)
    for i in range(10):
        services.idea_comment_add(idea=idea, author=member, body=f"Comment {i}")
    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("improvement:idea", args=[team.slug, idea.pk]))
    html = response.content.decode()
    assert "Comment 9" in html and html.count("moved it from") == 5


def test_editing_an_idea(member_client, member, lead, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    url = reverse("improvement:idea_edit", args=[team.slug, idea.pk])
    response = member_client.post(
        url, {"title": "Better", "focus_area": "follow_up", "owner": lead.pk, "next_step": "Ask"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.title, idea.owner, idea.next_step) == ("Better", lead, "Ask")
    assert member_client.post(url, {"title": ""}).status_code == 200


def test_ideas_of_another_team_are_not_found(member_client, team):
    other = ChangeIdeaFactory()
    url = reverse("improvement:idea", args=[team.slug, other.pk])
    assert member_client.get(url).status_code == 404


def test_follow_up_groups_by_owner_and_flags_stale_ideas(member, lead, team):
    now = timezone.now()
    fresh = ChangeIdeaFactory(team=team, owner=member)
    stale = ChangeIdeaFactory(team=team, owner=member, moved_at=now - timedelta(days=30))
    old_live = ChangeIdeaFactory(
        team=team, owner=lead, phase=Phase.LIVE, moved_at=now - timedelta(days=40)
    )
    services.change_idea_move(idea=fresh, to_phase=Phase.TEST, by=lead)
    services.idea_comment_add(idea=fresh, author=lead, body="Go!")
    owners = selectors.follow_up(team=team, since=now - timedelta(days=7))
    assert [o.owner for o in owners] == [member]
    ideas = {i.pk: i for i in owners[0].ideas}
    assert ideas[fresh.pk].changes_since == 1 and ideas[fresh.pk].comments_since == 1
    assert not ideas[fresh.pk].is_stale
    assert ideas[stale.pk].is_stale and ideas[stale.pk].changes_since == 0
    assert old_live.pk not in ideas


def test_follow_up_page_in_constant_queries(member_client, team, django_assert_max_num_queries):
    owners = [MembershipFactory(team=team).user for _ in range(6)]
    for i in range(30):
        idea = ChangeIdeaFactory(team=team, owner=owners[i % 6])
        services.change_idea_move(idea=idea, to_phase=Phase.TEST, by=owners[0])
        services.idea_comment_add(idea=idea, author=owners[1], body="ok")
    url = reverse("improvement:follow_up", args=[team.slug])
    with django_assert_max_num_queries(8):
        response = member_client.get(url)
    assert response.content.decode().count('class="follow-idea"') == 30
    fragment = member_client.get(url, {"since": "2020-01-01", "stale": "5"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert member_client.get(url, {"since": "nonsense", "stale": "-4"}).status_code == 200


def test_follow_up_starts_from_the_last_one(manager_client, manager, team):
    assert (
        manager_client.post(reverse("improvement:follow_up_done", args=[team.slug])).status_code
        == 302
    )
    held = FollowUp.objects.get(team=team).held_at
    assert selectors.follow_up_since(team=team) == held


def test_the_follow_up_page_starts_where_the_agenda_does_from_the_previous_meeting(
    member_client, manager, member, team
):
    from improvement.steering import follow_up_section
    from meetings import selectors as meeting_selectors
    from tests.meetings.factories import first_occurrence, past_occurrence, weekly_meeting

    meeting = weekly_meeting(team, created_by=manager)
    coming = first_occurrence(meeting)
    previous = past_occurrence(meeting, days_ago=10)
    assert meeting_selectors.previous_occurrence(occurrence=coming) == previous
    moved = ChangeIdeaFactory(team=team, owner=member, title="Moved since")
    PhaseChange.objects.create(
        idea=moved,
        from_phase="idea",
        to_phase="test",
        by=member,
        at=timezone.now() - timedelta(days=9),
    )
    url = reverse("improvement:follow_up", args=[team.slug])
    response = member_client.get(url)
    assert response.context["since"] == previous.starts_at
    [line] = follow_up_section(coming, previous).lines
    assert line.status_label == "moved" and "Moved since" in response.content.decode()
    assert response.content.decode().count('class="badge ok">changed') == 1
    # Holding the slot in between moves both on.
    FollowUp.objects.create(team=team, held_at=timezone.now() - timedelta(days=2))
    later = member_client.get(url).context["since"]
    assert later == FollowUp.objects.get().held_at
    assert later == selectors.follow_up_since(team=team, occurrence=coming)
    assert not follow_up_section(coming, previous).lines[0].status_label


def test_a_chosen_since_date_starts_at_midnight_in_the_teams_time_zone(member_client, team):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    team.time_zone = "America/New_York"
    team.save(update_fields=["time_zone"])
    url = reverse("improvement:follow_up", args=[team.slug])
    since = member_client.get(url, {"since": "2026-11-10"}).context["since"]
    assert since == datetime(2026, 11, 10, tzinfo=ZoneInfo("America/New_York"))


def test_home_lists_my_ideas_waiting_for_a_next_step(member_client, member, team):
    ChangeIdeaFactory(team=team, owner=member, title="Mine, on its way", phase=Phase.TEST)
    ChangeIdeaFactory(team=team, owner=member, title="Mine, already live", phase=Phase.LIVE)
    html = member_client.get(reverse("home")).content.decode()
    assert "Mine, on its way" in html and "Mine, already live" not in html


@pytest.mark.parametrize("name", ["improvement:board", "improvement:follow_up"])
def test_pages_refuse_a_wrong_method(member_client, team, name):
    assert member_client.post(reverse(name, args=[team.slug])).status_code == 405


def test_move_refuses_get(member_client, member, team):
    idea = ChangeIdeaFactory(team=team, owner=member)
    assert (
        member_client.get(reverse("improvement:idea_move", args=[team.slug, idea.pk])).status_code
        == 405
    )


def test_an_idea_links_an_indicator_of_its_own_team_only(member_client, member, team):
    from tests.indicators.factories import IndicatorFactory

    ours = IndicatorFactory(team=team, name="Call-back time")
    theirs = IndicatorFactory()
    url = reverse("improvement:idea_create", args=[team.slug])
    data = {"title": "Same-day call back", "focus_area": "timeliness", "owner": member.pk}
    assert member_client.post(url, {**data, "indicator": theirs.pk}).status_code == 200
    assert member_client.post(url, {**data, "indicator": ours.pk}).status_code == 302
    idea = ChangeIdea.objects.get()
    assert idea.indicator == ours
    html = member_client.get(
        reverse("improvement:idea", args=[team.slug, idea.pk])
    ).content.decode()
    assert "Call-back time" in html
    with pytest.raises(ValidationError):
        services.change_idea_create(
            team=team,
            title="x",
            focus_area="timeliness",
            owner=member,
            created_by=member,
            indicator=theirs,
        )


def test_an_idea_may_come_from_a_steering_decision(member_client, member, team):
    url = reverse("improvement:idea_create", args=[team.slug])
    data = {"title": "Weekly slot update", "focus_area": "coordination", "owner": member.pk}
    assert member_client.post(url, {**data, "source": "gap_analysis"}).status_code == 200
    assert member_client.post(url, {**data, "source": "steering"}).status_code == 302
    assert ChangeIdea.objects.get().source == "steering"
