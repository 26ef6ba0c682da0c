import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from improvement import live, selectors, services
from improvement.models import ChangeIdea, GapAnswer, GapMeeting, Source, Step, SummaryOptOut
from notifications import services as outbox
from tests.factories import MembershipFactory

from .factories import GapAnswerFactory


@pytest.fixture
def meeting(team, manager):
    return services.gap_meeting_start(team=team, facilitator=manager, focus_area="follow_up")


def _url(name, meeting, *extra):
    return reverse(f"improvement:{name}", args=[meeting.team.slug, meeting.pk, *extra])


def _csv_answers(client, meeting) -> list[list[str]]:
    """The CSV export's table, after its header (what it holds, then a blank line)."""
    text = client.get(_url("gap_export_csv", meeting)).content.decode()
    return list(csv.reader(io.StringIO(text)))[3:]


def test_a_manager_starts_a_meeting_with_time_boxes(manager_client, team):
    response = manager_client.post(
        reverse("improvement:gap_start", args=[team.slug]),
        {
            "focus_area": "timeliness",
            "focus_detail": "",
            "minutes_benefit": 5,
            "minutes_obstacles": 7,
            "minutes_actions": 9,
            "minutes_wrapup": 7,
        },
    )
    meeting = GapMeeting.objects.get()
    assert response.url == _url("gap_facilitate", meeting)
    assert meeting.step == Step.BENEFIT
    assert 299 <= meeting.seconds_left() <= 300


def test_free_text_focus_needs_words(manager_client, team):
    url = reverse("improvement:gap_start", args=[team.slug])
    data = {
        "focus_area": "other",
        "focus_detail": " ",
        "minutes_benefit": 7,
        "minutes_obstacles": 7,
        "minutes_actions": 7,
        "minutes_wrapup": 7,
    }
    assert manager_client.post(url, data).status_code == 200
    assert manager_client.post(url, {**data, "minutes_benefit": 0}).status_code == 200
    assert not GapMeeting.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        GapMeeting.objects.create(team=team, focus_area="other")


def test_answers_stay_hidden_until_revealed(meeting, member, lead, member_client, lead_client):
    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Calmer")
    assert "Calmer" in member_client.get(_url("gap_meeting", meeting)).content.decode()
    assert "Calmer" not in lead_client.get(_url("gap_meeting", meeting)).content.decode()
    services.gap_meeting_reveal(meeting=meeting, question="benefit")
    assert "Calmer" in lead_client.get(_url("gap_meeting", meeting)).content.decode()


def test_anonymous_answers_hide_their_author(meeting, member, lead_client, manager_client):
    services.gap_answer_post(
        meeting=meeting, author=member, question="benefit", body="Secret idea", anonymous=True
    )
    services.gap_meeting_reveal(meeting=meeting, question="benefit")
    for client in (lead_client, manager_client):
        html = client.get(_url("gap_meeting", meeting)).content.decode()
        assert "Secret idea" in html and "Mia Member" not in html
    facilitator = manager_client.get(_url("gap_facilitate", meeting)).content.decode()
    assert "Secret idea" in facilitator and "Mia Member" not in facilitator


