"""The live screens of workshops: the facilitation toolkit's versions (facilitation.live).

Two audiences: changes every screen shows, and changes only the facilitator's screen
shows (who joined, who is done, dots cast while totals are hidden).
"""

from facilitation.live import EVERYONE, FACILITATOR, STEP, TIMER, Live

__all__ = ["EVERYONE", "FACILITATOR", "STEP", "TIMER", "WORKSHOP"]

WORKSHOP = Live("workshop")
