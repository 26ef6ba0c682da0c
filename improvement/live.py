"""The live screens of gap-analysis meetings: the facilitation toolkit's versions
(facilitation.live). Every screen of a meeting shows the same changes (one audience)."""

from facilitation.live import EVERYONE, FACILITATOR, STEP, TIMER, Live

__all__ = ["EVERYONE", "FACILITATOR", "GAP_MEETING", "STEP", "TIMER"]

GAP_MEETING = Live("gap-meeting", private=False)
