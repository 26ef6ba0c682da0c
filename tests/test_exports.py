"""What every CSV export shares (config/exports.py)."""

import csv
import io
from datetime import date
from decimal import Decimal

from config.exports import SafeCsvWriter


def test_text_a_spreadsheet_would_run_gets_an_apostrophe_numbers_do_not():
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["=SUM(A1)", "+33 1", "-5", "@x", "plain", Decimal("-5"), -2])
    SafeCsvWriter(out).writerow([date(2026, 11, 23), None, ""])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["'=SUM(A1)", "'+33 1", "'-5", "'@x", "plain", "-5", "-2"]
    assert rows[1] == ["2026-11-23", "", ""]
