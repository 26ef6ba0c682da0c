from django import template

from coaching import selectors

register = template.Library()


@register.inclusion_tag("coaching/_home.html")
def my_coaching(user):
    """The person's one-to-ones and open objectives, on their home page."""
    talks, objectives = selectors.my_coaching(user=user)
    return {"user": user, "talks": talks, "objectives": objectives}
