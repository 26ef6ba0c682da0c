"""Demo data for the charter: a week of observations, a finished workshop with its
published charter, and a workshop in progress at the vote step."""

import datetime

from django.utils import timezone

from teams.demo import DemoWorld

from . import services
from .models import CharterVersion, Step, Workshop, WorkshopKeyword, coaching_question_default

OBSERVATIONS = [
    # (author index, reaction, behaviour, keywords, client group index, days ago, hidden)
    (
        0,
        "Relieved",
        "Stayed on the line while the technician checked the meter, and explained each step.",
        "patient, educational",
        1,
        1,
        False,
    ),
    (
        1,
        "Grateful",
        "Called back the customer at the time we had promised, with the answer.",
        "reliable, follow-up",
        1,
        1,
        False,
    ),
    (
        2,
        "Reassured",
        "Told the technician honestly that the part would be late and offered another slot.",
        "honest, proactive",
        0,
        2,
        True,
    ),
    (
        3,
        "Annoyed",
        "We transferred the caller three times before someone could help.",
        "coordinated",
        1,
        2,
        False,
    ),
    (
        4,
        "Excited",
        "Showed the customer how to read her bill online so she can follow her consumption.",
        "educational, helpful",
        1,
        3,
        False,
    ),
    (
        0,
        "Grateful",
        "Booked site access for the field team before they even asked.",
        "proactive, helpful",
        0,
        3,
        False,
    ),
    (
        2,
        "Reassured",
        "Explained plainly why the outage lasted and what we were doing.",
        "honest, clear",
        1,
        4,
        False,
    ),
    (
        1,
        "Grateful",
        "Listened to the whole story before suggesting a solution.",
        "patient, friendly",
        1,
        5,
        True,
    ),
    (
        3,
        "Relieved",
        "Sent the technician the schedule in writing right after the call.",
        "reliable, clear",
        0,
        5,
        False,
    ),
    (
        4,
        "Satisfied",
        "Followed up the next day to check the repair had worked.",
        "follow-up, helpful",
        1,
        6,
        False,
    ),
]

CHARTER = [
    ("Helpful", "Take every chance to give our clients advice that helps them"),
    ("Patient", "Let clients finish explaining before we suggest anything"),
    ("Honest", "Say plainly what we know, what we don't and when we will know"),
    ("Reliable", "Call back at the time we promised, even when we have no news yet"),
    ("Proactive", "Tell the field teams about a problem before they discover it"),
    ("Educational", "Show clients how to solve the issue themselves next time"),
]


def _workshop(world: DemoWorld, title: str, step: int, days_ago: int) -> Workshop:
    workshop = services.workshop_create(team=world.team, facilitator=world.manager, title=title)
    Workshop.objects.filter(pk=workshop.pk).update(
        step=step, created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    workshop.refresh_from_db()
    return workshop


def _put(workshop: Workshop, labels: list[str]) -> list[WorkshopKeyword]:
    items = []
    for n, label in enumerate(labels):
        keyword = services.keyword_get_or_create(team=workshop.team, text=label)
        items.append(
            WorkshopKeyword.objects.create(workshop=workshop, keyword=keyword, proposals=1 + n % 3)
        )
    return items


# Two weeks ago the team revised its charter: "Reliable" reworded, "Proactive" dropped
# (its history stays in the check-in trend, marked retired), "Clear" added.
REVISED = [
    ("Helpful", "Take every chance to give our clients advice that helps them"),
    ("Patient", "Let clients finish explaining before we suggest anything"),
    ("Honest", "Say plainly what we know, what we don't and when we will know"),
    ("Reliable", "Call back at the time we promised, even when we have nothing new to say"),
    ("Educational", "Show clients how to solve the issue themselves next time"),
    ("Clear", "Explain in plain words what happens next, and when"),
]


def _second_version(world: DemoWorld) -> None:
    review = _workshop(world, "Our charter, one month on", Step.SELECT, days_ago=15)
    for item, (label, statement) in zip(
        _put(review, [label for label, _s in REVISED]), REVISED, strict=True
    ):
        item.selected = True
        item.statement = statement
        item.coaching_question = coaching_question_default(label)
        item.save()
    Workshop.objects.filter(pk=review.pk).update(step=Step.PUBLISH)
    review.refresh_from_db()
    version = services.charter_publish(workshop=review, by=world.manager, announce=False)
    CharterVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=14)
    )
    for person in world.everyone[:4]:
        services.charter_endorse(version=version, user=person)


def seed(world: DemoWorld) -> None:
    today = timezone.localdate()
    people = world.everyone
    for author, reaction, behaviour, words, group, days, hidden in OBSERVATIONS:
        services.observation_create(
            team=world.team,
            author=world.members[author],
            reaction=reaction,
            behaviour=behaviour,
            keywords=[w.strip() for w in words.split(",")],
            client_group=world.client_groups[group],
            observed_on=today - datetime.timedelta(days=days),
            hide_author=hidden,
        )

    done = _workshop(world, "Our first charter", Step.VOTE, days_ago=30)
    items = _put(done, [label for label, _s in CHARTER] + ["Friendly", "Clear"])
    for n, voter in enumerate(people):
        for k in range(done.dots_per_person):
            item = items[(n + k * 3) % len(items)]
            try:
                services.vote_cast(workshop=done, user=voter, keyword_id=item.pk)
            except services.VoteRefused:
                pass
    for item, (label, statement) in zip(items, CHARTER, strict=False):
        item.selected = True
        item.statement = statement
        item.coaching_question = coaching_question_default(label)
        item.save()
    Workshop.objects.filter(pk=done.pk).update(step=Step.PUBLISH, revealed=True)
    done.refresh_from_db()
    version = services.charter_publish(workshop=done, by=world.manager, announce=False)
    CharterVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30)
    )
    for person in people:
        services.charter_endorse(version=version, user=person)
    _second_version(world)

    current = _workshop(world, "Charter review", Step.VOTE, days_ago=0)
    current.step_ends_at = timezone.now() + datetime.timedelta(minutes=current.vote_minutes)
    current.save(update_fields=["step_ends_at"])
    items = _put(current, ["Helpful", "Patient", "Honest", "Reliable", "Coordinated", "Clear"])
    for n, voter in enumerate(people[:4]):
        services.participant_join(workshop=current, user=voter)
        for k in range(3):
            services.vote_cast(
                workshop=current, user=voter, keyword_id=items[(n + k * 2) % len(items)].pk
            )
