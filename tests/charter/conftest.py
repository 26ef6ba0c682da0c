import pytest

from charter import services
from charter.models import Step, Workshop, WorkshopKeyword


def make_workshop(team, facilitator, step=Step.OBSERVE, **rules) -> Workshop:
    workshop = services.workshop_create(
        team=team, facilitator=facilitator, title="Our charter", **rules
    )
    if step != Step.OBSERVE:
        Workshop.objects.filter(pk=workshop.pk).update(step=step)
        workshop.refresh_from_db()
    return workshop


def put_keywords(workshop, *labels) -> list[WorkshopKeyword]:
    items = []
    for label in labels:
        keyword = services.keyword_get_or_create(team=workshop.team, text=label)
        items.append(WorkshopKeyword.objects.create(workshop=workshop, keyword=keyword))
    return items


@pytest.fixture
def workshop(team, manager):
    return make_workshop(team, manager)


@pytest.fixture
def voting(team, manager):
    """A workshop at the vote step with three keywords on the table."""
    workshop = make_workshop(team, manager, step=Step.VOTE)
    workshop.items = put_keywords(workshop, "Patient", "Honest", "Helpful")
    return workshop


POINTS = [
    ("Helpful", "Take every chance to give our clients advice that helps them"),
    ("Patient", "Let the client finish explaining before we suggest anything"),
]


def make_published(team, manager, points=POINTS):
    """A workshop taken to the publish step and published: returns the version."""
    workshop = make_workshop(team, manager, step=Step.PUBLISH)
    for label, statement in points:
        (item,) = put_keywords(workshop, label)
        item.selected = True
        item.statement = statement
        item.coaching_question = f"Did you take a chance to be {label.lower()} today?"
        item.save()
    return services.charter_publish(workshop=workshop, by=manager)
