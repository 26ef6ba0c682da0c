"""Which point of the previous charter version a new point carries on.

A point keeps its lineage (and so its check-ins, survey ratings and indicator links)
from one version to the next when it keeps its keyword, or, failing that, when its
statement is a rewording of a point the new version no longer has. Anything else is a new
point; a previous point that nothing carries on is retired.
"""

import re
import uuid
from collections.abc import Sequence

from .models import CharterPoint, keyword_normalise

# How alike two statements must be (difflib's ratio on normalised words, 0 to 1) for the
# new one to count as a rewording: "Call every client back within a day" and "Call
# every client back within one working day" are 0.86 alike; unrelated points of one
# charter score 0.2-0.45.
REWORDED = 0.6


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", keyword_normalise(text)))


def similarity(a: str, b: str) -> float:
    """The share of words two statements have in common (Dice's coefficient), whatever
    their order, case or accents."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return 0.0
    return 2 * len(words_a & words_b) / (len(words_a) + len(words_b))


def carried(
    previous: Sequence[CharterPoint], drafts: Sequence[tuple[str, str]]
) -> list[CharterPoint | None]:
    """For each new point, given as (keyword, statement), the previous point it carries
    on, or None for a new point. Each previous point is carried on at most once: first
    by the new point with its keyword, then by the closest rewording."""
    result: list[CharterPoint | None] = [None] * len(drafts)
    free = {point.pk: point for point in previous}
    by_keyword = {keyword_normalise(point.keyword): point for point in previous}
    for i, (keyword, _statement) in enumerate(drafts):
        point = by_keyword.get(keyword_normalise(keyword))
        if point is not None and point.pk in free:
            result[i] = free.pop(point.pk)
    pairs = sorted(
        (
            (similarity(statement, point.statement), i, point.pk)
            for i, (_keyword, statement) in enumerate(drafts)
            if result[i] is None
            for point in free.values()
        ),
        reverse=True,
    )
    for score, i, pk in pairs:
        if score < REWORDED:
            break
        if result[i] is None and pk in free:
            result[i] = free.pop(pk)
    return result


def lineages(
    previous: Sequence[CharterPoint], drafts: Sequence[tuple[str, str]]
) -> list[uuid.UUID]:
    """The lineage of each new point: the one it carries on, or a new one."""
    return [point.lineage if point else uuid.uuid4() for point in carried(previous, drafts)]
