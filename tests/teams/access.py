from tests.access import (
    EVERY_MEMBER,
    MANAGERS_ONLY,
    Case,
    post,
    statuses,
    team_kwargs,
)
from tests.factories import ClientGroupFactory, InvitationFactory, MembershipFactory


def _with_invitation(w):
    return {**team_kwargs(w), "pk": InvitationFactory(team=w.team).pk}


def _with_membership(w):
    return {**team_kwargs(w), "pk": MembershipFactory(team=w.team).pk}


def _with_client_group(w):
    return {**team_kwargs(w), "pk": ClientGroupFactory(team=w.team).pk}


def _org(w):
    return {"org_slug": w.team.organisation.slug}


# Organisation pages: the outsider belongs to another organisation; only the admin (the
# manager fixture) may manage it; the member and lead belong to it without being admins.
ORG_ADMIN_ONLY = statuses(member=403, lead=403)
MANAGER_POST = statuses(member=403, lead=403, manager=302)
SIGNED_IN = statuses(outsider=200)
SIGNED_IN_POST = statuses(outsider=302, member=302, lead=302, manager=302)

CASES = {
    "home": Case(expected=SIGNED_IN),
    "healthz": Case(expected=statuses(anonymous=200, outsider=200)),
    "accounts:profile": Case(
        expected=SIGNED_IN,
        also=post(
            SIGNED_IN_POST,
            data=lambda w: {"display_name": "Someone", "time_zone": "UTC"},
        ),
    ),
    "accounts:set_language": Case(
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        expected=statuses(anonymous=302, outsider=302, member=302, lead=302, manager=302),
    ),
    "teams:organisation_create": Case(
        expected=SIGNED_IN,
        also=post(
            SIGNED_IN_POST,
            data=lambda w: {"name": "Another organisation"},
        ),
    ),
    "teams:organisation": Case(kwargs=_org, expected=ORG_ADMIN_ONLY),
    "teams:company_sign_in": Case(
        kwargs=_org,
        expected=ORG_ADMIN_ONLY,
        also=post(
            MANAGER_POST,
            data=lambda w: {
                "name": "Microsoft",
                "issuer": "https://login.example.com/tenant/v2.0",
                "client_id": "cocharter",
                "secret": "s3cret",
                "domains": "example.com",
                "default_role": "member",
            },
        ),
    ),
    "accounts:company_sign_in": Case(
        expected=statuses(anonymous=200, outsider=200),
        also=post(
            statuses(anonymous=200, outsider=200),
            data=lambda w: {"email": "someone@nowhere.example"},
        ),
    ),
    "teams:team_create": Case(
        kwargs=_org,
        expected=ORG_ADMIN_ONLY,
        also=post(MANAGER_POST, data=lambda w: {"name": "Field Support", "time_zone": "UTC"}),
    ),
    "teams:department_create": Case(
        kwargs=_org,
        method="post",
        data=lambda w: {"name": "Sales"},
        expected=MANAGER_POST,
    ),
    "teams:organisation_admin": Case(
        kwargs=lambda w: {**_org(w), "pk": w.team.organisation.members.get(user=w.member).pk},
        method="post",
        data=lambda w: {"is_admin": "1"},
        expected=MANAGER_POST,
    ),
    "teams:team": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "teams:settings": Case(
        kwargs=team_kwargs,
        expected=MANAGERS_ONLY,
        also=post(MANAGER_POST, data=lambda w: {"name": "Desk", "time_zone": "UTC"}),
    ),
    "teams:client_group_create": Case(
        kwargs=team_kwargs,
        expected=MANAGERS_ONLY,
        also=post(MANAGER_POST, data=lambda w: {"name": "Walk-ins", "kind": "external"}),
    ),
    "teams:client_group_edit": Case(
        kwargs=_with_client_group,
        expected=MANAGERS_ONLY,
        also=post(MANAGER_POST, data=lambda w: {"name": "Walk-ins", "kind": "internal"}),
    ),
    "teams:client_group_remove": Case(
        kwargs=_with_client_group, expected=MANAGERS_ONLY, also=post(MANAGER_POST)
    ),
    "teams:members": Case(kwargs=team_kwargs, expected=EVERY_MEMBER),
    "teams:member_role": Case(
        kwargs=_with_membership,
        method="post",
        data=lambda w: {"role": "lead"},
        expected=MANAGER_POST,
    ),
    "teams:member_remove": Case(
        kwargs=_with_membership, expected=MANAGERS_ONLY, also=post(MANAGER_POST)
    ),
    # The member and the lead leave; the manager, the team's only one, is kept.
    "teams:leave": Case(
        kwargs=team_kwargs,
        expected=EVERY_MEMBER,
        also=post(statuses(member=302, lead=302, manager=200)),
    ),
    "teams:invitation_create": Case(
        kwargs=team_kwargs,
        method="post",
        data=lambda w: {"email": "new@example.com", "role": "member"},
        expected=MANAGER_POST,
    ),
    "teams:invitation_resend": Case(kwargs=_with_invitation, method="post", expected=MANAGER_POST),
    "teams:invitation_revoke": Case(kwargs=_with_invitation, method="post", expected=MANAGER_POST),
    # The invitation page is public: its unguessable token is the credential.
    "teams:invitation": Case(
        kwargs=lambda w: {"token": InvitationFactory(team=w.team).token},
        expected=statuses(anonymous=200, outsider=200),
    ),
    # Answering needs a login; someone else's invitation is refused with a message.
    "teams:invitation_accept": Case(
        kwargs=lambda w: {"token": InvitationFactory(team=w.team).token},
        method="post",
        expected=SIGNED_IN_POST,
    ),
    "teams:invitation_decline": Case(
        kwargs=lambda w: {"token": InvitationFactory(team=w.team).token},
        method="post",
        expected=SIGNED_IN_POST,
    ),
}
