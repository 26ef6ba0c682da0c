import json

import pytest
from django.urls import reverse

from interviews.models import Highlight, Note

from .factories import GuideQuestionFactory, HighlightFactory, InterviewFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def interview(team, member):
    found = InterviewFactory(team=team, interviewer=member)
    GuideQuestionFactory(guide=found.guide, position=1, text="A recent time it went well?")
    GuideQuestionFactory(guide=found.guide, position=2, text="What would satisfy you?")
    return found


def _url(name, interview, *extra):
    return reverse(f"interviews:{name}", args=[interview.team.slug, interview.pk, *extra])


def test_notes_are_saved_as_typed_and_the_last_save_wins(member_client, interview):
    url = _url("note", interview)
    member_client.post(url, {"position": 1, "body": "Called"}, **JSON)
    response = member_client.post(url, {"position": 1, "body": "Called twice, no answer"}, **JSON)
    assert response.status_code == 200
    assert "saved" in response.json()
    note = Note.objects.get()
    assert note.body == "Called twice, no answer"
    assert note.question == "A recent time it went well?"


def test_without_consent_nothing_is_written_down(member_client, interview):
    interview.stakeholder.consent_notes = False
    interview.stakeholder.save()
    response = member_client.post(_url("note", interview), {"position": 1, "body": "x"}, **JSON)
    assert response.status_code == 400
    assert "did not agree" in response.json()["error"]
    response = member_client.post(_url("quote", interview), {"position": 1, "text": "x"})
    assert not Note.objects.exists() and not Highlight.objects.exists()


def test_a_note_for_a_question_outside_the_guide_is_refused(member_client, interview):
    response = member_client.post(_url("note", interview), {"position": 9, "body": "x"}, **JSON)
    assert response.status_code == 400


def test_interview_mode_shows_one_question_at_a_time(member_client, interview):
    response = member_client.get(_url("run", interview) + "?q=2")
    page = response.content.decode()
    assert "What would satisfy you?" in page
    assert "A recent time it went well?" not in page
    assert "Question 2 of 3" in page


def test_a_quote_keeps_the_exact_words_and_answers_the_fragment(member_client, interview):
    words = "  I never know who owns my request.  "
    response = member_client.post(
        _url("quote", interview), {"position": 1, "text": words}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="quotes"' in response.content.decode()
    assert Highlight.objects.get().text == "I never know who owns my request."


def test_an_empty_quote_is_refused_next_to_the_field(member_client, interview):
    response = member_client.post(
        _url("quote", interview), {"position": 1, "text": "   "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert not Highlight.objects.exists()


def test_tagging_a_quote_adds_the_keywords_to_the_vocabulary(member_client, interview, team):
    highlight = HighlightFactory(interview=interview, tone="")
    prefix = f"h{highlight.pk}"
    response = member_client.post(
        _url("highlight_tag", interview, highlight.pk),
        {f"{prefix}-keywords_text": "Responsive, clear", f"{prefix}-tone": "need"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    highlight.refresh_from_db()
    assert highlight.tone == "need"
    assert sorted(k.label for k in highlight.keywords.all()) == ["Responsive", "clear"]


def test_a_tag_with_a_bad_tone_is_refused_and_nothing_changes(member_client, interview):
    highlight = HighlightFactory(interview=interview, tone="praise")
    prefix = f"h{highlight.pk}"
    response = member_client.post(
        _url("highlight_tag", interview, highlight.pk), {f"{prefix}-tone": "angry"}
    )
    assert response.status_code == 200
    highlight.refresh_from_db()
    assert highlight.tone == "praise"


def test_a_highlight_of_another_interview_is_not_found(member_client, interview, team):
    other = HighlightFactory(interview__team=team)
    response = member_client.post(_url("highlight_tag", interview, other.pk), {})
    assert response.status_code == 404


def test_criteria_are_recorded_in_the_clients_words(member_client, interview):
    member_client.post(_url("criterion_add", interview), {"text": "Answers within the day"})
    assert [c.text for c in interview.criteria.all()] == ["Answers within the day"]


def test_the_stakeholder_page_shows_each_interview_in_turn(member_client, interview, team):
    HighlightFactory(interview=interview, text="Slow at first")
    again = InterviewFactory(team=team, stakeholder=interview.stakeholder, guide=interview.guide)
    HighlightFactory(interview=again, text="Much faster now")
    url = reverse("interviews:stakeholder", args=[team.slug, interview.stakeholder.pk])
    page = member_client.get(url).content.decode()
    assert page.index("Slow at first") < page.index("Much faster now")


def test_the_export_holds_everything_kept_about_the_person(manager_client, interview, team):
    HighlightFactory(interview=interview, text="Call me back")
    Note.objects.create(interview=interview, position=1, body="notes")
    url = reverse("interviews:stakeholder_export", args=[team.slug, interview.stakeholder.pk])
    data = json.loads(manager_client.get(url).content)
    assert data["name"] == interview.stakeholder.name
    assert data["interviews"][0]["quotes"] == ["Call me back"]
    assert data["interviews"][0]["notes"][0]["body"] == "notes"


def test_erasing_keeps_anonymous_tag_counts_only(manager_client, interview, team):
    highlight = HighlightFactory(interview=interview, text="Call me back")
    keyword = team.keywords.create(label="Responsive", normalised="responsive")
    highlight.keywords.add(keyword)
    Note.objects.create(interview=interview, position=1, body="private")
    interview.criteria.create(text="Same day")
    url = reverse("interviews:stakeholder_erase", args=[team.slug, interview.stakeholder.pk])
    manager_client.post(url)
    person = interview.stakeholder
    person.refresh_from_db()
    highlight.refresh_from_db()
    assert person.is_erased and person.name == "" and person.contact == ""
    assert highlight.text == "" and highlight.erased
    assert list(highlight.keywords.all()) == [keyword]
    assert not Note.objects.exists() and not interview.criteria.exists()


def test_notes_and_quotes_keep_the_topic_of_their_question(member_client, interview):
    interview.guide.questions.filter(position=2).update(topic="coordination")
    member_client.post(_url("note", interview), {"position": 2, "body": "IT and stores"}, **JSON)
    member_client.post(_url("quote", interview), {"position": 2, "text": "Nobody owns it"})
    assert Note.objects.get().topic == "coordination"
    assert Highlight.objects.get().topic == "coordination"
