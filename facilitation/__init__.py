"""The facilitation toolkit: what every facilitated session shares, whatever its content.

A workshop (charter) and a gap-analysis meeting (improvement) both walk a team through
steps on a shared screen, with a time box per step and phones that follow along. What
they share lives here, once:

- `facilitation.live`: each screen's live version, bumped after a change commits, the
  cheap poll (204 while nothing changed) and the hook through which a push channel
  learns what changed;
- `facilitation.timer`: the step's timer (running, paused, stopped) as a model mixin;
- `templates/facilitation/_timer.html` and `static/js/live.js`: the timer on screen and
  the live screen's behaviour in the browser.

It sits at the bottom layer beside `teams`: it imports no app, every app may import it.
"""

# The push channel listens to every change from the start, in every process that makes one.
from . import push  # noqa: E402, F401
