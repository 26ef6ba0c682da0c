import factory

from improvement.models import ChangeIdea, FocusArea, GapAnswer, GapMeeting, Question
from tests.factories import TeamFactory, UserFactory


class ChangeIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeIdea

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")
    focus_area = FocusArea.TIMELINESS
    owner = factory.SubFactory(UserFactory)


class GapMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GapMeeting

    team = factory.SubFactory(TeamFactory)
    focus_area = FocusArea.FOLLOW_UP


class GapAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GapAnswer

    meeting = factory.SubFactory(GapMeetingFactory)
    question = Question.BENEFIT
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Answer {n}")
