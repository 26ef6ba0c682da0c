import pytest
from django.urls import reverse

import facilitation.live
from charter import live, services
from charter.models import Participant, StatementProposal, Step, Vote, Workshop, WorkshopKeyword
from teams.models import Membership
from tests.factories import MembershipFactory

from .conftest import make_workshop, put_keywords

HX = {"HX-Request": "true"}


def _url(name, workshop, *extra):
    return reverse(f"charter:{name}", args=[workshop.team.slug, workshop.pk, *extra])


def _hx(target):
    return {**HX, "HX-Target": target}


# Creating ------------------------------------------------------------------------------------


def test_manager_creates_a_workshop_with_its_rules(manager_client, team, manager):
    response = manager_client.post(
        reverse("charter:workshop_create", args=[team.slug]),
        {
            "title": "Spring charter",
            "dots_per_person": 5,
            "max_dots_per_keyword": 2,
            "results_hidden": "on",
            "observe_minutes": 5,
            "propose_minutes": 10,
            "vote_minutes": 5,
            "select_minutes": 5,
            "draft_minutes": 15,
        },
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("workshop_run", workshop)
    assert (workshop.dots_per_person, workshop.max_dots_per_keyword) == (5, 2)
    assert workshop.facilitator == manager and workshop.step == Step.OBSERVE


def test_workshop_form_refuses_a_cap_above_the_budget(manager_client, team):
    response = manager_client.post(
        reverse("charter:workshop_create", args=[team.slug]),
        {"title": "x", "dots_per_person": 2, "max_dots_per_keyword": 3},
    )
    assert response.status_code == 200
    assert b"no more than the dots per person" in response.content
    assert not Workshop.objects.exists()


def test_workshops_list_query_count_does_not_grow(
    member_client, team, manager, django_assert_max_num_queries
):
    for _ in range(15):
        make_workshop(team, manager)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("charter:workshops", args=[team.slug]))
    assert response.content.count(b'class="card"') == 15


# Live pages and the poll ---------------------------------------------------------------------


def test_participant_page_is_a_full_page_and_an_htmx_fragment(member_client, voting):
    url = _url("workshop", voting)
    full = member_client.get(url)
    assert b"<html" in full.content and b'id="live"' in full.content
    fragment = member_client.get(url, headers=_hx("workshop"))
    assert b"<html" not in fragment.content and b'id="workshop"' in fragment.content


def test_an_unchanged_poll_answers_204_without_rendering(
    member_client, voting, django_assert_num_queries
):
    version = live.WORKSHOP.version(voting.pk)
    url = _url("workshop", voting) + f"?v={version}&step={voting.step}"
    member_client.get(url, headers=_hx("live"))
    # Only the user lookup the foundation's middleware makes: nothing about the workshop.
    with django_assert_num_queries(1):
        response = member_client.get(url, headers=_hx("live"))
    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.parametrize("screen", ["workshop", "workshop_run"])
def test_an_unchanged_poll_asks_the_cache_once(manager_client, voting, monkeypatch, screen):
    """The version and the access check of a moment ago in one round trip."""
    from django.core.cache import cache

    audience = live.FACILITATOR if screen == "workshop_run" else live.EVERYONE
    url = (
        _url(screen, voting) + f"?v={live.WORKSHOP.version(voting.pk, audience)}&step={voting.step}"
    )
    manager_client.get(url, headers=_hx("live"))
    calls = []

    class Counting:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(cache, name)

    monkeypatch.setattr(facilitation.live, "cache", Counting())
    assert manager_client.get(url, headers=_hx("live")).status_code == 204
    assert calls == ["get_many"]


def test_an_outsider_polling_gets_a_404(outsider_client, voting):
    version = live.WORKSHOP.version(voting.pk)
    url = _url("workshop", voting) + f"?v={version}&step={voting.step}"
    assert outsider_client.get(url, headers=_hx("live")).status_code == 404


def test_a_poll_from_an_outsider_creates_no_live_keys(outsider_client, voting):
    from django.core.cache import cache

    url = _url("workshop", voting) + f"?v=123&step={voting.step}"
    assert outsider_client.get(url, headers=_hx("live")).status_code == 404
    assert cache.get(live.WORKSHOP._key(voting.pk, live.EVERYONE)) is None


