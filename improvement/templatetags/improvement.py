from django import template

from accounts.models import User

from .. import selectors

register = template.Library()


@register.inclusion_tag("improvement/_my_ideas.html")
def my_ideas_waiting(user: User) -> dict:
    """The home page's "my ideas waiting for a next step"."""
    return {"ideas": list(selectors.ideas_waiting_for(user=user)[:20])}


@register.filter
def revealed(meeting, question: str) -> bool:
    return meeting.is_revealed(question)


@register.inclusion_tag("improvement/_checkins_waiting.html")
def checkins_waiting(user: User) -> dict:
    """The home page's "your weekly check-in", in the teams where questions wait."""
    return {"waiting": selectors.checkins_waiting_for(user=user)}
