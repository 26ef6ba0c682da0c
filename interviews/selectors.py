"""Reads of the client-voice area and its permission-checked getters (outsider 404,
wrong role 403: teams.selectors.membership_get)."""

from collections.abc import Collection

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from teams.models import Membership, Team
from teams.selectors import EVERYONE, membership_get

from .models import Belief, Guide, GuideQuestion, Highlight, Interview, Stakeholder


def interview_get_for_user(
    *, user: User, team_slug: str, pk: int, roles: Collection[str] = EVERYONE
) -> tuple[Membership, Interview]:
    membership = membership_get(user=user, team_slug=team_slug, roles=roles)
    try:
        interview = Interview.objects.select_related(
            "stakeholder__client_group", "guide", "interviewer"
        ).get(team=membership.team, pk=pk)
    except Interview.DoesNotExist:
        raise Http404 from None
    interview.team = membership.team
    return membership, interview


def stakeholder_get_for_user(
    *, user: User, team_slug: str, pk: int, roles: Collection[str] = EVERYONE
) -> tuple[Membership, Stakeholder]:
    membership = membership_get(user=user, team_slug=team_slug, roles=roles)
    try:
        stakeholder = Stakeholder.objects.select_related("client_group").get(
            team=membership.team, pk=pk
        )
    except Stakeholder.DoesNotExist:
        raise Http404 from None
    return membership, stakeholder


def interviews_list(*, team: Team) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(team=team)
        .select_related("stakeholder__client_group", "interviewer", "guide")
        .annotate(highlight_count=Count("highlights", distinct=True))
        .order_by("-scheduled_at", "-pk")  # Meta.ordering does not apply to a GROUP BY
    )


def stakeholders_list(*, team: Team) -> QuerySet[Stakeholder]:
    return (
        Stakeholder.objects.filter(team=team)
        .select_related("client_group")
        .annotate(interview_count=Count("interviews", filter=~Q(interviews__status="cancelled")))
        .order_by("name", "pk")
    )


def guides_list(*, team: Team) -> QuerySet[Guide]:
    return team.interview_guides.prefetch_related(
        Prefetch("questions", queryset=GuideQuestion.objects.order_by("position"))
    )


def guide_questions(*, interview: Interview) -> list[GuideQuestion]:
    if interview.guide is None:
        return []
    return list(interview.guide.questions.order_by("position"))


def interview_highlights(*, interview: Interview) -> list[Highlight]:
    return list(interview.highlights.prefetch_related("keywords").order_by("position", "pk"))


def stakeholder_history(*, stakeholder: Stakeholder) -> list[Interview]:
    """The person's interviews, oldest first, with their words and criteria: what
    changed reads from one to the next."""
    return list(
        stakeholder.interviews.exclude(status=Interview.Status.CANCELLED)
        .select_related("interviewer")
        .prefetch_related(
            Prefetch("highlights", queryset=Highlight.objects.prefetch_related("keywords")),
            "criteria",
        )
        .order_by("scheduled_at", "pk")
    )


def beliefs_list(*, team: Team) -> QuerySet[Belief]:
    return Belief.objects.filter(team=team).select_related("keyword", "author")


def stakeholder_export(*, stakeholder: Stakeholder) -> dict:
    """Everything the team keeps about one person, for a request to see it."""
    interviews = stakeholder_history(stakeholder=stakeholder)
    notes = {
        i.pk: list(i.notes.order_by("position").values("question", "body")) for i in interviews
    }
    return {
        "name": stakeholder.name,
        "role": stakeholder.role,
        "organisation": stakeholder.organisation,
        "contact": stakeholder.contact,
        "language": stakeholder.language,
        "client_group": stakeholder.client_group.name,
        "consent_notes": stakeholder.consent_notes,
        "consent_named": stakeholder.consent_named,
        "created_at": stakeholder.created_at.isoformat(),
        "interviews": [
            {
                "date": i.scheduled_at.isoformat(),
                "status": i.status,
                "notes": notes[i.pk],
                "quotes": [h.text for h in i.highlights.all() if h.text],
                "satisfaction_criteria": [c.text for c in i.criteria.all()],
            }
            for i in interviews
        ],
    }
