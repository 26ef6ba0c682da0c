"""Writes of the client-voice area."""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from charter.models import CharterPoint
from charter.services import keyword_get_or_create
from teams.models import ClientGroup, Team

from .guides import DEFAULT_GUIDES
from .models import (
    Belief,
    Criterion,
    FollowUp,
    Guide,
    GuideQuestion,
    Highlight,
    Interview,
    Note,
    Stakeholder,
    VoiceSettings,
)

# The interviewer hears of an interview when it is planned, and again the day before.
REMINDER_OFFSETS = (0, 24 * 60)
REMINDER_KIND = "interview"
FOLLOW_UP_KIND = "interview_follow_up"


@transaction.atomic
def stakeholder_create(*, team: Team, by: User, client_group: ClientGroup, **fields) -> Stakeholder:
    """Records a person of one of the team's client groups."""
    if client_group.team_id != team.pk:
        raise ValidationError(_("This client group belongs to another team."))
    return Stakeholder.objects.create(team=team, client_group=client_group, created_by=by, **fields)


@transaction.atomic
def guides_default_create(*, team: Team, language: str | None = None) -> list[Guide]:
    """Adds the two starter guides (internal, external) in `language`."""
    guides = []
    with translation.override(language or translation.get_language()):
        for kind, (title, questions) in DEFAULT_GUIDES.items():
            guide = Guide.objects.create(team=team, title=str(title), kind=kind)
            GuideQuestion.objects.bulk_create(
                GuideQuestion(
                    guide=guide,
                    position=i,
                    text=str(text),
                    purpose=str(why),
                    prompts=str(prompts),
                    topic=topic,
                )
                for i, (text, why, prompts, topic) in enumerate(questions, start=1)
            )
            guides.append(guide)
    return guides


@transaction.atomic
def guide_create(*, team: Team, title: str, kind: str, questions: list[str]) -> Guide:
    """A guide of the team's own: its questions in order."""
    guide = Guide.objects.create(team=team, title=title.strip(), kind=kind)
    GuideQuestion.objects.bulk_create(
        GuideQuestion(guide=guide, position=i, text=text[:300])
        for i, text in enumerate(questions, start=1)
    )
    return guide


def _guide_for(team: Team, stakeholder: Stakeholder) -> Guide:
    """The team's guide for the stakeholder's kind of client, the starters if none."""
    kind = stakeholder.client_group.kind
    guide = team.interview_guides.filter(kind=kind).order_by("pk").first()
    if guide is None:
        if not team.interview_guides.exists():
            guides_default_create(team=team)
        guide = team.interview_guides.filter(kind=kind).order_by("pk").first()
    return guide or team.interview_guides.order_by("pk").first()


@transaction.atomic
def interview_plan(
    *,
    team: Team,
    by: User,
    stakeholder: Stakeholder,
    interviewer: User,
    scheduled_at: datetime,
    duration_minutes: int = 45,
    guide: Guide | None = None,
) -> Interview:
    """Plans an interview and queues the interviewer's reminders (with the .ics event)."""
    if stakeholder.team_id != team.pk or (guide is not None and guide.team_id != team.pk):
        raise ValidationError(_("This belongs to another team."))
    if stakeholder.is_erased:
        raise ValidationError(_("This stakeholder's data was erased."))
    if not team.memberships.filter(user=interviewer).exists():
        raise ValidationError(_("The interviewer must be a member of the team."))
    interview = Interview.objects.create(
        team=team,
        stakeholder=stakeholder,
        guide=guide or _guide_for(team, stakeholder),
        interviewer=interviewer,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        created_by=by,
    )
    interview_reminders_plan(interview=interview)
    return interview


