"""Questions the facilitator can ask at each step: they draw answers out of the team
(METHOD.md section 1) rather than announce conclusions."""

from django.utils.translation import gettext_lazy as _

from .models import Step

PROMPTS = {
    Step.BENEFIT: [
        _(
            "Think of a client who contacted us last week: what would have been different for "
            "them if we did better here?"
        ),
        _("What would change in our own working day if we made progress on this?"),
        _("How would we notice, concretely, that we have moved forward?"),
    ],
    Step.OBSTACLES: [
        _("Tell us about a recent case where it went wrong: what happened just before?"),
        _("Which of these obstacles are within our reach, and which are not?"),
        _("What do clients or the other departments say about it?"),
    ],
    Step.ACTIONS: [
        _("What is the smallest step we could try as early as next week?"),
        _("Who would like to try it first and tell the team how it went?"),
        _("What would we need from each other to make it work?"),
    ],
    Step.WRAPUP: [
        _("Which two or three ideas do we want to try first?"),
        _("Who owns each one, and what is their very next step?"),
        _(
            "When do we look at how it went? The follow-up slot of the steering meeting is "
            "a good moment."
        ),
    ],
}
