from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from teams import services
from teams.models import Invitation, Membership, OrganisationMember, Role
from tests.factories import InvitationFactory, UserFactory


def test_inviting_sends_the_link_by_email(team, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            team=team, email=" New@Example.com ", role=Role.LEAD, invited_by=manager
        )
    assert invitation.email == "new@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert invitation.token in mail.outbox[0].body
    assert "Lead" in mail.outbox[0].body


def test_no_mail_leaves_before_the_transaction_commits(
    team, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(
            team=team, email="a@example.com", role="member", invited_by=manager
        )
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_cannot_invite_someone_already_in_the_team(team, manager, member):
    with pytest.raises(ValidationError, match="already in this team"):
        services.invitation_create(
            team=team, email=member.email.upper(), role="member", invited_by=manager
        )


def test_a_second_pending_invitation_for_the_same_address_is_refused(team, manager):
    services.invitation_create(team=team, email="x@example.com", role="member", invited_by=manager)
    with pytest.raises(ValidationError, match="resend it instead"):
        services.invitation_create(
            team=team, email="X@example.com", role="member", invited_by=manager
        )
    assert Invitation.objects.filter(team=team, email="x@example.com").count() == 1


def test_an_expired_invitation_does_not_block_a_new_one(team, manager):
    old = InvitationFactory(
        team=team, email="x@example.com", expires_at=timezone.now() - timedelta(days=1)
    )
    services.invitation_create(team=team, email="x@example.com", role="member", invited_by=manager)
    old.refresh_from_db()
    assert old.status == Invitation.Status.REVOKED


def test_accepting_adds_the_person_to_the_team_and_organisation(team):
    invitation = InvitationFactory(team=team, email="joiner@example.com", role=Role.LEAD)
    user = UserFactory(email="joiner@example.com")
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert membership.role == Role.LEAD
    assert OrganisationMember.objects.filter(organisation=team.organisation, user=user).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_an_invitation_cannot_be_used_twice(team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    user = UserFactory(email="joiner@example.com")
    services.invitation_accept(invitation=invitation, user=user)
    with pytest.raises(ValidationError, match="no longer valid"):
        services.invitation_accept(invitation=invitation, user=user)


def test_someone_else_cannot_accept_an_invitation(team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    with pytest.raises(ValidationError, match="sent to joiner@example.com"):
        services.invitation_accept(invitation=invitation, user=UserFactory())
    assert not Membership.objects.filter(team=team).exists()


@pytest.mark.parametrize("status", ["revoked", "declined", "expired"])
def test_a_closed_invitation_cannot_be_accepted(team, status):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    if status == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    else:
        invitation.status = status
    invitation.save()
    with pytest.raises(ValidationError):
        services.invitation_accept(
            invitation=invitation, user=UserFactory(email="joiner@example.com")
        )


def test_declining_closes_the_invitation(team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    services.invitation_decline(invitation=invitation, user=UserFactory(email="joiner@example.com"))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


def test_resending_extends_the_validity_and_mails_again(
    team, manager, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(
        team=team, invited_by=manager, expires_at=timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 1


def test_a_revoked_invitation_is_not_mailed(team, manager):
    invitation = InvitationFactory(team=team, invited_by=manager)
    services.invitation_revoke(invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_resend(invitation=invitation)
    assert mail.outbox == []


def test_a_revoke_after_the_invitee_accepted_changes_nothing_and_says_so(team, manager):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    stale = Invitation.objects.get(pk=invitation.pk)
    joiner = UserFactory(email="joiner@example.com")
    services.invitation_accept(invitation=invitation, user=joiner)
    with pytest.raises(ValidationError, match="already accepted: nothing was revoked"):
        services.invitation_revoke(invitation=stale)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert Membership.objects.filter(team=team, user=joiner).exists()


def test_a_resend_after_the_invitee_declined_changes_nothing(team, manager):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_decline(invitation=invitation, user=UserFactory(email="joiner@example.com"))
    with pytest.raises(ValidationError, match="declined: it was not resent"):
        services.invitation_resend(invitation=stale)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.expires_at == stale.expires_at
    assert mail.outbox == []


# Views ------------------------------------------------------------------------------


def test_manager_invites_from_the_people_page(
    manager_client, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("teams:invitation_create", args=[team.slug]),
            {"email": "n@example.com", "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(team=team, email="n@example.com").exists()
    assert len(mail.outbox) == 1


def test_htmx_invite_answers_with_the_invitations_fragment(manager_client, team):
    response = manager_client.post(
        reverse("teams:invitation_create", args=[team.slug]),
        {"email": "n@example.com", "role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="invitations"')
    assert "n@example.com" in html
    assert "<html" not in html


def test_a_bad_address_re_renders_the_form_with_the_error(manager_client, team):
    response = manager_client.post(
        reverse("teams:invitation_create", args=[team.slug]),
        {"email": "not-an-address", "role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_shows_why(manager_client, team, member):
    response = manager_client.post(
        reverse("teams:invitation_create", args=[team.slug]),
        {"email": member.email, "role": "member"},
    )
    assert response.status_code == 200
    assert "already in this team" in response.content.decode()


def test_the_invitation_page_tells_anonymous_visitors_how_to_join(client, team):
    invitation = InvitationFactory(team=team)
    response = client.get(reverse("teams:invitation", args=[invitation.token]))
    assert response.status_code == 200
    assert "Create my account" in response.content.decode()
    assert client.session["account_verified_email"] == invitation.email


def test_an_unknown_invitation_token_is_404(client, db):
    assert client.get(reverse("teams:invitation", args=["nope"])).status_code == 404


def test_accepting_through_the_view(client, team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    user = UserFactory(email="joiner@example.com")
    client.force_login(user)
    response = client.post(reverse("teams:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url == reverse("teams:team", args=[team.slug])
    assert Membership.objects.filter(team=team, user=user).exists()


def test_accepting_someone_elses_invitation_explains_it(member_client, team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    response = member_client.post(
        reverse("teams:invitation_accept", args=[invitation.token]), follow=True
    )
    assert "was sent to joiner@example.com" in response.content.decode()


def test_answering_needs_post(member_client, team):
    invitation = InvitationFactory(team=team)
    assert (
        member_client.get(reverse("teams:invitation_accept", args=[invitation.token])).status_code
        == 405
    )


def test_home_lists_invitations_waiting_for_me(client, team):
    user = UserFactory(email="joiner@example.com")
    InvitationFactory(team=team, email="Joiner@example.com")
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "Invitations waiting for you" in response.content.decode()
    assert team.name in response.content.decode()


def test_the_people_page_says_a_revoke_came_too_late(manager_client, team):
    invitation = InvitationFactory(team=team, email="joiner@example.com")
    services.invitation_accept(invitation=invitation, user=UserFactory(email="joiner@example.com"))
    response = manager_client.post(
        reverse("teams:invitation_revoke", args=[team.slug, invitation.pk]), follow=True
    )
    assert "already accepted: nothing was revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
