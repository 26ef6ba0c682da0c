"""Reading and validating a CSV file of measurements (nothing is written here)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from teams.models import Team

from . import metrics
from .models import Indicator

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("indicator", "period", "value")


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_csv(*, team: Team, data: bytes) -> ImportResult:
    """Validates every row; errors carry the line number of the file (header is line 1)."""
    result = ImportResult()
    text = _decode(data) if len(data) <= MAX_BYTES else None
    if text is None:
        result.errors.append((0, _("The file is not a readable CSV file (UTF-8, at most 2 MB).")))
        return result
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    reader.fieldnames = header
    indicators = Indicator.objects.filter(team=team).exclude(status=Indicator.Status.RETIRED)
    by_name = {i.name.strip().lower(): i for i in indicators}
    by_id = {str(i.pk): i for i in by_name.values()}
    seen: dict[tuple[int, date], int] = {}
    try:
        _read_rows(reader, result, by_id, by_name, seen)
    except csv.Error as error:
        result.errors.append((reader.line_num, _("Unreadable line: %(error)s.") % {"error": error}))
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no rows.")))
    return result


def _read_rows(reader, result: ImportResult, by_id: dict, by_name: dict, seen: dict) -> None:
    for row in reader:
        line = reader.line_num
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append((line, _("Too many rows: at most %(n)d.") % {"n": MAX_ROWS}))
            break
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        name = (row.get("indicator") or "").strip()
        indicator = by_id.get(name) or by_name.get(name.lower())
        if indicator is None:
            result.errors.append((line, _("Unknown indicator “%(name)s”.") % {"name": name}))
            continue
        try:
            day = date.fromisoformat((row.get("period") or "").strip())
            if not metrics.is_plausible_day(day):
                raise ValueError
        except ValueError:
            result.errors.append(
                (line, _("Bad date “%(value)s”: use YYYY-MM-DD.") % {"value": row.get("period")})
            )
            continue
        value = metrics.parse_decimal(row.get("value") or "")
        if value is None:
            result.errors.append(
                (line, _("Bad number “%(value)s”.") % {"value": row.get("value") or ""})
            )
            continue
        start = metrics.period_start(day, indicator.frequency)
        if (indicator.pk, start) in seen:
            result.errors.append(
                (
                    line,
                    _("Duplicate period: line %(other)d already gives %(name)s for %(period)s.")
                    % {"other": seen[indicator.pk, start], "name": indicator.name, "period": start},
                )
            )
            continue
        seen[indicator.pk, start] = line
        result.rows.append(
            {
                "line": line,
                "indicator_id": indicator.pk,
                "indicator": indicator.name,
                "period": start.isoformat(),
                "frequency": indicator.frequency,
                "value": str(value),
                "note": (row.get("note") or "").strip()[:300],
            }
        )
