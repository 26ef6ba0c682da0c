"""The charter's panel on the team's overview page (teams/overview.py)."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from teams import overview

from .models import CharterPoint, CharterVersion, Endorsement, Workshop


def charter_panel(*, team, membership, user) -> overview.Panel:
    """The current version (its keywords, who committed), or the workshop under way; the
    step: commit to the charter, join or run the workshop, start the first one. Two
    queries."""
    version = (
        CharterVersion.objects.filter(charter__team=team)
        .annotate(
            commitments=Count("endorsements", distinct=True),
            mine=Exists(Endorsement.objects.filter(version=OuterRef("pk"), user=user)),
        )
        .prefetch_related(Prefetch("points", queryset=CharterPoint.objects.order_by("position")))
        .order_by("-number")
        .first()
    )
    workshop = Workshop.objects.filter(team=team, published_at=None).order_by("-created_at").first()
    manager = membership.is_manager
    action, urgent = None, False
    if workshop is not None:
        name = "charter:workshop_run" if manager else "charter:workshop"
        label = _("Run the workshop") if manager else _("Join the workshop")
        reason = _("“%(title)s” is at the step: %(step)s.") % {
            "title": workshop.title,
            "step": workshop.get_step_display(),
        }
        action = overview.Action(label, reverse(name, args=[team.slug, workshop.pk]), reason)
        urgent = True
    elif version is not None and not version.mine:
        url = reverse("charter:charter", args=[team.slug]) + "#endorsements"
        reason = _("Version %(n)s is the team's charter: say you commit to it.") % {
            "n": version.number
        }
        action, urgent = overview.Action(_("Commit to the charter"), url, reason), True
    elif version is None and manager:
        url = reverse("charter:workshop_create", args=[team.slug])
        reason = _("The team has no charter yet.")
        action, urgent = overview.Action(_("Start the charter workshop"), url, reason), True
    elif version is None:
        url = reverse("charter:observation_create", args=[team.slug])
        reason = _("What you notice this week feeds the team's charter workshop.")
        action = overview.Action(_("Log a client contact you noticed"), url, reason)
        urgent = True
    else:
        action = overview.Action(
            _("Read the charter"), reverse("charter:charter", args=[team.slug])
        )
    return overview.Panel(
        key="charter",
        title=_("Our charter"),
        template="charter/_overview.html",
        context={"version": version, "workshop": workshop},
        action=action,
        urgent=urgent,
        order=10,
    )


def register() -> None:
    overview.register(charter_panel)
