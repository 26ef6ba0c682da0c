from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import selectors
from .models import GapMeeting, Step


def gap_summary_send(*, meeting_id: int) -> None:
    """E-mails a closed meeting's summary to each participant who did not opt out."""
    meeting = (
        GapMeeting.objects.select_related("team", "facilitator")
        .filter(pk=meeting_id, step=Step.CLOSED)
        .first()
    )
    if meeting is None:
        return
    sections = selectors.meeting_summary(meeting=meeting)
    ideas = list(meeting.ideas.select_related("owner"))
    url = settings.SITE_URL + reverse(
        "improvement:gap_summary", args=[meeting.team.slug, meeting.pk]
    )
    for person in selectors.summary_recipients(meeting=meeting):
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {"meeting": meeting, "sections": sections, "ideas": ideas, "url": url}
            subject = render_to_string("improvement/email/summary_subject.txt", context).strip()
            body = render_to_string("improvement/email/summary_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
