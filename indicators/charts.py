"""Server-side SVG geometry for sparklines and trend charts (templates draw the SVG)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .metrics import Target, target_for


def _scale(values: Sequence[float], low: float, high: float, top: float, bottom: float):
    span = (high - low) or 1.0
    return [bottom - (v - low) / span * (bottom - top) for v in values]


def sparkline(values: Sequence[Decimal], width: int = 120, height: int = 32) -> str:
    """SVG polyline points for values in chronological order ("" when fewer than 2)."""
    if len(values) < 2:
        return ""
    floats = [float(v) for v in values]
    ys = _scale(floats, min(floats), max(floats), 3, height - 3)
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{y:.1f}" for i, y in enumerate(ys))


def _nice_scale(low: float, high: float, ticks: int = 4) -> tuple[float, float, float]:
    """Bounds and step of a y axis on round numbers (1, 2 or 5 times a power of ten)."""
    if high == low:
        high, low = high + 1, low - 1
    raw = (high - low) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


@dataclass
class TrendChart:
    width: int = 720
    height: int = 260
    line: str = ""
    target_lines: list[str] = field(default_factory=list)
    points: list[dict] = field(default_factory=list)
    y_ticks: list[dict] = field(default_factory=list)
    x_ticks: list[dict] = field(default_factory=list)
    tick_places: int = 0


def trend_chart(
    series: Sequence[tuple[date, Decimal, str]], targets: Sequence[Target], direction: str
) -> TrendChart | None:
    """Geometry of the trend: the value line, the target as a step line (or the two
    bounds of a range), a dot per value (marked when it carries a note) and axes."""
    chart = TrendChart()
    if not series:
        return None
    left, right, top, bottom = 56, chart.width - 12, 12, chart.height - 28
    values = [float(v) for _, v, _ in series]
    per_point = [target_for(targets, d) for d, _, _ in series]
    bounds = []
    for t in per_point:
        if t is not None:
            bounds += [float(b) for b in (t.value, t.low, t.high) if b is not None]
    low, high, tick_step = _nice_scale(min(values + bounds), max(values + bounds))
    n = len(series)
    step = (right - left) / (n - 1) if n > 1 else 0
    xs = [left + i * step if n > 1 else (left + right) / 2 for i in range(n)]
    ys = _scale(values, low, high, top, bottom)
    chart.line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    for (day, value, note), x, y in zip(series, xs, ys, strict=True):
        chart.points.append(
            {"x": f"{x:.1f}", "y": f"{y:.1f}", "note": note, "day": day, "value": value}
        )
    for attr in ("value", "low", "high"):
        coords = []
        for x, t in zip(xs, per_point, strict=True):
            bound = getattr(t, attr) if t is not None else None
            if bound is None:
                continue
            (y,) = _scale([float(bound)], low, high, top, bottom)
            if coords and coords[-1][1] != y:
                coords.append((x, coords[-1][1]))
            coords.append((x, y))
        if coords:
            chart.target_lines.append(" ".join(f"{x:.1f},{y:.1f}" for x, y in coords))
    # The ticks' labels are numbers the template writes in the language's format, with
    # the decimals their step needs (0.5 needs one).
    chart.tick_places = max(0, -math.floor(math.log10(tick_step)))
    v = low
    while v <= high + tick_step / 2:
        (y,) = _scale([v], low, high, top, bottom)
        chart.y_ticks.append({"y": f"{y:.1f}", "value": round(v, chart.tick_places)})
        v += tick_step
    for i in sorted({0, n // 2, n - 1}):
        anchor = "start" if i == 0 and n > 1 else ("end" if i == n - 1 and n > 1 else "middle")
        chart.x_ticks.append({"x": f"{xs[i]:.1f}", "label": series[i][0], "anchor": anchor})
    return chart
