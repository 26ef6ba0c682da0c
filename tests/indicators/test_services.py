from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError

from indicators import selectors, services
from indicators.models import Indicator, Measurement, MeasurementRevision, Opinion

from .factories import IndicatorFactory, MeasurementFactory

D = Decimal


def test_proposing_creates_a_proposal_with_its_target_and_the_proposer_support(team, member):
    indicator = services.indicator_propose(
        team=team,
        proposer=member,
        name="Answered within 4 hours",
        client_question="Did someone get back to me the same day?",
        unit=Indicator.Unit.PERCENT,
        direction=Indicator.Direction.HIGHER,
        frequency=Indicator.Frequency.WEEKLY,
        target=D(85),
    )
    assert indicator.status == Indicator.Status.PROPOSED
    assert indicator.targets.get().value == D(85)
    assert selectors.poll_result(indicator=indicator).support == 1


def test_a_range_proposal_keeps_both_bounds(team, member):
    indicator = services.indicator_propose(
        team=team,
        proposer=member,
        name="Calls per person",
        client_question="Is someone free to take my call?",
        unit=Indicator.Unit.COUNT,
        direction=Indicator.Direction.RANGE,
        frequency=Indicator.Frequency.DAILY,
        target_low=D(20),
        target_high=D(30),
    )
    target = indicator.targets.get()
    assert (target.value, target.low, target.high) == (None, D(20), D(30))


def test_a_person_changes_their_opinion_instead_of_voting_twice(proposal, member):
    services.indicator_opinion_set(indicator=proposal, user=member, choice="object")
    services.indicator_opinion_set(indicator=proposal, user=member, choice="support")
    assert Opinion.objects.filter(indicator=proposal, user=member).get().choice == "support"


def test_the_database_refuses_two_opinions_from_one_person(proposal, member):
    Opinion.objects.create(indicator=proposal, user=member, choice="support")
    with pytest.raises(IntegrityError):
        Opinion.objects.create(indicator=proposal, user=member, choice="object")


def test_the_manager_cannot_adopt_without_enough_support(proposal, member, lead):
    services.indicator_opinion_set(indicator=proposal, user=member, choice="support")
    with pytest.raises(ValidationError):
        services.indicator_adopt(indicator=proposal)
    services.indicator_opinion_set(indicator=proposal, user=lead, choice="support")
    services.indicator_adopt(indicator=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Indicator.Status.ADOPTED
    assert proposal.adopted_at is not None


def test_objections_outweighing_support_block_adoption(proposal, member, lead, manager):
    from tests.factories import MembershipFactory

    services.indicator_opinion_set(indicator=proposal, user=member, choice="support")
    services.indicator_opinion_set(indicator=proposal, user=lead, choice="support")
    services.indicator_opinion_set(indicator=proposal, user=manager, choice="object")
    other = MembershipFactory(team=proposal.team).user
    services.indicator_opinion_set(indicator=proposal, user=other, choice="object")
    assert not selectors.poll_result(indicator=proposal).can_adopt
    with pytest.raises(ValidationError):
        services.indicator_adopt(indicator=proposal)


def test_the_straw_poll_closes_once_adopted(indicator, member):
    with pytest.raises(ValidationError):
        services.indicator_opinion_set(indicator=indicator, user=member, choice="object")


def test_a_measured_indicator_is_never_deleted(indicator):
    MeasurementFactory(indicator=indicator)
    with pytest.raises(ProtectedError):
        indicator.delete()
    services.indicator_retire(indicator=indicator)
    assert Indicator.objects.get(pk=indicator.pk).status == Indicator.Status.RETIRED


def test_a_value_is_stored_for_the_start_of_its_period(indicator, member):
    measurement, created = services.measurement_record(
        indicator=indicator, day=date(2026, 11, 26), value=D(70), by=member, source="manual"
    )
    assert created
    assert measurement.period_start == date(2026, 11, 23)


def test_correcting_a_value_keeps_the_previous_one_with_who_and_when(indicator, member, lead):
    services.measurement_record(
        indicator=indicator, day=date(2026, 11, 23), value=D(70), by=member, source="manual"
    )
    measurement, created = services.measurement_record(
        indicator=indicator, day=date(2026, 11, 25), value=D(72), by=lead, source="manual"
    )
    assert not created
    assert measurement.value == D(72)
    revision = MeasurementRevision.objects.get()
    assert (revision.old_value, revision.changed_by) == (D(70), lead)
    assert revision.changed_at is not None
    assert Measurement.objects.count() == 1


def test_sending_the_same_value_again_changes_nothing(indicator, member):
    for _ in range(2):
        services.measurement_record(
            indicator=indicator, day=date(2026, 11, 23), value=D(70), by=member, source="api"
        )
    assert Measurement.objects.count() == 1
    assert not MeasurementRevision.objects.exists()


def test_the_database_refuses_two_values_for_one_period(indicator):
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 23))
    with pytest.raises(IntegrityError):
        MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 23))


