from django import template

from meetings import selectors

register = template.Library()


@register.simple_tag
def next_meetings(user, limit: int = 3):
    """The next steering meetings of the person's teams, for the home page."""
    if not user.is_authenticated:
        return []
    return selectors.next_meetings_for_user(user=user, limit=limit)
