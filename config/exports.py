"""What every CSV export of the project shares."""

import csv

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe;
    numbers and dates (not str) are written as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class SafeCsvWriter:
    """csv.writer for exports people open in a spreadsheet: what members typed (notes,
    answers, keywords) can never run as a formula there."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in row])
