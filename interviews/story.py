"""A charter point's story in one place: the votes its keyword got, the observations
and the clients' words behind it, its indicators with their trend, the check-in
answers, and the ideas of the tracker tied to its indicators. A fixed number of
queries, whatever the history."""

from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from charter.models import CharterPoint, Observation, Vote, keyword_normalise
from improvement.models import ChangeIdea, Checkin
from indicators.charts import sparkline
from indicators.models import Indicator, Measurement
from teams.models import Team

from .synthesis import Quote, point_quotes

RECENT = 5


@dataclass
class PointStory:
    point: CharterPoint
    dots: int = 0
    workshops: int = 0
    observation_count: int = 0
    observations: list[Observation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    checkins: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    ideas: list[ChangeIdea] = field(default_factory=list)

    @property
    def client_count(self) -> int:
        return len({(q.who, q.group) for q in self.quotes})


def point_story(*, team: Team, lineage: UUID) -> PointStory:
    point = (
        CharterPoint.objects.filter(version__charter__team=team, lineage=lineage)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    if point is None:
        raise Http404
    key = keyword_normalise(point.keyword)
    story = PointStory(point=point)
    votes = Vote.objects.filter(workshop__team=team, keyword__keyword__normalised=key).aggregate(
        dots=Count("pk"), workshops=Count("workshop", distinct=True)
    )
    story.dots, story.workshops = votes["dots"], votes["workshops"]
    observations = Observation.objects.filter(team=team, keywords__normalised=key)
    story.observation_count = observations.count()
    story.observations = list(observations.order_by("-observed_on", "-pk")[:RECENT])
    story.quotes = point_quotes(team=team, lineage=lineage, keyword=point.keyword, shared=False)
    recent = Measurement.objects.order_by("period_start")
    story.indicators = list(
        Indicator.objects.filter(team=team, charter_points__lineage=lineage)
        .distinct()
        .prefetch_related(Prefetch("measurements", queryset=recent))
    )
    for indicator in story.indicators:
        values = [m.value for m in indicator.measurements.all()][-12:]
        indicator.spark = sparkline(values)
        indicator.latest = values[-1] if values else None
    answers = Checkin.objects.filter(team=team, lineage=lineage)
    story.checkins = dict(answers.values_list("answer").annotate(n=Count("pk")))
    story.examples = list(
        answers.filter(share_example=True)
        .exclude(example="")
        .order_by("-answered_at")
        .values_list("example", flat=True)[:RECENT]
    )
    story.ideas = list(
        ChangeIdea.objects.filter(team=team)
        .filter(Q(indicator__in=[i.pk for i in story.indicators]))
        .select_related("owner")
    )
    return story
