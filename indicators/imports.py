"""Reading and validating a CSV file of measurements (nothing is written here)."""

import codecs
import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from teams.models import Team

from . import metrics, rules, selectors
from .models import Indicator
from .services import measurement_entry_refusal

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


def digest(rows: list[dict]) -> str:
    """A fingerprint of checked rows: the confirm form carries the one it previewed."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


# Checked in this order: a UTF-32 little-endian mark begins like a UTF-16 one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # Excel's "Unicode text"
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ZIP_SIGNATURE = b"PK\x03\x04"  # .xlsx and .ods workbooks are zip files


class Unreadable(Exception):
    """The file is not text we can read; the message says what to do."""


def _decode(data: bytes) -> str:
    """The file's text: a byte-order mark tells UTF-8, UTF-16 or UTF-32; without one,
    UTF-8, then Windows-1252 (older spreadsheets' "CSV")."""
    save_as_csv = _("Save it from your spreadsheet as “CSV UTF-8” and check it again.")
    if data.startswith(ZIP_SIGNATURE):
        raise Unreadable(
            _("This is a spreadsheet workbook, not a CSV file. %(hint)s") % {"hint": save_as_csv}
        )
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(
                    _("The file announces %(encoding)s text but is damaged. %(hint)s")
                    % {"encoding": encoding.upper(), "hint": save_as_csv}
                ) from None
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text.split("\n", 1)[0]:  # UTF-16 without its byte-order mark
            break
        return text
    raise Unreadable(_("The file is not text we can read. %(hint)s") % {"hint": save_as_csv})


def _csv_error(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return _("a cell is too long (at most %(n)d characters).") % {"n": csv.field_size_limit()}
    return _("Unreadable line: %(error)s.") % {"error": error}


def parse_csv(*, team: Team, data: bytes) -> ImportResult:
    """Validates every row; errors carry the line number of the file (header is line 1)."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is too large: at most 2 MB.")))
        return result
    try:
        text = _decode(data)
    except Unreadable as error:
        result.errors.append((0, str(error)))
        return result
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:  # the header line itself
        result.errors.append((1, _csv_error(error)))
        return result
    header = [(h or "").strip().lower() for h in fieldnames]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    reader.fieldnames = header
    indicators = selectors.with_feed(Indicator.objects.filter(team=team))
    # Adopted last, so that an adopted indicator wins over a retired one of the same name.
    indicators = sorted(indicators, key=lambda i: i.status == Indicator.Status.ADOPTED)
    by_name = {i.name.strip().lower(): i for i in indicators}
    by_id = {str(i.pk): i for i in indicators}
    seen: dict[tuple[int, date], int] = {}
    try:
        _read_rows(reader, result, by_id, by_name, seen, selectors.team_today(team))
    except csv.Error as error:
        # line_num counts the lines read before the one the reader choked on.
        result.errors.append((reader.line_num + 1, _csv_error(error)))
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no rows.")))
    return result


def _has_nul(row: dict) -> bool:
    cells = [*row.values(), *(row.get(None) or [])]  # row[None]: cells beyond the header
    return any("\x00" in cell for cell in cells if isinstance(cell, str))


def _read_rows(
    reader, result: ImportResult, by_id: dict, by_name: dict, seen: dict, today: date
) -> None:
    for row in reader:
        line = reader.line_num
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append((line, _("Too many rows: at most %(n)d.") % {"n": MAX_ROWS}))
            break
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if _has_nul(row):  # PostgreSQL text cannot hold it; often a damaged file
            result.errors.append(
                (line, _("The line holds a NUL character (an invisible control character)."))
            )
            continue
        name = (row.get("indicator") or "").strip()
        indicator = by_id.get(name) or by_name.get(name.lower())
        if indicator is None:
            result.errors.append((line, _("Unknown indicator “%(name)s”.") % {"name": name}))
            continue
        refusal = measurement_entry_refusal(indicator=indicator)
        if refusal:
            result.errors.append((line, refusal))
            continue
        day = metrics.parse_iso_day(row.get("period") or "")
        if day is None:
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
        refusals = rules.measurement_refusals(
            indicator=indicator, day=day, value=value, today=today
        )
        if refusals:
            result.errors.extend((line, why) for why in refusals.values())
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
                "value": str(rules.quantize(value, indicator.unit)),
                "note": (row.get("note") or "").strip()[:300],
            }
        )
