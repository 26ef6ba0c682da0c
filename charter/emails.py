from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from teams.models import Membership

from .models import CharterVersion


def charter_published_send(*, version_id: int) -> None:
    """E-mails every member of the team the newly published charter, in their language."""
    version = (
        CharterVersion.objects.select_related("charter__team", "published_by")
        .prefetch_related("points")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return
    team = version.charter.team
    url = settings.SITE_URL + reverse("charter:charter", args=[team.slug])
    messages = []
    for membership in Membership.objects.filter(team=team).select_related("user"):
        user = membership.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"version": version, "team": team, "url": url, "user": user}
            subject = render_to_string("charter/email/published_subject.txt", context).strip()
            body = render_to_string("charter/email/published_body.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    send_mass_mail(messages)
