"""Sign-up -> create a team -> invite -> the invitee accepts in another browser."""

import re

import pytest
from django.core import mail

from teams.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def test_a_manager_signs_up_creates_a_team_and_an_invitee_joins_it(new_page, live_server, settings):
    settings.SITE_URL = live_server.url

    # A manager signs up, naming her organisation, and confirms her e-mail address.
    manager = new_page()
    manager.goto("/accounts/signup/")
    manager.get_by_label("Email").fill("nora@example.com")
    manager.get_by_label("Your name").fill("Nora Manager")
    manager.get_by_label("Organisation").fill("Acme Water")
    manager.get_by_label("Password", exact=True).fill("a-long-pass-phrase-42")
    manager.get_by_label("Password (again)").fill("a-long-pass-phrase-42")
    manager.get_by_role("button", name="Create my account").click()
    manager.get_by_text("Verify Your Email Address").wait_for()
    confirm_path = _link_in_last_mail(r"/accounts/confirm-email/[^\s]+")
    manager.goto(confirm_path)
    manager.get_by_role("button", name="Confirm").click()

    # Home explains the next step; she creates the team.
    manager.get_by_text("You are not in a team yet.").wait_for()
    manager.get_by_role("link", name="Create a team in Acme Water").click()
    manager.get_by_label("Name").fill("Billing Support")
    manager.get_by_role("button", name="Create the team").click()
    manager.get_by_text("Team created.").wait_for()

    # She invites a colleague as a member (the form is swapped in place by htmx).
    manager.get_by_label("E-mail address").fill("omar@example.com")
    manager.get_by_role("button", name="Send the invitation").click()
    manager.get_by_text("Invitation sent to omar@example.com.").wait_for()
    assert manager.get_by_text("omar@example.com · Member").is_visible()
    invitation_path = _link_in_last_mail(r"/invitations/[^\s/]+/")

    # The colleague opens the link in his own browser, on his phone, and signs up.
    invitee = new_page({"width": 390, "height": 844})
    invitee.goto(invitation_path)
    invitee.get_by_text("Nora Manager invites you").wait_for()
    invitee.get_by_role("link", name="Create my account").click()
    assert invitee.get_by_label("Email").input_value() == "omar@example.com"
    invitee.get_by_label("Your name").fill("Omar Member")
    invitee.get_by_label("Password", exact=True).fill("another-long-pass-7")
    invitee.get_by_label("Password (again)").fill("another-long-pass-7")
    invitee.get_by_role("button", name="Create my account").click()

    # Back on the invitation (the link proved the address: no confirmation needed).
    invitee.get_by_role("button", name="Accept").click()
    invitee.get_by_text("Welcome to Billing Support!").wait_for()
    assert invitee.get_by_role("heading", name="Billing Support").is_visible()
    assert invitee.get_by_text("Nora Manager").first.is_visible()
    assert Membership.objects.get(user__email="omar@example.com").role == Role.MEMBER

    # The manager sees the new member on the team's people page.
    manager.reload()
    assert manager.get_by_role("cell", name="Omar Member omar@example.com").is_visible()