def test_a_screen_never_holds_a_version_newer_than_its_data(
    member_client, voting, lead, monkeypatch, django_capture_on_commit_callbacks
):
    """A vote committed while the page reads its data must make the next poll fetch."""
    from charter import selectors

    Workshop.objects.filter(pk=voting.pk).update(results_hidden=False)
    voting.refresh_from_db()
    real_stage_get = selectors.stage_get

    def stage_get_then_a_colleague_votes(**kwargs):
        stage = real_stage_get(**kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
        return stage

    monkeypatch.setattr(selectors, "stage_get", stage_get_then_a_colleague_votes)
    page = member_client.get(_url("workshop", voting))
    monkeypatch.setattr(selectors, "stage_get", real_stage_get)
    seen = page.content.decode().split("v=", 1)[1].split("&", 1)[0].split('"', 1)[0]
    url = _url("workshop", voting) + f"?v={seen}&step={voting.step}"
    assert member_client.get(url, headers=_hx("live")).status_code == 200


def test_a_member_polling_the_facilitator_screen_gets_a_403(member_client, voting):
    version = live.WORKSHOP.version(voting.pk)
    member_client.get(_url("workshop", voting) + f"?v={version}", headers=_hx("live"))
    version = live.WORKSHOP.version(voting.pk, live.FACILITATOR)
    url = _url("workshop_run", voting) + f"?v={version}&step={voting.step}"
    assert member_client.get(url, headers=_hx("live")).status_code == 403


def test_a_poll_after_a_change_returns_the_live_fragment(
    member_client, voting, lead, django_capture_on_commit_callbacks
):
    Workshop.objects.filter(pk=voting.pk).update(results_hidden=False)
    version = live.WORKSHOP.version(voting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    url = _url("workshop", voting) + f"?v={version}&step={voting.step}"
    response = member_client.get(url, headers=_hx("live"))
    assert response.status_code == 200
    assert b'id="live"' in response.content and b'id="workshop"' not in response.content
    assert f"v={live.WORKSHOP.version(voting.pk)}".encode() in response.content


def test_hidden_votes_wake_the_facilitator_screen_but_not_the_phones(
    member_client, manager_client, voting, lead, django_capture_on_commit_callbacks
):
    phone = _url("workshop", voting) + f"?v={live.WORKSHOP.version(voting.pk)}&step={voting.step}"
    run_version = live.WORKSHOP.version(voting.pk, live.FACILITATOR)
    projector = _url("workshop_run", voting) + f"?v={run_version}&step={voting.step}"
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    assert member_client.get(phone, headers=_hx("live")).status_code == 204
    response = manager_client.get(projector, headers=_hx("live"))
    assert response.status_code == 200 and b"1 dot cast" in response.content


def test_a_poll_after_a_step_change_swaps_the_whole_workshop(
    member_client, voting, django_capture_on_commit_callbacks
):
    version = live.WORKSHOP.version(voting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_step_set(workshop=voting, from_step=Step.VOTE, to_step=Step.SELECT)
    url = _url("workshop", voting) + f"?v={version}&step={Step.VOTE}"
    response = member_client.get(url, headers=_hx("live"))
    assert response["HX-Retarget"] == "#workshop"
    assert b'id="workshop"' in response.content


def test_facilitator_shows_counts_not_names(manager_client, voting, member, lead):
    services.participant_join(workshop=voting, user=member)
    services.participant_set_done(workshop=voting, user=lead, done=True)
    content = manager_client.get(_url("workshop_run", voting)).content.decode()
    assert "2 joined" in content and "1 done" in content
    assert member.display_name not in content and lead.display_name not in content


def test_facilitator_page_offers_questions_for_the_step(manager_client, voting):
    content = manager_client.get(_url("workshop_run", voting)).content.decode()
    assert "Questions to ask the team" in content
    assert "proud to be known for" in content


def test_workshop_pages_query_counts_do_not_grow(
    manager_client, member_client, team, manager, django_assert_max_num_queries
):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    items = put_keywords(workshop, *[f"keyword {n}" for n in range(20)])
    for n in range(25):
        voter = MembershipFactory(team=team).user
        services.participant_join(workshop=workshop, user=voter)
        for k in range(3):
            services.vote_cast(workshop=workshop, user=voter, keyword_id=items[(n + k) % 20].pk)
    with django_assert_max_num_queries(14):
        member_client.get(_url("workshop", workshop))
    with django_assert_max_num_queries(14):
        manager_client.get(_url("workshop_run", workshop))
    stale = _url("workshop", workshop) + f"?v=1&step={Step.VOTE}"
    with django_assert_max_num_queries(9):
        assert b'id="live"' in member_client.get(stale, headers=_hx("live")).content
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.DRAFT)
    WorkshopKeyword.objects.filter(pk__in=[i.pk for i in items[:6]]).update(selected=True)
    for item in items[:6]:
        for n in range(4):
            services.statement_propose(
                workshop=Workshop.objects.get(pk=workshop.pk),
                author=manager,
                keyword_id=item.pk,
                text=f"Take every chance number {n} to help our clients",
            )
    with django_assert_max_num_queries(16):
        member_client.get(_url("workshop", workshop))
    with django_assert_max_num_queries(16):
        manager_client.get(_url("workshop_run", workshop))


def test_join_records_the_participant_once(member_client, workshop, member):
    member_client.post(_url("workshop_join", workshop))
    member_client.post(_url("workshop_join", workshop))
    assert Participant.objects.filter(workshop=workshop, user=member).count() == 1


def test_participant_marks_the_step_done_and_it_resets_on_the_next_step(
    member_client, workshop, member
):
    member_client.post(_url("workshop_done", workshop), {"done": "1"}, headers=_hx("live"))
    assert Participant.objects.get(user=member).done
    services.workshop_step_set(workshop=workshop, from_step=Step.OBSERVE, to_step=Step.PROPOSE)
    assert not Participant.objects.get(user=member).done


# Proposing -----------------------------------------------------------------------------------


def test_duplicate_proposals_are_merged_and_counted(member_client, lead_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    member_client.post(_url("keyword_propose", workshop), {"text": "Helpful"})
    response = lead_client.post(
        _url("keyword_propose", workshop), {"text": " HÉLPFUL "}, headers=_hx("workshop")
    )
    assert response.status_code == 200 and b'id="workshop"' in response.content
    item = WorkshopKeyword.objects.get(workshop=workshop)
    assert item.proposals == 2 and item.keyword.label == "Helpful"


def test_an_empty_proposal_rerenders_the_form_with_an_error(member_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    response = member_client.post(
        _url("keyword_propose", workshop), {"text": "   "}, headers=_hx("workshop")
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content or b"cannot be empty" in response.content


@pytest.mark.parametrize("text", ["\u0301", "\u0301 \u0308", "--"])
def test_a_proposal_without_any_letter_is_refused_with_a_message(
    member_client, team, manager, text
):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    response = member_client.post(
        _url("keyword_propose", workshop), {"text": text}, headers=_hx("workshop")
    )
    assert response.status_code == 200
    assert "is not a keyword: use at least one letter or digit" in response.content.decode()
    assert not WorkshopKeyword.objects.exists()


def test_keywords_from_observations_are_offered(member_client, team, manager, member):
    services.observation_create(
        team=team, author=member, reaction="Glad", behaviour="x", keywords=["Patient"]
    )
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    assert b"+ Patient" in member_client.get(_url("workshop", workshop)).content


def test_facilitator_merges_two_keywords(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    kind, friendly = put_keywords(workshop, "Kind", "Friendly")
    manager_client.post(
        _url("keyword_merge", workshop),
        {"source": kind.pk, "target": friendly.pk},
        headers=_hx("workshop"),
    )
    kind.refresh_from_db()
    friendly.refresh_from_db()
    assert kind.merged_into == friendly and friendly.proposals == 2
    # Proposing the merged word again counts for the keyword that stayed.
    services.keyword_propose(workshop=workshop, user=manager, text="kind")
    friendly.refresh_from_db()
    assert friendly.proposals == 3


def test_merging_a_keyword_into_itself_is_refused(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    (kind,) = put_keywords(workshop, "Kind")
    response = manager_client.post(
        _url("keyword_merge", workshop),
        {"source": kind.pk, "target": kind.pk},
        headers=_hx("workshop"),
    )
    assert response.status_code == 200 and b"two different keywords" in response.content


# Voting through the views --------------------------------------------------------------------


def test_a_vote_answers_htmx_with_the_tapped_row_and_the_dots_left(
    member_client, voting, member, django_assert_num_queries
):
    services.participant_join(workshop=voting, user=member)
    patient = voting.items[0]
    # The user, then the workshop with the member's role and the vote in one statement
    # (charter_vote_cast: rules, locks, the voter's dots, the new dot). Nothing to read
    # for the row while the totals are hidden.
    with django_assert_num_queries(2):
        response = member_client.post(
            _url("vote", voting), {"keyword": patient.pk, "dot": 1}, headers=_hx("vote")
        )
    assert response.status_code == 200 and response["X-Vote"] == "cast"
    assert response["HX-Retarget"] == f"#vote-row-{patient.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.count('class="vote-row') == 1 and f'id="vote-row-{patient.pk}"' in html
    assert html.count('class="dot"') == 1  # the voter's one dot, drawn
    # Beside it, out of band: the dots left, the next dot to offer, no refusal any more.
    assert '<p id="dots-left" hx-swap-oob="innerHTML">You have 5 dots left' in html
    assert 'id="next-dot" value="2" hx-swap-oob="true"' in html
    assert '<div id="vote-refusal" hx-swap-oob="true"></div>' in html
    assert 'id="vote"' not in html and 'id="live"' not in html


def test_someone_who_left_the_team_casts_nothing_though_they_had_joined(
    member_client, voting, member
):
    """The access check and the vote share one statement: the vote runs only for the
    row the membership check returns."""
    services.participant_join(workshop=voting, user=member)
    Membership.objects.filter(team=voting.team, user=member).delete()
    response = member_client.post(
        _url("vote", voting), {"keyword": voting.items[0].pk, "dot": 1}, headers=_hx("vote")
    )
    assert response.status_code == 404
    assert not Vote.objects.filter(workshop=voting).exists()


def test_a_vote_in_another_teams_workshop_casts_nothing(outsider_client, outsider, voting):
    """The slug in the address must be the workshop's team: a member of another team who
    guesses the workshop's number gets a 404, not a dot."""
    services.participant_join(workshop=voting, user=outsider)  # as if they once had
    other = outsider.memberships.get().team
    url = reverse("charter:vote", args=[other.slug, voting.pk])
    response = outsider_client.post(url, {"keyword": voting.items[0].pk}, headers=_hx("vote"))
    assert response.status_code == 404
    assert not Vote.objects.filter(workshop=voting).exists()


def test_a_vote_row_shows_the_total_once_revealed(member_client, voting, member, lead):
    Workshop.objects.filter(pk=voting.pk).update(revealed=True)
    services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    response = member_client.post(
        _url("vote", voting), {"keyword": voting.items[0].pk}, headers=_hx("vote")
    )
    assert "HX-Retarget" in response and "2 dots" in response.content.decode()


@pytest.mark.parametrize(
    "case", ["the last dot spent", "a dot back from none left", "a refusal", "a bad keyword"]
)
def test_a_tap_that_changes_more_than_its_row_gets_the_whole_ballot(
    case, member_client, voting, member
):
    Workshop.objects.filter(pk=voting.pk).update(dots_per_person=2, max_dots_per_keyword=1)
    voting.refresh_from_db()
    patient, honest, _helpful = voting.items
    if case != "a bad keyword":
        services.vote_cast(workshop=voting, user=member, keyword_id=patient.pk)
    if case in ("a dot back from none left", "a refusal"):
        services.vote_cast(workshop=voting, user=member, keyword_id=honest.pk)
    data = {
        "the last dot spent": {"keyword": honest.pk},  # every "+" turns off
        "a dot back from none left": {"remove": honest.pk},  # every "+" turns on
        "a refusal": {"keyword": patient.pk},  # the reason goes above the ballot
        "a bad keyword": {"keyword": 999999},
    }[case]
    response = member_client.post(_url("vote", voting), data, headers=_hx("vote"))
    assert response.status_code == 200 and "HX-Retarget" not in response
    html = response.content.decode()
    assert 'id="vote"' in html and html.count('class="vote-row') == 3
    if case == "a refusal":
        assert 'role="alert"' in html


def test_taking_a_dot_back_answers_with_the_row(member_client, voting, member):
    patient = voting.items[0]
    services.vote_cast(workshop=voting, user=member, keyword_id=patient.pk)
    response = member_client.post(_url("vote", voting), {"remove": patient.pk}, headers=_hx("vote"))
    assert response["X-Vote"] == "removed"
    assert response["HX-Retarget"] == f"#vote-row-{patient.pk}"
    assert "You have 6 dots left" in response.content.decode()


def test_a_vote_without_htmx_redirects_to_the_workshop(member_client, voting):
    response = member_client.post(_url("vote", voting), {"keyword": voting.items[0].pk})
    assert response.status_code == 302 and response["Location"] == _url("workshop", voting)


def test_the_ballot_keeps_its_order_while_votes_come_in(member_client, voting, lead, manager):
    Workshop.objects.filter(pk=voting.pk).update(results_hidden=False)
    before = member_client.get(_url("workshop", voting)).content.decode()
    last = voting.items[-1]
    for user in (lead, manager):
        services.vote_cast(workshop=voting, user=user, keyword_id=last.pk)
    after = member_client.get(_url("workshop", voting)).content.decode()

    def order(page):
        return [
            item.keyword.label
            for item in sorted(
                voting.items, key=lambda i: page.index(f'name="keyword" value="{i.pk}"')
            )
        ]

    assert order(before) == order(after)


def test_a_double_click_casts_one_dot(member_client, voting, member):
    for _ in range(2):
        member_client.post(_url("vote", voting), {"keyword": voting.items[0].pk, "dot": 1})
    assert Vote.objects.filter(voter=member).count() == 1


def test_an_over_budget_vote_gets_a_clear_message_not_a_500(member_client, voting):
    Workshop.objects.filter(pk=voting.pk).update(dots_per_person=1, max_dots_per_keyword=1)
    url = _url("vote", voting)
    member_client.post(url, {"keyword": voting.items[0].pk})
    response = member_client.post(url, {"keyword": voting.items[1].pk}, headers=_hx("live"))
    assert response.status_code == 200
    assert b"You have used your only dot" in response.content


@pytest.mark.parametrize("data", [{}, {"keyword": "abc"}, {"keyword": 999999, "dot": "x"}])
def test_bad_vote_input_is_refused_politely(member_client, voting, data):
    response = member_client.post(_url("vote", voting), data, headers=_hx("live"))
    assert response.status_code == 200
    assert b"no longer on the table" in response.content


def test_member_takes_a_dot_back(member_client, voting, member):
    url = _url("vote", voting)
    member_client.post(url, {"keyword": voting.items[0].pk})
    member_client.post(url, {"remove": voting.items[0].pk})
    assert not Vote.objects.filter(voter=member).exists()


def test_a_take_back_from_no_dots_left_redraws_the_ballot_reading_the_dots_once(
    member_client, voting, member, django_assert_num_queries
):
    """With every dot spent, taking one back turns every "+" on again: the whole ballot
    comes back, from one read of the voter's dots (user, workshop, begin, rules,
    delete, commit, dots, keywords)."""
    Workshop.objects.filter(pk=voting.pk).update(dots_per_person=1, max_dots_per_keyword=1)
    url = _url("vote", voting)
    member_client.post(url, {"keyword": voting.items[0].pk})
    with django_assert_num_queries(8):
        response = member_client.post(url, {"remove": voting.items[0].pk}, headers=_hx("live"))
    assert response.headers["X-Vote"] == "removed"
    assert "HX-Retarget" not in response.headers
    assert response.content.count(b'name="keyword"') == len(voting.items)


def test_totals_stay_hidden_from_members_until_revealed(
    member_client, manager_client, voting, lead
):
    services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    assert b"1 dot<" not in member_client.get(_url("workshop", voting)).content
    manager_client.post(_url("workshop_reveal", voting))
    assert b'class="badge total">1 dot<' in member_client.get(_url("workshop", voting)).content


def test_nobody_sees_who_voted_for_what(member_client, manager_client, voting, lead):
    services.vote_cast(workshop=voting, user=lead, keyword_id=voting.items[0].pk)
    manager_client.post(_url("workshop_reveal", voting))
    for client in (member_client, manager_client):
        for name in ("workshop", "workshop_run"):
            response = client.get(_url(name, voting))
            assert lead.display_name not in response.content.decode()
    csv = manager_client.get(_url("workshop_export", voting, "csv")).content.decode()
    assert lead.display_name not in csv and lead.email not in csv


def test_rules_cannot_go_below_the_dots_cast(manager_client, voting, member):
    for item in voting.items:
        services.vote_cast(workshop=voting, user=member, keyword_id=item.pk)
    response = manager_client.post(
        _url("workshop_rules", voting),
        {"dots_per_person": 2, "max_dots_per_keyword": 1},
        headers=_hx("workshop"),
    )
    assert response.status_code == 200
    assert b"cannot go below" in response.content
    voting.refresh_from_db()
    assert voting.dots_per_person == 6


# Steps and timer ------------------------------------------------------------------------------


def test_a_replayed_next_step_moves_one_step_only(manager_client, workshop):
    url = _url("workshop_step", workshop)
    for _ in range(2):
        manager_client.post(
            url, {"from": Step.OBSERVE, "to": Step.PROPOSE}, headers=_hx("workshop")
        )
    workshop.refresh_from_db()
    assert workshop.step == Step.PROPOSE
    assert workshop.step_ends_at is not None


def test_going_back_over_votes_asks_for_confirmation(manager_client, voting, member):
    services.vote_cast(workshop=voting, user=member, keyword_id=voting.items[0].pk)
    url = _url("workshop_step", voting)
    response = manager_client.post(url, {"from": Step.VOTE, "to": Step.PROPOSE})
    assert response.status_code == 200 and b"every dot cast" in response.content
    assert Vote.objects.exists()
    response = manager_client.post(url, {"from": Step.VOTE, "to": Step.PROPOSE, "confirm": "1"})
    assert response.status_code == 302
    assert not Vote.objects.exists()


def test_going_back_without_work_to_lose_needs_no_confirmation(manager_client, voting):
    response = manager_client.post(
        _url("workshop_step", voting), {"from": Step.VOTE, "to": Step.PROPOSE}
    )
    assert response.status_code == 302


def test_bad_step_input_is_a_404_not_a_500(manager_client, workshop):
    response = manager_client.post(_url("workshop_step", workshop), {"from": "x", "to": 99})
    assert response.status_code == 404


def test_timer_pauses_resumes_and_gets_more_time(manager_client, voting):
    url = _url("workshop_timer", voting)
    manager_client.post(url, {"action": "start"})
    voting.refresh_from_db()
    assert voting.timer_running
    manager_client.post(url, {"action": "pause"})
    voting.refresh_from_db()
    paused = voting.paused_remaining
    assert not voting.timer_running and paused > 0
    manager_client.post(url, {"action": "add"})
    voting.refresh_from_db()
    assert voting.paused_remaining == paused + 60


def test_workshop_actions_reject_get(manager_client, voting):
    for name in ("workshop_step", "workshop_timer", "vote", "publish", "workshop_reveal"):
        assert manager_client.get(_url(name, voting)).status_code == 405


# Select and draft ----------------------------------------------------------------------------


def test_facilitator_confirms_at_most_six_keywords(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(workshop, *[f"k{n}" for n in range(7)])
    url = _url("keywords_select", workshop)
    response = manager_client.post(url, {"keyword": [i.pk for i in items]}, headers=_hx("workshop"))
    assert b"at most 6 points" in response.content
    manager_client.post(url, {"keyword": [i.pk for i in items[:5]]})
    assert WorkshopKeyword.objects.filter(selected=True).count() == 5


def test_fewer_than_five_keywords_need_an_explicit_confirmation(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(workshop, *[f"k{n}" for n in range(7)])
    url = _url("keywords_select", workshop)
    chosen = [i.pk for i in items[:3]]
    response = manager_client.post(url, {"keyword": chosen}, headers=_hx("workshop"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "The method suggests five or six keywords; confirm with fewer?" in content
    assert 'name="confirm" value="fewer"' in content
    assert content.count(" checked>") == 3  # the choice comes back as it was
    assert not WorkshopKeyword.objects.filter(selected=True).exists()
    response = manager_client.post(url, {"keyword": chosen, "confirm": "fewer"})
    assert response.status_code == 302
    assert set(WorkshopKeyword.objects.filter(selected=True).values_list("pk", flat=True)) == set(
        chosen
    )


def test_the_confirmation_without_htmx_is_a_page_with_the_question(manager_client, team, manager):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    (item,) = put_keywords(workshop, "Patient")
    response = manager_client.post(_url("keywords_select", workshop), {"keyword": [item.pk]})
    assert response.status_code == 200 and b"<html" in response.content
    assert b"confirm with fewer?" in response.content


@pytest.mark.parametrize("count", [5, 6])
def test_five_or_six_keywords_need_no_confirmation(manager_client, team, manager, count):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(workshop, *[f"k{n}" for n in range(7)])
    response = manager_client.post(
        _url("keywords_select", workshop), {"keyword": [i.pk for i in items[:count]]}
    )
    assert response.status_code == 302
    assert WorkshopKeyword.objects.filter(selected=True).count() == count


@pytest.mark.parametrize("count", [0, 7])
def test_none_or_more_than_six_keywords_are_refused_even_when_confirmed(
    manager_client, team, manager, count
):
    workshop = make_workshop(team, manager, step=Step.SELECT)
    items = put_keywords(workshop, *[f"k{n}" for n in range(7)])
    response = manager_client.post(
        _url("keywords_select", workshop),
        {"keyword": [i.pk for i in items[:count]], "confirm": "fewer"},
        headers=_hx("workshop"),
    )
    assert response.status_code == 200 and b"Select between one and 6 keywords" in response.content
    assert not WorkshopKeyword.objects.filter(selected=True).exists()


def test_ties_are_shown_in_the_ranking(member_client, team, manager, lead):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    a, b, c = put_keywords(workshop, "A", "B", "C")
    for item in (a, b):
        services.vote_cast(workshop=workshop, user=lead, keyword_id=item.pk)
    Workshop.objects.filter(pk=workshop.pk).update(step=Step.SELECT)
    content = member_client.get(_url("workshop", workshop)).content.decode()
    assert content.count(">tie<") == 2


def _drafting(team, manager):
    workshop = make_workshop(team, manager, step=Step.DRAFT)
    (item,) = put_keywords(workshop, "Helpful")
    item.selected = True
    item.save()
    return workshop, item


@pytest.mark.parametrize("text", ["Helpful", "Be helpful", "   ", "help them now"])
def test_a_bare_word_or_short_phrase_is_refused_with_guidance(member_client, team, manager, text):
    workshop, item = _drafting(team, manager)
    response = member_client.post(
        _url("statement_propose", workshop),
        {"keyword": item.pk, "text": text},
        headers=_hx("workshop"),
    )
    assert response.status_code == 200
    assert b"behaviour" in response.content
    assert not StatementProposal.objects.exists()


def test_members_propose_and_endorse_statements(member_client, lead_client, team, manager):
    workshop, item = _drafting(team, manager)
    text = "Take every chance to give our clients advice that helps them"
    member_client.post(_url("statement_propose", workshop), {"keyword": item.pk, "text": text})
    proposal = StatementProposal.objects.get()
    lead_client.post(_url("statement_endorse", workshop), {"proposal": proposal.pk})
    assert proposal.endorsements.count() == 2
    lead_client.post(_url("statement_endorse", workshop), {"proposal": proposal.pk})
    assert proposal.endorsements.count() == 1


def test_point_form_is_prefilled_with_the_coaching_question(manager_client, team, manager):
    workshop, item = _drafting(team, manager)
    content = manager_client.get(_url("workshop_run", workshop)).content.decode()
    assert "Did you take a chance to be helpful today?" in content


def test_facilitator_retains_a_point(manager_client, team, manager):
    workshop, item = _drafting(team, manager)
    manager_client.post(
        _url("point_set", workshop),
        {
            "keyword": item.pk,
            "statement": "Take every chance to give our clients advice that helps them",
            "coaching_question": "Did you take a chance to be helpful today?",
        },
    )
    item.refresh_from_db()
    assert item.statement.startswith("Take every chance")


def test_exports_give_keywords_dots_and_statements(member_client, team, manager, lead):
    workshop, item = _drafting(team, manager)
    WorkshopKeyword.objects.filter(pk=item.pk).update(
        statement="Take every chance to help", coaching_question="Did you help today?"
    )
    csv = member_client.get(_url("workshop_export", workshop, "csv"))
    assert csv["Content-Type"].startswith("text/csv")
    assert "Helpful,0,yes,Take every chance to help" in csv.content.decode()
    md = member_client.get(_url("workshop_export", workshop, "md")).content.decode()
    assert "### Helpful" in md and "*Did you help today?*" in md
    assert member_client.get(_url("workshop_export", workshop, "pdf")).status_code == 404


def _export(client, workshop, fmt="csv"):
    response = client.get(_url("workshop_export", workshop, fmt))
    assert response.status_code == 200
    return response.content.decode()


def _voted(voting, lead):
    for item in (voting.items[1], voting.items[1], voting.items[0]):
        services.vote_cast(workshop=voting, user=lead, keyword_id=item.pk)


def test_members_export_without_the_dots_while_totals_are_hidden(
    member_client, lead_client, voting, lead
):
    _voted(voting, lead)
    for client in (member_client, lead_client):
        csv = _export(client, voting)
        assert csv.splitlines()[0] == "Keyword,Selected,Statement,Coaching question"
        # Alphabetical, so the order gives nothing away either.
        assert [line.split(",")[0] for line in csv.splitlines()[1:]] == [
            "Helpful",
            "Honest",
            "Patient",
        ]
        md = _export(client, voting, "md")
        assert "Dots" not in md and "Rank" not in md
        assert "The totals stay hidden until the facilitator reveals them." in md
        assert "| Helpful |  |" in md


def test_the_facilitator_and_managers_always_export_the_dots(
    manager_client, team, voting, lead, manager
):
    _voted(voting, lead)
    csv = _export(manager_client, voting)
    assert csv.splitlines()[0].startswith("Rank,Keyword,Dots,")
    assert csv.splitlines()[1].startswith("1,Honest,2,")
    # A facilitator who is no longer a manager still sees them.
    other = MembershipFactory(team=team, role="manager").user
    Workshop.objects.filter(pk=voting.pk).update(facilitator=other)
    manager.memberships.update(role="member")
    from django.test import Client

    facilitator = Client()
    facilitator.force_login(other)
    assert "| 1 | Honest | 2 |" in _export(facilitator, voting, "md")
    assert "Dots" not in _export(manager_client, voting)


@pytest.mark.parametrize(
    "change", [{"revealed": True}, {"results_hidden": False}, {"step": Step.SELECT}]
)
def test_members_export_the_dots_once_totals_are_public(member_client, voting, lead, change):
    _voted(voting, lead)
    Workshop.objects.filter(pk=voting.pk).update(**change)
    assert _export(member_client, voting).splitlines()[1].startswith("1,Honest,2,")
    assert "| 1 | Honest | 2 |" in _export(member_client, voting, "md")


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1 our clients", "-1 call", "@SUM(A1)"])
def test_csv_export_defuses_spreadsheet_formulas(manager_client, team, manager, text):
    workshop, item = _drafting(team, manager)
    keyword = item.keyword
    keyword.label = text
    keyword.save()
    WorkshopKeyword.objects.filter(pk=item.pk).update(statement=text, coaching_question=text)
    import csv as csv_module

    rows = list(csv_module.reader(_export(manager_client, workshop).splitlines()))
    assert rows[1] == ["1", f"'{text}", "0", "yes", f"'{text}", f"'{text}"]


def test_markdown_export_keeps_the_table_whole(manager_client, team, manager):
    workshop, item = _drafting(team, manager)
    keyword = item.keyword
    keyword.label = "fast | friendly\\"
    keyword.save()
    WorkshopKeyword.objects.filter(pk=item.pk).update(
        statement="Answer within the hour\nevery time", coaching_question="Did you?\r\nReally?"
    )
    Workshop.objects.filter(pk=workshop.pk).update(title="Spring\n# not a heading")
    md = _export(manager_client, workshop, "md")
    assert "| 1 | fast \\| friendly\\\\ | 0 | ✓ |" in md
    assert "Answer within the hour every time" in md
    assert "*Did you? Really?*" in md
    assert md.startswith("# Spring # not a heading\n")


def test_the_workshop_speaks_french(member_client, voting, member):
    member.language = "fr"
    member.save()
    content = member_client.get(_url("workshop", voting)).content.decode()
    assert "Il vous reste 6 gommettes" in content
    assert "Poser une gommette sur Patient" in content


def test_home_page_says_which_workshop_waits_for_me(member_client, team, manager, outsider_client):
    make_workshop(team, manager, step=Step.VOTE)
    finished = make_workshop(team, manager)
    Workshop.objects.filter(pk=finished.pk).update(
        title="Old one", published_at="2026-01-01T00:00Z"
    )
    content = member_client.get(reverse("home")).content.decode()
    assert "Waiting for you" in content and "is at step “Vote”" in content
    assert "Old one" not in content
    assert "Waiting for you" not in outsider_client.get(reverse("home")).content.decode()


def test_the_observe_step_shows_what_observations_say_most(manager_client, workshop, member):
    services.observation_create(
        team=workshop.team,
        author=member,
        reaction="Glad",
        behaviour="Called back",
        keywords=["Reliable"],
    )
    content = manager_client.get(_url("workshop_run", workshop)).content.decode()
    assert "What our observations say most often" in content and "“Called back”" in content


def test_the_projector_lists_keywords_alphabetically_while_totals_are_hidden(
    manager_client, team, manager, lead, member
):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    items = put_keywords(workshop, "Attentive", "Zealous")
    for user in (lead, member):
        services.vote_cast(workshop=workshop, user=user, keyword_id=items[1].pk)
    page = manager_client.get(_url("workshop_run", workshop)).content.decode()
    assert page.index(">Attentive<") < page.index(">Zealous<")


def test_im_done_comes_after_the_form_to_write_in_and_answers_with_the_whole_workshop(
    member_client, team, manager, member
):
    """On a phone the keyword form sits below the live part: "I'm done" comes after it,
    not between the keywords and the form."""
    workshop = make_workshop(team, manager, step=Step.PROPOSE)
    services.participant_join(workshop=workshop, user=member)
    page = member_client.get(_url("workshop", workshop)).content.decode()
    live_ends, form, done = (
        page.index("</section>"),
        page.index('name="text"'),
        page.index("I'm done with this step"),
    )
    assert live_ends < form < done
    response = member_client.post(
        _url("workshop_done", workshop), {"done": "1"}, headers=_hx("workshop")
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="workshop"')
    assert "I'm done — undo" in content and 'hx-target="#workshop"' in content


def test_im_done_stays_in_the_live_part_when_no_form_follows_it(
    member_client, team, manager, member
):
    workshop = make_workshop(team, manager, step=Step.VOTE)
    services.participant_join(workshop=workshop, user=member)
    page = member_client.get(_url("workshop", workshop)).content.decode()
    assert page.index("I'm done with this step") < page.index("</section>")
    assert 'class="done-form"' in page and page.count('class="done-form"') == 1
