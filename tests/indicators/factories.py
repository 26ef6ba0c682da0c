from datetime import date, timedelta
from decimal import Decimal

import factory

from indicators.models import (
    ApiToken,
    Indicator,
    IndicatorTarget,
    Measurement,
    Survey,
    WallLink,
    token_hash,
)
from tests.factories import ClientGroupFactory, TeamFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    client_question = "Did someone get back to me the same day?"
    unit = Indicator.Unit.PERCENT
    decimals = 0  # whole percentages, as most tests write them
    direction = Indicator.Direction.HIGHER
    frequency = Indicator.Frequency.WEEKLY
    source = Indicator.Source.MANUAL
    status = Indicator.Status.ADOPTED


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    valid_from = date(2020, 1, 6)
    value = Decimal(80)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period_start = factory.Sequence(lambda n: date(2020, 1, 6) + timedelta(weeks=n))
    value = Decimal("75.5")
    source = Indicator.Source.MANUAL


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    team = factory.SubFactory(TeamFactory)
    client_group = factory.SubFactory(ClientGroupFactory, team=factory.SelfAttribute("..team"))
    indicator = factory.SubFactory(
        IndicatorFactory, team=factory.SelfAttribute("..team"), source=Indicator.Source.SURVEY
    )


class WallLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WallLink

    team = factory.SubFactory(TeamFactory)


def api_token_for(team, raw: str = "coc_test-token") -> ApiToken:
    return ApiToken.objects.create(
        team=team, name="script", token_hash=token_hash(raw), prefix=raw[:8]
    )
