"""What the facilitator can ask at each step: questions that draw answers out of the team
rather than statements to read to it."""

from django.utils.translation import gettext_lazy as _

from .models import Step

FACILITATOR_QUESTIONS = {
    Step.OBSERVE: [
        _("Which client contact from this week do you still remember, and why?"),
        _("When a client was grateful or reassured, what exactly had one of us done?"),
        _("Which of our clients are inside the company, and what do they expect from us?"),
    ],
    Step.PROPOSE: [
        _("Which word describes what we did in the contacts that went well?"),
        _("Is there a more technical quality our clients count on that nobody has named yet?"),
        _("Do two of these words mean the same thing to you?"),
    ],
    Step.VOTE: [
        _("Which behaviours would you be proud to be known for by our clients?"),
        _("Which ones do you believe we can actually live up to every day?"),
    ],
    Step.SELECT: [
        _("Looking at the ranking, does anything important seem to be missing?"),
        _("Where there is a tie, which keyword would change more for our clients?"),
        _("Can we all stand behind these five or six?"),
    ],
    Step.DRAFT: [
        _("What would a client see us do when we live up to this word?"),
        _("How could a colleague tell, at the end of the day, that it happened?"),
        _("Which wording would you still want to read in six months?"),
    ],
    Step.PUBLISH: [
        _("How do we want to use these coaching questions week after week?"),
        _("Who will we show this charter to first?"),
    ],
}
