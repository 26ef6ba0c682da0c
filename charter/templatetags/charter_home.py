from django import template

from charter.selectors import workshops_in_progress_for

register = template.Library()


@register.inclusion_tag("charter/_waiting.html", takes_context=True)
def waiting_workshops(context) -> dict:
    """The "what waits for me" line: workshops in progress in the person's teams."""
    user = context["request"].user
    return {"workshops": list(workshops_in_progress_for(user=user)), "user": user}
