"""Demo data: the starter guides, the team's beliefs, four interviews with field
technicians (internal) and household customers (external), their tagged words and
criteria, and one interview still to come."""

from datetime import timedelta

from django.utils import timezone

from charter.models import CharterPoint, CharterVersion, keyword_normalise
from teams.demo import DemoWorld

from . import services
from .models import Interview, Stakeholder

BELIEFS = [
    ("Friendly", "Clients value a warm tone above all"),
    ("Helpful", "They want advice, not just an answer"),
    ("Patient", "They need us to take the time to listen"),
]

# (name, role, organisation, group index, named, days ago, interviewer index,
#  [(question position, notes)], [(words, keywords, tone, point keyword)], [criteria])
INTERVIEWS = [
    (
        "Marc Dubois",
        "Field technician",
        "North depot",
        0,
        True,
        12,
        0,
        [
            (2, "Part ready at 9, nobody told him until 3. He drove back twice."),
            (5, "Planning and stores both think the other one calls the technician."),
        ],
        [
            (
                "When the part is ready, just text me. I lose half a day waiting.",
                "Reliable, Proactive",
                "need",
                "Reliable",
            ),
            (
                "I never know if planning or stores owns my request.",
                "Coordinated, Clear",
                "complaint",
                "",
            ),
            (
                "Amina called me back exactly when she said she would. That changes everything.",
                "Reliable",
                "praise",
                "Reliable",
            ),
        ],
        ["Tells me within the hour when my part is ready", "One person owns my request"],
    ),
    (
        "Nadia Benali",
        "Site supervisor",
        "South depot",
        0,
        False,
        30,
        2,
        [(5, "Access badges: security, planning and us. Three teams, no owner.")],
        [
            (
                "You told us the new access rules before we got to the gate: it saved the morning.",
                "Proactive, Helpful",
                "praise",
                "Proactive",
            ),
            (
                "Could you send a weekly list of the slots that really are free?",
                "Reliable",
                "idea",
                "",
            ),
        ],
        ["Slots shown are the real ones"],
    ),
    (
        "Julie Carpentier",
        "Customer, household contract",
        "",
        1,
        False,
        20,
        3,
        [(3, "Billing error in March. Three calls, three different answers.")],
        [
            (
                "The lady took the time to explain my bill line by line. I finally understood it.",
                "Helpful, Patient, Educational",
                "praise",
                "Helpful",
            ),
            (
                "I had to tell my story three times. Write it down somewhere!",
                "Coordinated, Patient",
                "complaint",
                "",
            ),
        ],
        ["Answers within the day", "I don't have to repeat myself"],
    ),
    (
        "Bernard Lefèvre",
        "Customer, outage last winter",
        "",
        1,
        True,
        130,
        1,
        [],
        [
            (
                "Tell me honestly when the power comes back, even if it is late.",
                "Honest",
                "need",
                "Honest",
            ),
        ],
        ["Tells me honestly how long it will take"],
    ),
]


def seed(world: DemoWorld) -> None:
    team, people = world.team, world.everyone
    services.guides_default_create(team=team, language="en")
    for keyword, statement in BELIEFS:
        services.belief_create(
            team=team, author=world.manager, keyword=keyword, statement=statement
        )
    latest = CharterVersion.objects.filter(charter__team=team).order_by("-number").first()
    points = {}
    if latest is not None:
        points = {
            keyword_normalise(p.keyword): p.lineage
            for p in CharterPoint.objects.filter(version=latest)
        }
    now = timezone.now()
    for name, role, org, group, named, days, who, notes, quotes, criteria in INTERVIEWS:
        person = services.stakeholder_create(
            team=team,
            by=world.manager,
            client_group=world.client_groups[group],
            name=name,
            role=role,
            organisation=org,
            contact="",
            language="en",
            consent_notes=True,
            consent_named=named,
        )
        interview = services.interview_plan(
            team=team,
            by=world.manager,
            stakeholder=person,
            interviewer=people[who],
            scheduled_at=now - timedelta(days=days),
        )
        Interview.objects.filter(pk=interview.pk).update(started_at=interview.scheduled_at)
        for position, body in notes:
            services.note_save(interview=interview, position=position, body=body)
        for words, keywords, tone, point in quotes:
            highlight = services.highlight_add(interview=interview, position=3, text=words)
            services.highlight_tag(
                highlight=highlight,
                keywords=[k.strip() for k in keywords.split(",")],
                tone=tone,
                point_lineage=points.get(keyword_normalise(point)),
            )
        for text in criteria:
            services.criterion_add(interview=interview, text=text)
        services.interview_finish(interview=interview)
        Interview.objects.filter(pk=interview.pk).update(
            ended_at=interview.scheduled_at + timedelta(minutes=40)
        )
    # One still to come, with Marc again: the history shows what changes.
    marc = Stakeholder.objects.get(team=team, name="Marc Dubois")
    services.interview_plan(
        team=team,
        by=world.manager,
        stakeholder=marc,
        interviewer=world.manager,
        scheduled_at=(now + timedelta(days=6)).replace(hour=9, minute=30, second=0, microsecond=0),
    )
