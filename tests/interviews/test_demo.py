from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from charter.models import Workshop
from interviews.models import Highlight, Interview


def test_the_demo_shows_client_words_in_the_workshop_and_on_a_point(db):
    call_command("seed_demo", verbosity=0)
    assert not mail.outbox
    assert Interview.objects.filter(status="done").count() == 4
    assert Highlight.objects.filter(keywords__isnull=False).exists()
    manager = User.objects.get(email__startswith="claire@")
    client = Client()
    client.force_login(manager)
    workshop = Workshop.objects.filter(published_at__isnull=True).order_by("-created_at").first()
    team = workshop.team
    page = client.get(
        reverse("charter:workshop_run", args=[team.slug, workshop.pk])
    ).content.decode()
    assert "What our clients said" in page
    assert "Nadia" not in page  # not named: masked on the projector
    highlight = Highlight.objects.filter(point_lineage__isnull=False).first()
    url = reverse("interviews:point", args=[team.slug, highlight.point_lineage])
    assert highlight.text in client.get(url).content.decode()
    synthesis = client.get(reverse("interviews:synthesis", args=[team.slug])).content.decode()
    assert "Answers within the day" in synthesis
