"""The clients' words where the team decides: `{% client_quotes team %}` on the
workshop's screens (the projector included), names and addresses masked."""

from django import template
from django.db.models import Count

from charter.models import Keyword

from ..synthesis import keyword_evidence

register = template.Library()

SHOWN = 6


@register.inclusion_tag("interviews/_workshop_evidence.html")
def client_quotes(team) -> dict:
    """The keywords clients' words speak of most, each with its quotes beside its
    observations (counts of both, and distinct clients). Five queries."""
    evidence = keyword_evidence(team=team, shared=True)[:SHOWN]
    observed = dict(
        Keyword.objects.filter(pk__in=[e.keyword_id for e in evidence])
        .annotate(n=Count("observations"))
        .values_list("pk", "n")
    )
    for item in evidence:
        item.observation_count = observed.get(item.keyword_id, 0)
        item.examples = item.examples[:2]
    return {"evidence": evidence}