def test_a_member_posts_an_answer_from_the_phone(meeting, member_client):
    response = member_client.post(
        _url("gap_answer", meeting),
        {"question": "benefit", "body": "Fewer repeat calls", "anonymous": "on"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="live"')
    answer = GapAnswer.objects.get()
    assert answer.anonymous and answer.body == "Fewer repeat calls"
    # A fresh, empty answer box (a new id) after each answer; polls keep the same one.
    assert 'id="answer-benefit-1"' in html


def test_an_empty_answer_rerenders_with_an_error(meeting, member_client):
    response = member_client.post(
        _url("gap_answer", meeting), {"question": "benefit", "body": "  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not GapAnswer.objects.exists()
    bad = member_client.post(_url("gap_answer", meeting), {"question": "nope", "body": "x"})
    assert bad.status_code == 302 and not GapAnswer.objects.exists()


def test_a_poll_without_change_is_204_and_cheap(
    team, manager, member_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.gap_meeting_start(team=team, facilitator=manager, focus_area="follow_up")
    version = live.GAP_MEETING.version(meeting.pk)
    url = _url("gap_meeting", meeting) + f"?v={version}"
    with django_assert_max_num_queries(2):
        response = member_client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response.content == b""


def test_a_poll_after_a_change_renders_the_fragment(
    meeting, member, lead_client, django_capture_on_commit_callbacks
):
    version = live.GAP_MEETING.version(meeting.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Hi")
    after = live.GAP_MEETING.version(meeting.pk)
    assert after == str(int(version) + 1)
    response = lead_client.get(
        _url("gap_meeting", meeting) + f"?v={version}", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f"?v={after}" in html


@pytest.mark.parametrize("view", ["gap_meeting", "gap_facilitate"])
def test_a_change_committed_while_a_poll_reads_is_not_missed(
    view, meeting, manager, manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    # The facilitator pauses the timer just as a screen's poll reads the meeting: the
    # screen gets the meeting as it was, so it must also get the version from before
    # the pause, and its next poll must fetch the paused timer.
    before = live.GAP_MEETING.version(meeting.pk)
    read = selectors.gap_meeting_get

    def read_then_pause(**kwargs):
        found = read(**kwargs)
        live.GAP_MEETING._bump(
            meeting.pk, live.EVERYONE, live.TIMER
        )  # the pause, committed between the read and the render
        return found

    monkeypatch.setattr(selectors, "gap_meeting_get", read_then_pause)
    response = manager_client.get(_url(view, meeting) + "?v=old", HTTP_HX_REQUEST="true")
    assert f"?v={before}" in response.content.decode()
    monkeypatch.undo()
    again = manager_client.get(_url(view, meeting) + f"?v={before}", HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and f"?v={int(before) + 1}" in again.content.decode()


def test_the_facilitator_poll_is_also_versioned(meeting, manager_client):
    version = live.GAP_MEETING.version(meeting.pk)
    url = _url("gap_facilitate", meeting) + f"?v={version}"
    assert manager_client.get(url, HTTP_HX_REQUEST="true").status_code == 204
    full = manager_client.get(_url("gap_facilitate", meeting))
    assert "<html" in full.content.decode()


def test_the_shared_timer_pauses_resumes_and_gets_more_time(meeting, manager_client):
    url = _url("gap_control", meeting)
    manager_client.post(url, {"action": "pause"}, HTTP_HX_REQUEST="true")
    meeting.refresh_from_db()
    assert meeting.is_paused and meeting.step_ends_at is None
    paused = meeting.paused_remaining
    manager_client.post(url, {"action": "add_time"}, HTTP_HX_REQUEST="true")
    meeting.refresh_from_db()
    assert meeting.paused_remaining == paused + 60
    response = manager_client.post(url, {"action": "pause"}, HTTP_HX_REQUEST="true")
    meeting.refresh_from_db()
    assert not meeting.is_paused and meeting.seconds_left() >= paused + 58
    assert "data-timer" in response.content.decode()


def test_the_timer_can_never_be_both_running_and_paused(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        GapMeeting.objects.filter(pk=meeting.pk).update(paused_remaining=30)


def test_steps_follow_the_three_questions_then_the_wrap_up(meeting, manager_client):
    url = _url("gap_control", meeting)
    steps = []
    for _ in range(3):
        manager_client.post(url, {"action": "next"})
        meeting.refresh_from_db()
        steps.append(meeting.step)
    assert steps == ["obstacles", "actions", "wrapup"]
    assert meeting.is_revealed("benefit")  # the wrap-up shows every answer
    with pytest.raises(ValidationError):
        services.gap_meeting_next_step(meeting=meeting)


def test_an_unknown_control_is_harmless(meeting, manager_client):
    response = manager_client.post(
        _url("gap_control", meeting), {"action": "explode"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Unknown action" in response.content.decode()


def test_the_facilitator_groups_and_highlights(meeting, manager_client, member):
    answer = GapAnswerFactory(meeting=meeting, author=member)
    url = _url("gap_arrange", meeting, answer.pk)
    manager_client.post(url, {"group_label": "Speed "}, HTTP_HX_REQUEST="true")
    manager_client.post(url, {"highlighted": "true"}, HTTP_HX_REQUEST="true")
    answer.refresh_from_db()
    assert (answer.group_label, answer.highlighted) == ("Speed", True)


def test_the_facilitator_view_shows_prompts(meeting, manager_client):
    html = manager_client.get(_url("gap_facilitate", meeting)).content.decode()
    assert "Questions to ask the team" in html
    assert "what would have been different for them" in html


def test_facilitator_page_in_constant_queries(
    meeting, manager_client, team, django_assert_max_num_queries
):
    people = [MembershipFactory(team=team).user for _ in range(5)]
    for i in range(30):
        GapAnswerFactory(meeting=meeting, author=people[i % 5], group_label=f"G{i % 3}")
    with django_assert_max_num_queries(12):
        response = manager_client.get(_url("gap_facilitate", meeting))
    assert response.content.decode().count('class="answer') == 30
    services.gap_meeting_next_step(meeting=meeting)
    services.gap_meeting_next_step(meeting=meeting)
    services.gap_meeting_next_step(meeting=meeting)
    with django_assert_max_num_queries(12):
        response = manager_client.get(_url("gap_facilitate", meeting))
    assert response.content.decode().count("Turn into an idea") == 30


def test_participant_page_in_constant_queries(
    meeting, member_client, team, django_assert_max_num_queries
):
    people = [MembershipFactory(team=team).user for _ in range(5)]
    for i in range(30):
        GapAnswerFactory(meeting=meeting, author=people[i % 5])
    services.gap_meeting_reveal(meeting=meeting, question="benefit")
    with django_assert_max_num_queries(10):
        response = member_client.get(_url("gap_meeting", meeting))
    assert response.content.decode().count("Answer ") >= 30


def test_wrap_up_turns_an_answer_into_an_idea(meeting, manager_client, member, lead):
    answer = GapAnswerFactory(
        meeting=meeting, author=member, question="actions", body="Call back the same day"
    )
    response = manager_client.post(
        _url("gap_answer_idea", meeting, answer.pk),
        {"title": "Same-day call back", "owner": lead.pk, "next_step": "Try it on Monday"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    idea = ChangeIdea.objects.get()
    assert (idea.owner, idea.source, idea.gap_meeting, idea.source_answer) == (
        lead,
        Source.GAP_ANALYSIS,
        meeting,
        answer,
    )
    again = manager_client.post(
        _url("gap_answer_idea", meeting, answer.pk),
        {"title": "Twice", "owner": lead.pk},
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 200 and ChangeIdea.objects.count() == 1
    missing = manager_client.post(
        _url("gap_answer_idea", meeting, answer.pk), {}, HTTP_HX_REQUEST="true"
    )
    assert missing.status_code == 200


def test_closing_sends_the_summary_to_participants_who_want_it(
    meeting, manager_client, member, lead, team, django_capture_on_commit_callbacks
):
    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Trust")
    services.gap_meeting_next_step(meeting=meeting)
    services.gap_answer_post(meeting=meeting, author=lead, question="obstacles", body="Noise")
    SummaryOptOut.objects.create(team=team, user=lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            _url("gap_control", meeting), {"action": "close"}, HTTP_HX_REQUEST="true"
        )
    assert response.headers["HX-Redirect"] == _url("gap_summary", meeting)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([member.email, meeting.facilitator.email])
    assert "Trust" in mail.outbox[0].body and "follow" in mail.outbox[0].subject.lower()
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Late")


def test_a_closed_meeting_sends_people_to_its_summary(meeting, member_client):
    services.gap_meeting_close(meeting=meeting)
    assert member_client.get(_url("gap_meeting", meeting)).url == _url("gap_summary", meeting)


def test_summary_email_preference(member_client, member, team):
    url = reverse("improvement:summary_emails", args=[team.slug])
    member_client.post(url, {})
    assert not selectors.wants_summary_emails(team=team, user=member)
    member_client.post(url, {"wanted": "on"})
    assert selectors.wants_summary_emails(team=team, user=member)


def test_summary_and_exports(meeting, member, member_client, lead):
    GapAnswerFactory(
        meeting=meeting,
        author=member,
        question="actions",
        body="Shared inbox",
        group_label="Tools",
        highlighted=True,
    )
    GapAnswerFactory(
        meeting=meeting, author=member, question="benefit", body="Hidden name", anonymous=True
    )
    answer = meeting.answers.get(body="Shared inbox")
    services.gap_answer_to_idea(answer=answer, title="Shared inbox", owner=lead, by=lead)
    services.gap_meeting_close(meeting=meeting)
    html = member_client.get(_url("gap_summary", meeting)).content.decode()
    assert "Shared inbox" in html and "Leo Lead" in html
    rows = _csv_answers(member_client, meeting)
    assert rows[0][0] == "Question"
    assert any(r[3] == "Hidden name" and r[4] == "Anonymous" for r in rows)
    assert any(r[3] == "Shared inbox" and r[5] == "Shared inbox" and r[2] == "x" for r in rows)
    md = member_client.get(_url("gap_export_md", meeting))
    assert md["Content-Type"].startswith("text/markdown")
    assert "**[Tools] Shared inbox**" in md.content.decode()


def test_the_list_in_constant_queries(team, manager, member_client, django_assert_max_num_queries):
    for _ in range(10):
        m = services.gap_meeting_start(team=team, facilitator=manager, focus_area="timeliness")
        GapAnswerFactory(meeting=m, author=manager)
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("improvement:gap_list", args=[team.slug]))
    assert response.content.decode().count("<tr>") == 11


def test_a_meeting_of_another_team_is_not_found(member_client, team, outsider):
    other = GapMeeting.objects.create(
        team=outsider.memberships.get().team,
        focus_area="timeliness",
        step_ends_at=timezone.now() + timedelta(minutes=7),
    )
    assert (
        member_client.get(
            reverse("improvement:gap_meeting", args=[team.slug, other.pk])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["gap_answer", "gap_control"])
def test_changes_refuse_get(meeting, manager_client, name):
    assert manager_client.get(_url(name, meeting)).status_code == 405


# Answers only to the question on the shared screen


def test_an_answer_goes_only_to_the_current_question(meeting, member):
    with pytest.raises(ValidationError, match="Question 2 is not open"):
        services.gap_answer_post(meeting=meeting, author=member, question="obstacles", body="x")
    services.gap_meeting_next_step(meeting=meeting)
    with pytest.raises(ValidationError, match="Question 1 is over"):
        services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="x")
    services.gap_answer_post(meeting=meeting, author=member, question="obstacles", body="Noise")
    services.gap_meeting_next_step(meeting=meeting)
    services.gap_meeting_next_step(meeting=meeting)  # the wrap-up
    with pytest.raises(ValidationError, match="wrap-up"):
        services.gap_answer_post(meeting=meeting, author=member, question="actions", body="x")
    assert list(GapAnswer.objects.values_list("body", flat=True)) == ["Noise"]


def test_a_late_answer_from_the_phone_says_why_it_was_not_saved(meeting, member_client):
    services.gap_meeting_next_step(meeting=meeting)
    data = {"question": "benefit", "body": "Typed before the facilitator moved on"}
    response = member_client.post(_url("gap_answer", meeting), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Question 1 is over" in response.content.decode()
    page = member_client.post(_url("gap_answer", meeting), data, follow=True).content.decode()
    assert "Your answer was not saved" in page and "Question 1 is over" in page
    assert not GapAnswer.objects.exists()


# Exports show what the summary page shows


def test_the_exports_of_an_open_meeting_leave_out_answers_not_revealed(
    meeting, member, member_client
):
    GapAnswerFactory(meeting=meeting, author=member, question="benefit", body="Shown benefit")
    GapAnswerFactory(meeting=meeting, author=member, question="obstacles", body="Hidden obstacle")
    services.gap_meeting_reveal(meeting=meeting, question="benefit")
    summary = member_client.get(_url("gap_summary", meeting)).content.decode()
    assert "Shown benefit" in summary and "Hidden obstacle" not in summary
    csv_text = member_client.get(_url("gap_export_csv", meeting)).content.decode()
    md_text = member_client.get(_url("gap_export_md", meeting)).content.decode()
    for text in (csv_text, md_text):
        assert "Shown benefit" in text and "Hidden obstacle" not in text
    assert "Not revealed yet." in md_text


def test_summary_and_exports_in_constant_queries(
    meeting, member_client, lead, django_assert_max_num_queries
):
    for n in range(12):
        answer = GapAnswerFactory(meeting=meeting, author=lead, question="actions", body=f"A{n}")
        if n % 3 == 0:
            services.gap_answer_to_idea(answer=answer, title=f"Idea {n}", owner=lead, by=lead)
    services.gap_meeting_close(meeting=meeting)
    for name in ("gap_summary", "gap_export_csv", "gap_export_md"):
        with django_assert_max_num_queries(8):
            response = member_client.get(_url(name, meeting))
        assert response.status_code == 200 and "A11" in response.content.decode()


# The summary e-mail goes through the reminders: once each, whatever happens


def test_closing_plans_one_summary_reminder_per_participant(meeting, member, lead, team):
    from notifications.models import Reminder

    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Trust")
    services.gap_answer_post(meeting=meeting, author=lead, question="benefit", body="Calm")
    SummaryOptOut.objects.create(team=team, user=lead)
    services.gap_meeting_close(meeting=meeting)
    rows = Reminder.objects.filter(kind="gap_summary")
    assert sorted(rows.values_list("user", flat=True)) == sorted(
        [member.pk, meeting.facilitator_id]
    )
    assert set(rows.values_list("subject", flat=True)) == {f"gap:{meeting.pk}"}


def test_a_summary_is_sent_once_even_delivered_twice_and_one_failure_stops_nobody_else(
    meeting, member, lead, monkeypatch
):
    from smtplib import SMTPException

    from notifications import emails
    from notifications.models import Reminder

    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Trust")
    services.gap_answer_post(meeting=meeting, author=lead, question="benefit", body="Calm")
    services.gap_meeting_close(meeting=meeting)
    rows = list(Reminder.objects.filter(kind="gap_summary").order_by("pk"))
    assert len(rows) == 3
    deliver = emails.deliver

    def flaky(message, reminder):
        if reminder.user_id == member.pk:
            raise SMTPException("mailbox full")
        deliver(message, reminder)

    monkeypatch.setattr(emails, "deliver", flaky)
    mail.outbox.clear()
    for _delivery in range(2):  # every task delivered twice
        for row in rows:
            try:
                outbox.reminder_send(reminder_id=row.pk)
            except SMTPException:
                pass  # the task retries later
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, meeting.facilitator.email])
    failed = Reminder.objects.get(kind="gap_summary", user=member)
    assert (failed.status, failed.attempts) == ("pending", 2)
    monkeypatch.setattr(emails, "deliver", deliver)
    outbox.reminder_send(reminder_id=Reminder.objects.get(user=member, kind="gap_summary").pk)
    assert len(mail.outbox) == 3 and "Trust" in mail.outbox[-1].body


def test_a_summary_is_not_sent_to_someone_who_opted_out_meanwhile(meeting, member, team):
    from notifications.models import Reminder

    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Trust")
    services.gap_meeting_close(meeting=meeting)
    services.summary_emails_set(team=team, user=member, wanted=False)
    row = Reminder.objects.get(kind="gap_summary", user=member)
    mail.outbox.clear()
    assert outbox.reminder_send(reminder_id=row.pk) is False
    assert not mail.outbox and Reminder.objects.get(pk=row.pk).status == "skipped"


def test_an_answer_cannot_run_as_a_formula_in_the_csv_export(meeting, member, member_client):
    GapAnswerFactory(meeting=meeting, author=member, question="actions", body="=HYPERLINK(x)")
    services.gap_meeting_close(meeting=meeting)
    rows = _csv_answers(member_client, meeting)
    assert any(r[3] == "'=HYPERLINK(x)" for r in rows)


def test_an_answer_the_facilitator_hid_is_in_no_summary_nor_export(
    meeting, member, lead, manager_client, member_client, lead_client
):
    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Calmer")
    services.gap_answer_post(meeting=meeting, author=lead, question="benefit", body="Rude words")
    rude = meeting.answers.get(body="Rude words")
    response = manager_client.post(
        _url("gap_arrange", meeting, rude.pk), {"hidden": "true"}, headers={"HX-Request": "true"}
    )
    assert "hidden from the team" in response.content.decode()  # the facilitator still sees it
    services.gap_meeting_reveal(meeting=meeting, question="benefit")
    # The team's screens: gone, except for its author, who is told.
    assert "Rude words" not in member_client.get(_url("gap_meeting", meeting)).content.decode()
    own = lead_client.get(_url("gap_meeting", meeting)).content.decode()
    assert "Rude words" in own and "the facilitator hid it from the team" in own
    services.gap_meeting_close(meeting=meeting)

    summary = manager_client.get(_url("gap_summary", meeting)).content.decode()
    assert "Calmer" in summary and "Rude words" not in summary
    assert "1 answer hidden by the facilitator is left out." in summary
    text = manager_client.get(_url("gap_export_csv", meeting)).content.decode()
    header = list(csv.reader(io.StringIO(text)))[:3]
    assert header[0][0] == "Follow-up"
    assert "1 answer hidden by the facilitator is left out." in header[1][0]
    assert "Calmer" in text and "Rude words" not in text
    md = manager_client.get(_url("gap_export_md", meeting)).content.decode()
    assert "Rude words" not in md and "hidden by the facilitator is left out" in md
    with pytest.raises(ValidationError, match="hidden from the team"):
        services.gap_answer_to_idea(answer=rude, title="x", owner=lead, by=lead)


def test_the_facilitator_shows_a_hidden_answer_again(meeting, member, manager_client):
    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Calmer")
    answer = meeting.answers.get()
    url = _url("gap_arrange", meeting, answer.pk)
    manager_client.post(url, {"hidden": "true"})
    manager_client.post(url, {"hidden": "false"})
    assert not GapAnswer.objects.get(pk=answer.pk).hidden


def test_the_export_says_an_open_meeting_holds_only_revealed_answers(
    meeting, member, member_client
):
    services.gap_answer_post(meeting=meeting, author=member, question="benefit", body="Calmer")
    text = member_client.get(_url("gap_export_csv", meeting)).content.decode()
    assert "only the answers already revealed" in list(csv.reader(io.StringIO(text)))[1][0]


def test_post_anonymously_starts_from_the_members_default_for_each_answer(
    meeting, member, member_client
):
    url = _url("gap_answer", meeting)
    hx = {"HX-Request": "true"}
    checkbox = r'<input type="checkbox" name="anonymous" id="([^"]+)"[^>]*>'
    before = re.search(checkbox, member_client.get(_url("gap_meeting", meeting)).text)
    response = member_client.post(
        url, {"question": "benefit", "body": "First", "anonymous": "on"}, headers=hx
    )
    after = re.search(checkbox, response.text)
    # htmx's hx-preserve keeps a box by its id, ticked: the next answer gets a new box,
    # with the member's default (not anonymous).
    assert after.group(1) != before.group(1) and "checked" not in after.group(0)
    member.anonymous_by_default = True
    member.save()
    page = member_client.get(_url("gap_meeting", meeting)).text
    box = re.search(r'<input type="checkbox" name="anonymous" id="([^"]+)"[^>]*>', page)
    assert "checked" in box.group(0)
    assert GapAnswer.objects.get().anonymous


def test_an_observation_starts_from_the_members_default(member_client, team, member):
    url = reverse("charter:observation_create", args=[team.slug])
    assert 'name="hide_author" id="id_hide_author" checked' not in member_client.get(url).text
    member.anonymous_by_default = True
    member.save()
    assert "checked" in re.search(
        r'<input[^>]*name="hide_author"[^>]*>', member_client.get(url).text
    ).group(0)