def interview_reminders_plan(*, interview: Interview, now: datetime | None = None) -> int:
    """The one place that queues an interview's reminders to its interviewer.

    Rows of the meetings app's exactly-once Reminder table (one per subject, person,
    kind and offset): planning twice queues once. The subject names the date, so a new
    date cancels the pending rows of the old one and queues new ones. Returns how many
    rows are pending for the interview's current date."""
    from notifications.models import Reminder

    now = now or timezone.now()
    prefix = f"interview:{interview.pk}:"
    subject = f"{prefix}{int(interview.scheduled_at.timestamp())}"
    pending = Reminder.objects.filter(
        kind=REMINDER_KIND, subject__startswith=prefix, status=Reminder.Status.PENDING
    )
    wanted = interview.status == Interview.Status.PLANNED and interview.interviewer_id
    if wanted:
        pending = pending.exclude(subject=subject, user=interview.interviewer_id)
    pending.update(status=Reminder.Status.CANCELLED)
    if not wanted:
        return 0
    rows = []
    for offset in REMINDER_OFFSETS:
        due = interview.scheduled_at - timedelta(minutes=offset) if offset else now
        if offset and due <= now:
            continue
        rows.append(
            Reminder(
                user_id=interview.interviewer_id,
                kind=REMINDER_KIND,
                subject=subject,
                offset_minutes=offset,
                due_at=due,
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def interview_reschedule(
    *, interview: Interview, scheduled_at: datetime, interviewer: User
) -> None:
    """A new date or interviewer: the .ics event is replaced and the reminders follow."""
    if not interview.team.memberships.filter(user=interviewer).exists():
        raise ValidationError(_("The interviewer must be a member of the team."))
    interview.scheduled_at = scheduled_at
    interview.interviewer = interviewer
    interview.sequence += 1
    interview.save(update_fields=["scheduled_at", "interviewer", "sequence"])
    interview_reminders_plan(interview=interview)


def _check_consent(interview: Interview) -> None:
    if not interview.stakeholder.consent_notes or interview.stakeholder.is_erased:
        raise ValidationError(
            _("The stakeholder did not agree that we keep notes: nothing can be written down.")
        )


def interview_start(*, interview: Interview) -> None:
    if interview.started_at is None:
        interview.started_at = timezone.now()
        interview.save(update_fields=["started_at"])


def _question(interview: Interview, position: int) -> GuideQuestion | None:
    """The guide's question at `position` (0: the free notes, no question)."""
    if position == 0:
        return None
    question = GuideQuestion.objects.filter(guide=interview.guide_id, position=position).first()
    if question is None:
        raise ValidationError(_("This question is not in the interview's guide."))
    return question


def note_save(*, interview: Interview, position: int, body: str) -> Note:
    """Keeps the notes of one question as typed (the last save wins)."""
    _check_consent(interview)
    question = _question(interview, position)
    note, _created = Note.objects.update_or_create(
        interview=interview,
        position=position,
        defaults={
            "body": body,
            "question": question.text if question else "",
            "topic": question.topic if question else "",
        },
    )
    return note


def highlight_add(*, interview: Interview, position: int, text: str) -> Highlight:
    """Keeps the client's exact words, to tag after the interview."""
    _check_consent(interview)
    text = text.strip()
    if not text:
        raise ValidationError(_("Select or type the client's words first."))
    question = _question(interview, position)
    return Highlight.objects.create(
        interview=interview,
        position=position,
        topic=question.topic if question else "",
        text=text[:1000],
    )


@transaction.atomic
def highlight_tag(
    *, highlight: Highlight, keywords: list[str], tone: str, point_lineage: uuid.UUID | None
) -> Highlight:
    """Tags the words with the team's keywords (new words join its vocabulary), a tone
    and the charter point they concern."""
    team = highlight.interview.team
    highlight.tone = tone
    highlight.point_lineage = point_lineage
    highlight.save(update_fields=["tone", "point_lineage"])
    highlight.keywords.set({keyword_get_or_create(team=team, text=t).pk for t in keywords})
    return highlight


def highlight_delete(*, highlight: Highlight) -> None:
    highlight.delete()


def criterion_add(*, interview: Interview, text: str) -> Criterion:
    _check_consent(interview)
    return Criterion.objects.create(interview=interview, text=text.strip()[:200])


def criterion_delete(*, criterion: Criterion) -> None:
    criterion.delete()


def interview_finish(*, interview: Interview) -> None:
    """Marks the interview done; its pending reminders are no longer needed."""
    interview.status = Interview.Status.DONE
    interview.ended_at = interview.ended_at or timezone.now()
    interview.save(update_fields=["status", "ended_at"])
    interview_reminders_plan(interview=interview)


def belief_create(*, team: Team, author: User, keyword: str, statement: str) -> Belief:
    return Belief.objects.create(
        team=team,
        author=author,
        keyword=keyword_get_or_create(team=team, text=keyword),
        statement=statement.strip(),
    )


def belief_delete(*, belief: Belief) -> None:
    belief.delete()


def voice_settings_save(*, team: Team, evidence_days: int) -> VoiceSettings:
    found, _created = VoiceSettings.objects.update_or_create(
        team=team, defaults={"evidence_days": evidence_days}
    )
    return found


@transaction.atomic
def stakeholder_erase(*, stakeholder: Stakeholder) -> None:
    """Erases a person on request: name, contact details, notes, criteria and their
    words go; the anonymous tags of their words (keywords, tone, point) stay counted."""
    interviews = Interview.objects.filter(stakeholder=stakeholder)
    Note.objects.filter(interview__in=interviews).delete()
    Criterion.objects.filter(interview__in=interviews).delete()
    Highlight.objects.filter(interview__in=interviews).update(text="", erased=True)
    stakeholder.name = ""
    stakeholder.role = ""
    stakeholder.organisation = ""
    stakeholder.contact = ""
    stakeholder.consent_named = False
    stakeholder.erased_at = timezone.now()
    stakeholder.save()
    interviews.filter(status=Interview.Status.PLANNED).update(status=Interview.Status.CANCELLED)
    for interview in interviews:
        interview_reminders_plan(interview=interview)


def followup_send(
    *,
    stakeholder: Stakeholder,
    by: User,
    message: str,
    point: CharterPoint | None = None,
    idea_title: str = "",
) -> FollowUp:
    """Queues the stakeholder's one "you said, we did" e-mail, in their language, and
    records it. Only the team's own words go in it: the message, the charter point or
    the idea it led to; never another client's words (nor theirs: they know them).

    The record is unique per stakeholder, so a second send (a double click, two
    colleagues) stops there. The e-mail is an outbox row written in the same transaction
    (notifications): sent once by the dispatcher, whatever fails on the way."""
    from notifications.models import Reminder
    from notifications.services import reminders_add

    address = stakeholder.contact.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(_("Their contact is not an e-mail address.")) from None
    if stakeholder.is_erased:
        raise ValidationError(_("This stakeholder's data was erased."))
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                stakeholder=stakeholder,
                message=message.strip(),
                point_lineage=point.lineage if point else None,
                idea_title=idea_title[:200],
                sent_by=by,
                sent_at=timezone.now(),
            )
            row = Reminder(
                email=address,
                kind=FOLLOW_UP_KIND,
                subject=f"follow-up:{follow_up.pk}",
                due_at=timezone.now(),
            )
            reminders_add(rows=[row])
    except IntegrityError:
        raise ValidationError(_("The follow-up was already sent to this person.")) from None
    return follow_up
