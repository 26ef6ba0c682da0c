"""Demo data: one-to-ones with an agreed objective and its follow-up, practice done by
the manager and the lead, an organisation's own situation, a coaching log and
modelling feedback. Review reminders are planned in the future: no mail is sent."""

from datetime import timedelta

from django.utils import timezone

from indicators.models import Indicator
from teams.demo import DemoWorld

from . import selectors, services
from .models import Note, ProgressNote
from .practice import BUILT_IN


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    _one_to_ones(world, today)
    _practice(world)
    _coaching_log(world, today)
    _feedback(world)


def _one_to_ones(world: DemoWorld, today) -> None:
    claire, amina, tom = world.manager, world.members[0], world.members[1]
    first = services.one_to_one_start(
        team=world.team, manager=claire, member=amina, held_on=today - timedelta(days=28)
    )
    services.one_to_one_answer(
        one_to_one=first,
        by=amina,
        client_view=(
            "That they get a first answer the same day, even if it is only "
            "“I have it, you will hear from me by Thursday”."
        ),
    )
    observation = world.team.observations.order_by("-observed_on").first()
    if observation is not None:
        services.fact_add(one_to_one=first, by=claire, observation=observation)
    indicator = world.team.indicators.filter(status=Indicator.Status.ADOPTED).first()
    services.fact_add(
        one_to_one=first,
        by=claire,
        text="Two colleagues from Billing waited three days for an answer last month.",
    )
    if indicator is not None:
        latest = indicator.measurements.order_by("-period_start").first()
        services.fact_add(
            one_to_one=first,
            by=claire,
            text="The team's figure for the month",
            indicator=indicator,
            value=latest.value if latest else None,
        )
    wording = {
        "statement": "Every internal request gets a first answer the same day",
        "measure": "personal",
        "unit": "percent",
        "direction": "higher",
        "target": 80,
        "frequency": "weekly",
        "indicator": None,
        "point": None,
        "review_on": today + timedelta(days=14),
    }
    objective = services.objective_propose(one_to_one=first, by=amina, **wording)
    objective = services.objective_revise(
        objective=objective, by=claire, **{**wording, "target": 90}
    )
    objective = services.objective_revise(
        objective=objective, by=amina, **{**wording, "target": 85}
    )
    services.objective_accept(objective=objective, by=claire, number=3)
    services.note_add(
        one_to_one=first, author=amina, body="I will block 20 minutes after lunch for requests."
    )
    services.note_add(
        one_to_one=first,
        author=claire,
        body="Amina was relieved it was about facts. Check she has the shared inbox rights.",
        private=True,
    )
    services.one_to_one_plan_next(one_to_one=first, by=claire, next_on=today)
    for days_ago, status, value, body in (
        (20, "at_risk", 60, "Busy week with the billing run: 60% the same day."),
        (12, "on_track", 82, "The after-lunch slot works. Billing noticed."),
        (5, "on_track", 88, "Two days at 100%."),
    ):
        note = services.progress_add(
            objective=objective, author=amina, status=status, value=value, body=body
        )
        ProgressNote.objects.filter(pk=note.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    follow_up = services.one_to_one_start(
        team=world.team, manager=claire, member=amina, held_on=today
    )
    services.one_to_one_answer(
        one_to_one=follow_up,
        by=amina,
        client_view="Still the same-day answer; now they also ask to know who has their request.",
    )
    services.one_to_one_plan_next(
        one_to_one=follow_up, by=amina, next_on=today + timedelta(days=28)
    )
    Note.objects.create(
        one_to_one=follow_up, author=claire, body="Good progress: keep the after-lunch slot."
    )
    services.one_to_one_start(team=world.team, manager=claire, member=tom, held_on=today)


def _practice(world: DemoWorld) -> None:
    claire, luc = world.manager, world.lead
    for key, choices in (("tone", [1, 3]), ("first-question", [2])):
        practice = next(p for p in BUILT_IN if p.key == key)
        for choice in choices:
            services.practice_attempt_record(
                user=claire, key=key, choice=choice, works=practice.responses[choice - 1].works
            )
    services.practice_attempt_record(user=luc, key="coordination", choice=2, works=True)
    services.situation_create(
        organisation=world.organisation,
        by=claire,
        title="A client shouts on the phone",
        setting=(
            "A member comes to you shaken: a client shouted at them about a late "
            "technician. What do you do?"
        ),
        responses=[
            ("Tell them it comes with the job.", False, "It dismisses what they lived."),
            (
                "Listen first, then look together at what the client needed and what "
                "would have helped.",
                True,
                "It cares for the person and starts from the facts and the client's need.",
            ),
        ],
    )


def _coaching_log(world: DemoWorld, today) -> None:
    points = list(selectors.current_points(team=world.team))
    plan = [
        (world.manager, world.members[0], 0, 20, "Same-day answers: reviewed two emails"),
        (world.manager, None, 3, 15, "Team huddle on the greeting"),
        (world.manager, world.members[2], 9, 10, "Call back before noon"),
        (world.manager, world.members[1], 16, 25, ""),
        (world.lead, world.members[3], 2, 10, "Listened to a call together"),
        (world.lead, None, 11, 30, "Shared three client compliments"),
    ]
    for i, (coach, person, days_ago, minutes, note) in enumerate(plan):
        services.coaching_moment_log(
            team=world.team,
            coach=coach,
            person=person,
            point=points[i % len(points)] if points else None,
            minutes=minutes,
            note=note,
            on=today - timedelta(days=days_ago),
        )


def _feedback(world: DemoWorld) -> None:
    points = list(selectors.current_points(team=world.team))
    point = points[0] if points else None
    for author, shown, example, anonymous in (
        (world.members[0], "yes", "Claire called the client back herself within the hour.", False),
        (world.members[1], "partly", "Friendly, but the client had to repeat the problem.", True),
        (world.members[2], "yes", "She named the next step and the day before hanging up.", False),
        (world.members[3], "yes", "Luc took ownership of a complaint at once.", True),
    ):
        services.modelling_feedback_give(
            team=world.team,
            author=author,
            leader=world.lead if "Luc" in example else world.manager,
            shown=shown,
            point=point,
            example=example,
            anonymous=anonymous,
        )
