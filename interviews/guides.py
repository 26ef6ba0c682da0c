"""The two starter guides, for internal and for external clients, built on METHOD.md
section 11: stories before opinions, the client's own test of a good answer, how we
work with the other teams that serve them, and what they would change first.

Written with gettext, so a team gets them in the language of the person who adds them."""

from django.utils.translation import gettext_lazy as _

# The listening rules shown to the interviewer beside every question.
LISTENING_RULES = (
    _("Ask for a story, then for an example: what happened, who said what."),
    _("Restate what you heard in their words and check you got it right."),
    _("Do not defend, explain or argue, even when the blame seems unfair."),
    _("Promise nothing on the spot; say the team will come back to them."),
    _("Write their exact words when they matter: they are the evidence."),
)

# (text, purpose, follow-up prompts, topic): each guide opens and closes the same way.
_OPENING = (
    _("Think of a recent time you dealt with us and it went well. What happened?"),
    _("A real story tells us what we do right, in their words rather than ours."),
    _(
        "What led up to it?\nWhat exactly was said and done?\n"
        "What did it change for you afterwards?"
    ),
    "story",
)
_SETBACK = (
    _("And a recent time it did not go so well. Can you walk me through it?"),
    _("The critical moments show where the charter has to hold."),
    _(
        "When did you first notice something was wrong?\nWho did you talk to, and what "
        "did they say?\nWhat did it cost you: time, trust, a client of your own?"
    ),
    "story",
)
_SATISFIED = (
    _("What would make you say: “I am satisfied with the answer I got”?"),
    _("Their criteria are what our indicators should measure."),
    _("How fast is fast enough?\nHow would you know it was done well?\nCan you give an example?"),
    "criteria",
)
_FIRST_CHANGE = (
    _("If we changed one thing first, what should it be?"),
    _("Their priority, to set beside the team's own vote."),
    _("Why that one?\nWhat would you notice the day it changed?"),
    "priority",
)
_INTERNAL_COORDINATION = (
    _("Your requests often go through several teams. How do we work with the others?"),
    _("A diagnosis before any solution: which teams, which matters, why."),
    _(
        "Which teams are involved in your requests?\nWhere does a request get stuck or "
        "bounce between us?\nWhy do you think that happens?"
    ),
    "coordination",
)
_EXTERNAL_COORDINATION = (
    _("When several of our departments deal with you, how does it feel from your side?"),
    _("Clients see one organisation: where the hand-offs show, we have work to do."),
    _(
        "Did you have to repeat yourself to someone?\nWho do you feel owns your request?\n"
        "Which departments, for which matters?"
    ),
    "coordination",
)
_INTERNAL_ROLE = (
    _("What do you need from our team to do your own job well?"),
    _("Internal clients depend on us: their work is the reason for ours."),
    _("What do you count on us for each week?\nWhat do you do when we are late?"),
    "context",
)
_EXTERNAL_ROLE = (
    _("Tell me about your contacts with us: when, how, and for what?"),
    _("The setting of the stories that follow."),
    _("Phone, e-mail, in person?\nWho do you usually speak to?"),
    "context",
)

DEFAULT_GUIDES = {
    "internal": (
        _("Conversation with an internal client"),
        (_INTERNAL_ROLE, _OPENING, _SETBACK, _SATISFIED, _INTERNAL_COORDINATION, _FIRST_CHANGE),
    ),
    "external": (
        _("Conversation with an external client"),
        (_EXTERNAL_ROLE, _OPENING, _SETBACK, _SATISFIED, _EXTERNAL_COORDINATION, _FIRST_CHANGE),
    ),
}
