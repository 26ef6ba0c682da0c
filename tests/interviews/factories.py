import datetime

import factory
from django.utils import timezone

from interviews.models import Guide, GuideQuestion, Highlight, Interview, Stakeholder
from tests.factories import ClientGroupFactory, TeamFactory, UserFactory


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    team = factory.SubFactory(TeamFactory)
    client_group = factory.SubFactory(ClientGroupFactory, team=factory.SelfAttribute("..team"))
    name = factory.Sequence(lambda n: f"Claire Client {n}")
    role = "Buyer"
    organisation = "Acme"
    contact = factory.Sequence(lambda n: f"client{n}@acme.test")
    consent_notes = True


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    team = factory.SubFactory(TeamFactory)
    title = "Our guide"
    kind = "external"


class GuideQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideQuestion

    guide = factory.SubFactory(GuideFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Question {n}?")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    team = factory.SubFactory(TeamFactory)
    stakeholder = factory.SubFactory(StakeholderFactory, team=factory.SelfAttribute("..team"))
    guide = factory.SubFactory(GuideFactory, team=factory.SelfAttribute("..team"))
    interviewer = factory.SubFactory(UserFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))


class HighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Highlight

    interview = factory.SubFactory(InterviewFactory)
    text = factory.Sequence(lambda n: f"They called me back within the hour ({n})")
    tone = "praise"
