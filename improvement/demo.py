"""Demo data: a past gap-analysis meeting, ideas in every phase with history and feedback."""

from datetime import timedelta

from django.utils import timezone

from charter.models import CharterVersion
from teams.demo import DemoWorld

from . import selectors, services
from .models import (
    ChangeIdea,
    Checkin,
    CheckinSettings,
    FocusArea,
    GapAnswer,
    GapMeeting,
    IdeaComment,
    PhaseChange,
    Step,
)

ANSWERS = [
    ("benefit", "Field technicians stop calling twice for the same part.", "Fewer repeat calls"),
    ("benefit", "Customers feel someone owns their problem.", "Trust"),
    ("benefit", "Less stress at the end of the day: no pile of callbacks.", "Fewer repeat calls"),
    ("obstacles", "Voicemails are only checked in the afternoon.", "Voicemail"),
    ("obstacles", "We don't know who is handling which request.", "Ownership"),
    ("obstacles", "The planning tool shows outdated slots.", "Tools"),
    ("actions", "Call back every voicemail before noon.", "Voicemail"),
    ("actions", "Put our initials on a request as soon as we take it.", "Ownership"),
    ("actions", "Send a short text message when a technician's part is ready.", ""),
    ("actions", "Ask the planning team for a weekly slot update.", "Tools"),
]

# (title, owner index in world.everyone, phase path, days since the last move, next step)
IDEAS = [
    (
        "Call back every voicemail before noon",
        2,
        ["test", "adapted", "live"],
        10,
        "Keep it in the Monday check-in",
    ),
    (
        "Initials on a request as soon as we take it",
        3,
        ["test", "adapted"],
        5,
        "Try the shared inbox labels instead of initials",
    ),
    ("Text message when a part is ready", 4, ["test"], 25, "Ask IT for the SMS gateway"),
    ("Weekly slot update from the planning team", 0, [], 3, "Meet their lead on Thursday"),
    ("Greet callers by name from the customer record", 5, [], 1, "Check the phone integration"),
    ("A second daily voicemail round at 16:00", 6, ["dropped"], 12, ""),
]


def seed(world: DemoWorld) -> None:
    seed_ideas(world)
    seed_checkins(world)
    # This week's check-in e-mails, if their time has come: planned now, so that the
    # demo's last step (meetings.demo.settle) counts them as sent, not to send on start.
    services.checkin_reminders_plan(now=timezone.now())


def seed_ideas(world: DemoWorld) -> None:
    now = timezone.now()
    people = world.everyone
    held = now - timedelta(days=21)
    meeting = GapMeeting.objects.create(
        team=world.team,
        focus_area=FocusArea.TIMELINESS,
        focus_detail="calls from field technicians",
        facilitator=world.manager,
        step=Step.CLOSED,
        step_started_at=held,
        created_at=held,
        closed_at=held + timedelta(minutes=31),
        revealed_benefit=True,
        revealed_obstacles=True,
        revealed_actions=True,
    )
    answers = [
        GapAnswer.objects.create(
            meeting=meeting,
            question=question,
            body=body,
            group_label=group,
            author=people[2 + i % 5],
            anonymous=i % 4 == 1,
            highlighted=question == "actions" and i % 2 == 0,
            created_at=held + timedelta(minutes=2 + 2 * i),
        )
        for i, (question, body, group) in enumerate(ANSWERS)
    ]
    actions = [a for a in answers if a.question == "actions"]
    for n, (title, owner, path, days, next_step) in enumerate(IDEAS):
        created = held + timedelta(minutes=30) if n < 4 else now - timedelta(days=days + 2)
        idea = ChangeIdea.objects.create(
            team=world.team,
            title=title,
            focus_area=FocusArea.TIMELINESS if n != 4 else FocusArea.FIRST_GREETING,
            owner=people[owner],
            next_step=next_step,
            due_date=(now + timedelta(days=7 + n)).date() if path != ["dropped"] else None,
            source="gap_analysis" if n < 4 else "anyone",
            gap_meeting=meeting if n < 4 else None,
            source_answer=actions[n] if n < 4 else None,
            created_by=world.manager,
            created_at=created,
            moved_at=created,
        )
        previous, step_day = "idea", created
        for i, phase in enumerate(path):
            at = now - timedelta(days=days) if i == len(path) - 1 else step_day + timedelta(days=3)
            note = (
                "Nobody is free at 16:00: we keep the morning round." if phase == "dropped" else ""
            )
            PhaseChange.objects.create(
                idea=idea, from_phase=previous, to_phase=phase, by=people[owner], at=at, note=note
            )
            previous, step_day = phase, at
        idea.phase = previous
        idea.moved_at = step_day
        idea.dropped_reason = (
            "Nobody is free at 16:00: we keep the morning round." if previous == "dropped" else ""
        )
        idea.save()
        if n < 3:
            IdeaComment.objects.create(
                idea=idea,
                author=people[(owner + 1) % len(people)],
                body="Tried it twice this week: clients noticed.",
                created_at=step_day + timedelta(hours=5),
            )


def seed_checkins(world: DemoWorld) -> None:
    """Eight weeks of check-ins on the demo charter (if the charter app seeded one)."""
    points = list(selectors.current_points(team=world.team))
    if not points:
        return
    CheckinSettings.objects.create(team=world.team, weekday=4, reminder_hour=14)
    this_week = selectors.team_week(team=world.team)
    # Each week answers the charter version of its time (the demo revised it lately).
    versions = list(
        CharterVersion.objects.filter(charter__team=world.team)
        .prefetch_related("points")
        .order_by("published_at")
    )
    rows = []
    for n in range(1, 9):
        week = this_week - timedelta(weeks=n)
        in_force = [v for v in versions if v.published_at.date() <= week + timedelta(days=6)]
        points = list((in_force[-1] if in_force else versions[0]).points.all())
        for i, person in enumerate(world.everyone):
            if (i + n) % 5 == 0:  # somebody skips a week now and then
                continue
            for j, point in enumerate(points):
                yes = (i + j + n) % (3 if n > 4 else 5) != 0  # a slow rise
                example = EXAMPLES[(i + j + n) % len(EXAMPLES)] if yes and (i + j) % 3 == 0 else ""
                rows.append(
                    Checkin(
                        team=world.team,
                        user=person,
                        point=point,
                        lineage=point.lineage,
                        week=week,
                        answer="yes" if yes else "not_yet",
                        example=example,
                        share_example=bool(example) and (i + n) % 2 == 0,
                    )
                )
    Checkin.objects.bulk_create(rows)


EXAMPLES = [
    "Called a technician back before noon with the part's delivery date.",
    "Explained the new tariff to a customer who was worried about her bill.",
    "Walked a new customer through the app instead of sending the link.",
    "Warned the planning team before they had to ask.",
]
