from tests.access import EVERY_MEMBER, MANAGERS_ONLY, Case, post, statuses, team_kwargs

from .factories import ChangeIdeaFactory, GapAnswerFactory, GapMeetingFactory

EVERYONE_REDIRECTED = statuses(member=302, lead=302, manager=302)
MANAGERS_REDIRECTED = statuses(member=403, lead=403, manager=302)


def _idea(w):
    return {**team_kwargs(w), "pk": ChangeIdeaFactory(team=w.team, owner=w.member).pk}


def _meeting(w):
    return {**team_kwargs(w), "pk": GapMeetingFactory(team=w.team, facilitator=w.manager).pk}


def _answer(w):
    answer = GapAnswerFactory(meeting__team=w.team, author=w.member)
    return {**team_kwargs(w), "pk": answer.meeting_id, "answer_pk": answer.pk}


CASES = {
    "improvement:board": Case(kwargs=team_kwargs),
    "improvement:idea_create": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
    "improvement:idea": Case(kwargs=_idea),
    "improvement:idea_edit": Case(kwargs=_idea, also=post(EVERY_MEMBER)),
    "improvement:idea_move": Case(
        kwargs=_idea,
        method="post",
        data=lambda w: {"phase": "dropped", "reason": "Tried elsewhere"},
        expected=EVERYONE_REDIRECTED,
    ),
    "improvement:idea_comment": Case(
        kwargs=_idea, method="post", data=lambda w: {"body": "Nice"}, expected=EVERYONE_REDIRECTED
    ),
    "improvement:follow_up": Case(kwargs=team_kwargs),
    "improvement:follow_up_done": Case(
        kwargs=team_kwargs, method="post", expected=MANAGERS_REDIRECTED
    ),
    "improvement:gap_list": Case(kwargs=team_kwargs),
    "improvement:gap_start": Case(
        kwargs=team_kwargs, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)
    ),
    "improvement:summary_emails": Case(
        kwargs=team_kwargs, method="post", expected=EVERYONE_REDIRECTED
    ),
    "improvement:gap_meeting": Case(kwargs=_meeting, expected=EVERY_MEMBER),
    "improvement:gap_answer": Case(
        kwargs=_meeting,
        method="post",
        data=lambda w: {"question": "benefit", "body": "Calmer clients"},
        expected=EVERYONE_REDIRECTED,
    ),
    "improvement:gap_facilitate": Case(kwargs=_meeting, expected=MANAGERS_ONLY),
    "improvement:gap_present": Case(kwargs=_meeting, expected=MANAGERS_ONLY),
    "improvement:gap_control": Case(
        kwargs=_meeting,
        method="post",
        data=lambda w: {"action": "add_time"},
        expected=MANAGERS_REDIRECTED,
    ),
    "improvement:gap_arrange": Case(
        kwargs=_answer,
        method="post",
        data=lambda w: {"highlighted": "true"},
        expected=MANAGERS_REDIRECTED,
    ),
    "improvement:gap_answer_idea": Case(
        kwargs=_answer,
        method="post",
        data=lambda w: {"title": "Call back", "owner": w.member.pk},
        expected=MANAGERS_REDIRECTED,
    ),
    "improvement:gap_summary": Case(kwargs=_meeting),
    "improvement:gap_export_csv": Case(kwargs=_meeting),
    "improvement:gap_export_md": Case(kwargs=_meeting),
}

CASES.update(
    {
        "improvement:checkin": Case(kwargs=team_kwargs, also=post(EVERY_MEMBER)),
        "improvement:checkin_history": Case(kwargs=team_kwargs),
        "improvement:checkin_team": Case(kwargs=team_kwargs),
        "improvement:checkin_settings": Case(
            kwargs=team_kwargs, expected=MANAGERS_ONLY, also=post(MANAGERS_ONLY)
        ),
        "improvement:checkin_indicators": Case(
            kwargs=team_kwargs, method="post", expected=MANAGERS_REDIRECTED
        ),
        "improvement:checkin_reminders": Case(
            kwargs=team_kwargs, method="post", expected=EVERYONE_REDIRECTED
        ),
    }
)
