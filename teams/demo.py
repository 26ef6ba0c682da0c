"""Demo organisation, team and people for `manage.py seed_demo`.

Other apps add their own demo data on top of the `DemoWorld` this returns.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from accounts.models import User

from . import services
from .models import ClientGroup, Membership, Organisation, Role, Team

DEMO_PASSWORD = "cocharter-demo"
DEMO_DOMAIN = "demo.cocharter.test"


@dataclass
class DemoWorld:
    organisation: Organisation
    team: Team
    manager: User
    lead: User
    members: list[User]
    client_groups: list[ClientGroup]
    other_teams: list[Team] = field(default_factory=list)

    @property
    def everyone(self) -> list[User]:
        return [self.manager, self.lead, *self.members]


PEOPLE = [
    ("claire", "Claire Martin", Role.MANAGER),
    ("luc", "Luc Bernard", Role.LEAD),
    ("amina", "Amina Diallo", Role.MEMBER),
    ("tom", "Tom Leroy", Role.MEMBER),
    ("sofia", "Sofia Rossi", Role.MEMBER),
    ("hugo", "Hugo Petit", Role.MEMBER),
    ("lea", "Léa Moreau", Role.MEMBER),
]


def demo_user(login: str, name: str) -> User:
    email = f"{login}@{DEMO_DOMAIN}"
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def seed() -> DemoWorld:
    people = {login: (demo_user(login, name), role) for login, name, role in PEOPLE}
    manager = people["claire"][0]
    organisation = services.organisation_create(name="Northwind Utilities", admin=manager)
    support = services.department_create(organisation=organisation, name="Customer support")
    team = services.team_create(
        organisation=organisation,
        name="Service Desk",
        creator=manager,
        time_zone="Europe/Paris",
        department=support,
    )
    for user, role in people.values():
        if user != manager:
            services.organisation_people_add(organisation=organisation, user=user)
            Membership.objects.create(team=team, user=user, role=role)
    groups = [
        services.client_group_create(
            team=team,
            name="Field technicians",
            kind=ClientGroup.Kind.INTERNAL,
            description="Colleagues on site who call us for parts, schedules and access.",
        ),
        services.client_group_create(
            team=team,
            name="Household customers",
            kind=ClientGroup.Kind.EXTERNAL,
            description="People who call or write about their contract, bill or outage.",
        ),
    ]
    return DemoWorld(
        organisation=organisation,
        team=team,
        manager=manager,
        lead=people["luc"][0],
        members=[people[k][0] for k in ("amina", "tom", "sofia", "hugo", "lea")],
        client_groups=groups,
    )


def logins() -> list[tuple[str, str]]:
    return [(f"{login}@{DEMO_DOMAIN}", f"{name} ({role.label})") for login, name, role in PEOPLE]