def test_a_target_change_applies_from_its_period_on(indicator, manager):
    services.indicator_target_set(
        indicator=indicator, valid_from=date(2026, 6, 3), value=D(90), by=manager
    )
    assert list(indicator.targets.order_by("valid_from").values_list("valid_from", "value")) == [
        (date(2020, 1, 6), D(80)),
        (date(2026, 6, 1), D(90)),
    ]


def test_api_tokens_are_stored_hashed(team, manager):
    token, raw = services.api_token_create(team=team, name="help desk", by=manager)
    assert raw.startswith("coc_")
    assert raw not in token.token_hash
    assert len(token.token_hash) == 64


def test_review_notes_are_kept_per_period(team, member, indicator):
    note = services.review_note_add(
        team=team,
        author=member,
        period_start=date(2026, 11, 23),
        indicator=indicator,
        where_we_stand="Better",
        working="Triage",
        holding_back="Leave",
    )
    assert note.team == team


def test_other_team_indicators_are_separate(indicator):
    other = IndicatorFactory()
    assert other.team != indicator.team


# One rule for values given by people and other systems (manual, CSV, API)


def _checkin_fed(team):
    from improvement.models import CheckinIndicator

    indicator = IndicatorFactory(team=team, name="Check-in participation", source="api")
    CheckinIndicator.objects.create(team=team, kind="participation", indicator=indicator)
    return indicator


@pytest.mark.parametrize("source", ["manual", "csv", "api"])
def test_people_and_systems_enter_values_into_adopted_indicators(indicator, member, source):
    measurement, created = services.measurement_enter(
        indicator=indicator, day=date(2026, 11, 23), value=D(70), by=member, source=source
    )
    assert created
    assert measurement.source == source


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": Indicator.Status.PROPOSED}, "still a proposal"),
        ({"status": Indicator.Status.RETIRED}, "retired"),
        ({"source": Indicator.Source.SURVEY}, "client survey"),
    ],
)
@pytest.mark.parametrize("source", ["manual", "csv", "api"])
def test_entries_are_refused_for_proposals_retired_and_survey_fed_indicators(
    team, member, fields, reason, source
):
    indicator = IndicatorFactory(team=team, **fields)
    with pytest.raises(services.MeasurementRefused, match=reason):
        services.measurement_enter(
            indicator=indicator, day=date(2026, 11, 23), value=D(70), by=member, source=source
        )
    assert not Measurement.objects.exists()


def test_a_check_in_indicator_takes_its_values_from_the_check_ins_only(team, member):
    indicator = _checkin_fed(team)
    with pytest.raises(services.MeasurementRefused, match="check-ins"):
        services.measurement_enter(
            indicator=indicator, day=date(2026, 11, 23), value=D(70), by=member, source="manual"
        )
    # The improvement app's own feed still writes it, proposal or not.
    Indicator.objects.filter(pk=indicator.pk).update(status=Indicator.Status.PROPOSED)
    indicator.refresh_from_db()
    services.measurement_record(
        indicator=indicator, day=date(2026, 11, 23), value=D(70), by=None, source="api"
    )
    assert indicator.measurements.get().value == D(70)


def test_a_value_entered_after_a_retirement_is_refused(indicator, member):
    stale_copy = Indicator.objects.get(pk=indicator.pk)
    services.indicator_retire(indicator=indicator)
    with pytest.raises(services.MeasurementRefused):
        services.measurement_enter(
            indicator=stale_copy, day=date(2026, 11, 23), value=D(1), by=member, source="manual"
        )


def test_a_proposal_cannot_be_retired(proposal):
    with pytest.raises(ValidationError):
        services.indicator_retire(indicator=proposal)
    assert Indicator.objects.get(pk=proposal.pk).status == Indicator.Status.PROPOSED


def test_targets_are_set_on_adopted_indicators_only(indicator, proposal, manager):
    indicator = services.indicator_retire(indicator=indicator)
    for which in (indicator, proposal):
        with pytest.raises(ValidationError):
            services.indicator_target_set(
                indicator=which, valid_from=date(2026, 6, 1), value=D(90), by=manager
            )
    assert not indicator.targets.filter(valid_from=date(2026, 6, 1)).exists()


def test_retiring_an_indicator_closes_its_surveys(team, indicator):
    from .factories import SurveyFactory

    survey = SurveyFactory(team=team, indicator=indicator)
    services.indicator_retire(indicator=indicator)
    survey.refresh_from_db()
    assert not survey.is_open
