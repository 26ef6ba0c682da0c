"""Practice situations for managers (METHOD.md section 9, in our own words).

The built-in situations live here, translated through the catalogue like every other
text; an organisation adds its own as rows (models.Situation), shown the same way.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Response:
    text: str
    works: bool
    why: str


@dataclass(frozen=True)
class Practice:
    key: str
    title: str
    setting: str
    responses: tuple[Response, ...]
    own: bool = False  # one of the organisation's own situations


BUILT_IN = (
    Practice(
        key="tone",
        title=_("Colleagues complain about someone's tone"),
        setting=_(
            "Several people from other departments tell you that one of your team "
            "members answers their requests curtly. Nobody has complained to the person "
            "directly. What do you do first?"
        ),
        responses=(
            Response(
                _("Send the whole team a reminder that every request deserves a courteous answer."),
                False,
                _(
                    "Everyone feels accused, and the person concerned rarely recognises "
                    "themselves in a general message: nothing changes."
                ),
            ),
            Response(
                _("Phone the person and tell them that colleagues are unhappy with their tone."),
                False,
                _(
                    "A reproach without facts puts the person on the defensive, and it "
                    "leaves them with a verdict instead of something to work on."
                ),
            ),
            Response(
                _(
                    "Plan a one-to-one: bring the facts, ask what the internal clients "
                    "expect, and build a response-quality objective together."
                ),
                True,
                _(
                    "A private, factual conversation keeps the person's dignity and starts "
                    "from what the clients need; an objective the person helped write is one "
                    "they will keep."
                ),
            ),
        ),
    ),
    Practice(
        key="first-question",
        title=_("The first question of the one-to-one"),
        setting=_(
            "The one-to-one about response quality has begun. You have shared the facts "
            "calmly. Which question do you ask first?"
        ),
        responses=(
            Response(
                _("“Which objective do you set yourself?”"),
                False,
                _(
                    "Too early: without a picture of what the clients notice, the person "
                    "can only guess at an abstract goal."
                ),
            ),
            Response(
                _(
                    "“Concretely, what would make the people in contact with you say they "
                    "are satisfied with the answer they got?”"
                ),
                True,
                _(
                    "It starts from the client's side and asks for something concrete and "
                    "observable, which then becomes the objective and its measure."
                ),
            ),
            Response(
                _("“I would like every request answered within two hours. Can you do that?”"),
                False,
                _(
                    "A target proposed by the manager ends the co-construction: the person "
                    "agrees out of politeness and does not own it."
                ),
            ),
        ),
    ),
    Practice(
        key="coordination",
        title=_("“We do our part, the others don't”"),
        setting=_(
            "Your team tells you: “We do our part, but clients complain that we "
            "coordinate badly with the other departments.” How do you respond?"
        ),
        responses=(
            Response(
                _("Set up a weekly coordination meeting with the other departments."),
                False,
                _(
                    "A solution before a diagnosis: you do not know yet which departments, "
                    "which matters or why, and the meeting may fix the wrong thing."
                ),
            ),
            Response(
                _(
                    "Ask for their view first: which departments, on which matters, and "
                    "why it goes wrong; then let the team propose what to do."
                ),
                True,
                _(
                    "Diagnosing together shows where the problem really is, and solutions "
                    "the team proposes itself are the ones it carries out."
                ),
            ),
            Response(
                _("Tell them it is a matter for management, not for the team."),
                False,
                _(
                    "It dismisses what the clients say and teaches the team that the "
                    "charter stops at its own door."
                ),
            ),
        ),
    ),
)
