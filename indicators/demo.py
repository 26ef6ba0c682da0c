"""Demo indicators for `manage.py seed_demo`: a year of weekly values on the demo team,
a proposal under discussion, review notes, a client survey, and a second team so the
lead dashboard shows more than one row."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from teams import services as team_services
from teams.demo import DemoWorld
from teams.models import Membership, Role, Team

from . import metrics, rules, selectors
from .models import (
    Comment,
    Indicator,
    IndicatorTarget,
    Measurement,
    Opinion,
    ReviewNote,
    Survey,
    SurveyAnswer,
    SurveyPointRating,
)

WEEKS = 52


def _weeks(today: date, count: int, skip_last: int = 0) -> list[date]:
    last = metrics.previous_period_start(today, "weekly") - timedelta(weeks=skip_last)
    return [last - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _adopted(team: Team, proposer, target: Decimal, **fields) -> Indicator:
    start = metrics.period_start(selectors.team_today(team), "weekly") - timedelta(weeks=WEEKS)
    indicator = Indicator.objects.create(
        team=team,
        proposed_by=proposer,
        status=Indicator.Status.ADOPTED,
        adopted_at=timezone.now() - timedelta(weeks=WEEKS),
        frequency=Indicator.Frequency.WEEKLY,
        **fields,
    )
    IndicatorTarget.objects.create(indicator=indicator, valid_from=start, value=target)
    return indicator


def _checked(indicator, day, value: float) -> Decimal:
    """A made-up value shaped by the indicator's rule (indicators/rules.py), the same one
    that checks the values people enter: whole counts, percentages within 0-100."""
    places = 0 if rules.decimals(indicator.unit) == 0 else 1
    value = Decimal(str(round(max(0.0, value), places)))
    if indicator.unit == Indicator.Unit.PERCENT:
        value = min(value, Decimal(100))
    refusals = rules.measurement_refusals(
        indicator=indicator, day=day, value=value, today=selectors.team_today(indicator.team)
    )
    if refusals:
        raise ValueError(f"demo value {value} for {indicator} on {day}: {refusals}")
    return value


def _series(indicator, weeks, start: float, end: float, noise: float, rng, by=None, notes=None):
    notes = notes or {}
    rows = []
    for n, week in enumerate(weeks):
        trend = start + (end - start) * n / max(1, len(weeks) - 1)
        value = _checked(indicator, week, trend + rng.uniform(-noise, noise))
        rows.append(
            Measurement(
                indicator=indicator,
                period_start=week,
                value=value,
                note=notes.get(len(weeks) - 1 - n, ""),
                source=indicator.source,
                entered_by=by,
            )
        )
    Measurement.objects.bulk_create(rows)


def _survey_answers(survey: Survey, weeks: list[date], rng: random.Random) -> None:
    comments = [
        "Quick and friendly, thank you.",
        "I had to call twice before someone called back.",
        "Clear explanation of my bill.",
        "",
        "",
    ]
    answers, values = [], []
    for n, week in enumerate(weeks):
        scores = [
            min(5, max(1, round(rng.gauss(3.2 + 1.2 * n / len(weeks), 1.0))))
            for _ in range(rng.randint(5, 12))
        ]
        for i, score in enumerate(scores):
            answers.append(
                SurveyAnswer(
                    survey=survey,
                    score=score,
                    comment=rng.choice(comments) if i < 2 else "",
                    nonce=f"demo-{survey.pk}-{n}-{i}",
                    period_start=week,
                )
            )
        values.append(
            Measurement(
                indicator=survey.indicator,
                period_start=week,
                value=_checked(survey.indicator, week, float(metrics.satisfaction(scores))),
                answer_count=len(scores),
                source=Indicator.Source.SURVEY,
            )
        )
    SurveyAnswer.objects.bulk_create(answers)
    Measurement.objects.bulk_create(values)
    points = list(selectors.charter_points_for_linking(team=survey.team) or [])[:3]
    SurveyPointRating.objects.bulk_create(
        SurveyPointRating(
            answer=answer, point=point, score=min(5, max(1, answer.score + rng.choice((-1, 0, 1))))
        )
        for answer in answers[::3]
        for point in points
    )


def seed(world: DemoWorld) -> None:
    rng = random.Random(4)
    team, manager = world.team, world.manager
    today = selectors.team_today(team)
    amina, tom, sofia, hugo, _lea = world.members
    technicians, households = world.client_groups
    weeks = _weeks(today, WEEKS)

    answered = _adopted(
        team,
        amina,
        Decimal(85),
        name="Answered within 4 hours",
        client_question="Did someone get back to me the same morning or afternoon?",
        observed="Requests answered (not just acknowledged) within 4 working hours.",
        measured="Weekly export of the help-desk: answered within 4 h / all requests.",
        unit=Indicator.Unit.PERCENT,
        direction=Indicator.Direction.HIGHER,
        baseline=Decimal(62),
        source=Indicator.Source.CSV,
        owner=amina,
        client_group=technicians,
    )
    _series(answered, weeks, 62, 88, 4, rng, by=amina, notes={8: "New rota with a morning triage"})
    first_reply = _adopted(
        team,
        tom,
        Decimal(60),
        name="First reply time",
        client_question="How long do I wait before a person answers me?",
        observed="Minutes between a request and the first human reply (median).",
        measured="Sent every Monday by the telephony system through the API.",
        unit=Indicator.Unit.MINUTES,
        direction=Indicator.Direction.LOWER,
        baseline=Decimal(95),
        source=Indicator.Source.API,
        owner=tom,
        client_group=households,
    )
    _series(first_reply, weeks, 95, 64, 8, rng)
    satisfaction = _adopted(
        team,
        sofia,
        Decimal(80),
        name="Satisfied households",
        client_question="Would I say I was satisfied with the answer I got?",
        observed="Answers to the one-question survey sent after each closed request.",
        measured="Share of answers scoring 4 or 5 out of 5 each week, with the number of answers.",
        unit=Indicator.Unit.PERCENT,
        direction=Indicator.Direction.HIGHER,
        source=Indicator.Source.SURVEY,
        owner=sofia,
        client_group=households,
    )
    survey = Survey.objects.create(
        team=team, client_group=households, indicator=satisfaction, created_by=manager
    )
    _survey_answers(survey, weeks, rng)
    follow_ups = _adopted(
        team,
        hugo,
        Decimal(20),
        name="Follow-up calls made",
        client_question="Did they call me back to check the problem was solved?",
        observed="Calls made after closing a request, to check it is solved.",
        measured="Counted by hand by whoever makes the call, entered each Friday.",
        unit=Indicator.Unit.COUNT,
        direction=Indicator.Direction.HIGHER,
        baseline=Decimal(6),
        owner=hugo,
        client_group=technicians,
    )
    # Stale on purpose: nobody has entered it for five weeks.
    _series(follow_ups, _weeks(today, WEEKS - 5, skip_last=5), 6, 17, 3, rng, by=hugo)

    # When the charter demo ran first, show which charter points the indicators make visible.
    points = list(selectors.charter_points_for_linking(team=team) or [])
    if points:
        answered.charter_points.set(points[:1])
        first_reply.charter_points.set(points[1:2])
        satisfaction.charter_points.set(points[:3])

    proposal = Indicator.objects.create(
        team=team,
        proposed_by=amina,
        name="Callbacks kept",
        client_question="When they promise to call me back, do they?",
        observed="Callbacks promised on the phone and made at the promised time.",
        measured="Promises logged in the ticket; checked each Friday.",
        unit=Indicator.Unit.PERCENT,
        direction=Indicator.Direction.HIGHER,
        baseline=Decimal(70),
        client_group=households,
    )
    IndicatorTarget.objects.create(
        indicator=proposal, valid_from=metrics.period_start(today, "weekly"), value=Decimal(95)
    )
    Opinion.objects.bulk_create(
        [
            Opinion(indicator=proposal, user=amina, choice=Opinion.Choice.SUPPORT),
            Opinion(indicator=proposal, user=tom, choice=Opinion.Choice.NEUTRAL),
            Opinion(indicator=proposal, user=hugo, choice=Opinion.Choice.OBJECT),
        ]
    )
    Comment.objects.create(
        indicator=proposal,
        author=hugo,
        body="95 % feels imposed. Could we start from where we are and agree a step?",
    )
    Comment.objects.create(
        indicator=proposal, author=amina, body="Fair: let's look at last month first."
    )

    for weeks_ago, stand, working, holding in [
        (1, "Answers within 4 h keep improving.", "Morning triage.", "Follow-ups not logged."),
        (5, "Satisfaction up five points.", "Callers get a name.", "Parts questions wait."),
        (9, "Reply time still above target.", "New rota.", "Two people on leave."),
    ]:
        ReviewNote.objects.create(
            team=team,
            period_start=metrics.previous_period_start(today, "weekly")
            - timedelta(weeks=weeks_ago - 1),
            where_we_stand=stand,
            working=working,
            holding_back=holding,
            author=manager,
        )

    _second_team(world, rng, today)
    entered_on_time()


def _second_team(world: DemoWorld, rng: random.Random, today: date) -> None:
    operations = team_services.department_create(organisation=world.organisation, name="Operations")
    planning = team_services.team_create(
        organisation=world.organisation,
        name="Field Planning",
        creator=world.manager,
        time_zone="Europe/Paris",
        department=operations,
    )
    Membership.objects.create(team=planning, user=world.lead, role=Role.LEAD)
    for user in world.members[3:]:
        Membership.objects.create(team=planning, user=user, role=Role.MEMBER)
    world.other_teams.append(planning)
    weeks = _weeks(today, WEEKS)
    specs = [
        ("Visits on the promised day", Indicator.Unit.PERCENT, "higher", 90, (78, 86, 3)),
        ("Reschedules announced 24 h ahead", Indicator.Unit.PERCENT, "higher", 80, (50, 58, 6)),
        ("Time to confirm a slot", Indicator.Unit.HOURS, "lower", 8, (14, 7, 1.5)),
    ]
    for name, unit, direction, target, (start, end, noise) in specs:
        indicator = _adopted(
            planning,
            world.lead,
            Decimal(target),
            name=name,
            client_question="Can I plan my day around your visit?",
            unit=unit,
            direction=direction,
        )
        _series(indicator, weeks, start, end, noise, rng)


def entered_on_time() -> None:
    """Each demo value was entered when its period ended (the next period's first day,
    10:00 team time), not all at the moment the demo was loaded: the agendas of past
    meetings count the values that arrived between them."""
    now = timezone.now()
    rows = list(Measurement.objects.select_related("indicator__team"))
    for row in rows:
        indicator = row.indicator
        following = row.period_start + metrics.STEP[indicator.frequency]
        entered = datetime.combine(following, time(10), ZoneInfo(indicator.team.time_zone))
        row.created_at = row.updated_at = min(entered, now)
    Measurement.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
