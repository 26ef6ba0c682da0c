import codecs
import csv
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import services
from indicators.imports import parse_csv
from indicators.models import Indicator, Measurement, MeasurementRevision

from .factories import IndicatorFactory, MeasurementFactory

BAD = b"""indicator,period,value,note
Answered within 4 hours,2026-11-16,87.5,
Unknown thing,2026-11-16,3,
Answered within 4 hours,16/11/2026,3,
Answered within 4 hours,2026-11-09,lots,
Answered within 4 hours,2026-11-18,88,same week as line 2
"""

GOOD = b"""indicator;period;value;note
Answered within 4 hours;2026-11-16;87,5;
Answered within 4 hours;2026-11-09;80;new rota
"""


def _upload(client, team, data: bytes):
    return client.post(
        reverse("indicators:import", args=[team.slug]),
        {"file": SimpleUploadedFile("values.csv", data, content_type="text/csv")},
    )


def _confirm(client, team, preview, **kwargs):
    """Sends the preview's confirm form, with the digest of the rows it showed."""
    digest = preview.context["digest"] if preview is not None else ""
    url = reverse("indicators:import_confirm", args=[team.slug])
    return client.post(url, {"digest": digest}, **kwargs)


def test_every_bad_row_is_reported_with_its_line_number(team, indicator):
    result = parse_csv(team=team, data=BAD)
    assert [line for line, _message in result.errors] == [3, 4, 5, 6]
    messages = " ".join(m for _line, m in result.errors)
    assert "Unknown indicator" in messages
    assert "Bad date" in messages
    assert "Bad number" in messages
    assert "Duplicate period: line 2" in messages
    assert not result.is_valid


def test_an_indicator_of_another_team_is_unknown(team, indicator):
    other = IndicatorFactory(name="Elsewhere")
    result = parse_csv(
        team=team, data=f"indicator,period,value\n{other.pk},2026-11-16,3\n".encode()
    )
    assert result.errors[0][0] == 2


def test_missing_columns_and_empty_files_are_refused(team, indicator):
    assert parse_csv(team=team, data=b"name,value\nx,1\n").errors[0][0] == 1
    assert parse_csv(team=team, data=b"indicator,period,value\n").errors
    assert parse_csv(team=team, data=b"\xff\xfe\x00garbage\x00").errors


def test_a_bad_file_is_rejected_and_nothing_is_written(member_client, team, indicator):
    response = _upload(member_client, team, BAD)
    assert response.status_code == 200
    assert b"Line 3:" in response.content
    assert b"Line 6:" in response.content
    assert b"Import these values" not in response.content
    response = member_client.post(reverse("indicators:import_confirm", args=[team.slug]))
    assert response.status_code == 302
    assert not Measurement.objects.exists()


def test_a_good_file_is_previewed_then_written(member_client, team, indicator, member):
    MeasurementFactory(indicator=indicator, period_start=date(2026, 11, 9), value=Decimal(70))
    response = _upload(member_client, team, GOOD)
    assert b"Import these values" in response.content
    assert b"replaces 70" in response.content
    assert Measurement.objects.count() == 1  # the preview writes nothing
    response = _confirm(member_client, team, response)
    assert response.status_code == 302
    values = dict(indicator.measurements.values_list("period_start", "value"))
    assert values == {date(2026, 11, 16): Decimal("87.5"), date(2026, 11, 9): Decimal(80)}
    assert MeasurementRevision.objects.get().old_value == Decimal(70)
    assert indicator.measurements.get(period_start=date(2026, 11, 16)).source == "csv"


def test_a_confirmed_import_cannot_be_replayed(member_client, team, indicator):
    preview = _upload(member_client, team, GOOD)
    _confirm(member_client, team, preview)
    response = _confirm(member_client, team, preview, follow=True)
    assert b"Nothing to import" in response.content


def test_retired_indicators_take_no_import(team, indicator):
    Indicator.objects.filter(pk=indicator.pk).update(status=Indicator.Status.RETIRED)
    assert parse_csv(team=team, data=GOOD).errors


def test_a_line_the_csv_reader_cannot_read_is_reported(team, indicator):
    data = b"indicator,period,value\nAnswered within 4 hours,2026-11-16,1\nbad\x00line,x,y\n"
    result = parse_csv(team=team, data=data)
    assert result.errors
    assert not result.is_valid


def test_implausible_dates_are_refused(team, indicator):
    result = parse_csv(
        team=team, data=b"indicator,period,value\nAnswered within 4 hours,0001-01-01,1\n"
    )
    assert result.errors[0][0] == 2


def test_the_preview_names_each_period_by_its_frequency(member_client, team, indicator):
    response = _upload(member_client, team, GOOD)
    assert "Week of Nov. 16, 2026" in response.content.decode()


def test_a_nul_character_in_a_cell_is_a_line_error(team, indicator):
    data = (
        b"indicator,period,value,note\n"
        b"Answered within 4 hours,2026-11-16,87,fine\n"
        b"Answered within 4 hours,2026-11-09,80,bad\x00note\n"
    )
    result = parse_csv(team=team, data=data)
    assert [line for line, _message in result.errors] == [3]
    assert "NUL" in result.errors[0][1]
    assert not result.is_valid


def test_a_header_longer_than_the_csv_field_limit_is_reported(member_client, team, indicator):
    data = b"indicator," + b"x" * (csv.field_size_limit() + 10) + b"\n"
    result = parse_csv(team=team, data=data)
    assert result.errors[0][0] == 1
    assert "too long" in result.errors[0][1]
    response = _upload(member_client, team, data)
    assert response.status_code == 200
    assert b"Line 1:" in response.content


def test_a_too_long_cell_is_reported_on_its_own_line(team, indicator):
    data = (
        b"indicator,period,value,note\n"
        b"Answered within 4 hours,2026-11-16,87,"
        + b"x" * (csv.field_size_limit() + 10)
        + b"\nAnswered within 4 hours,2026-11-09,80,\n"
    )
    result = parse_csv(team=team, data=data)
    assert [line for line, _message in result.errors] == [2]
    assert "too long" in result.errors[0][1]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_files_with_a_byte_order_mark_are_read(team, indicator, encoding):
    text = "indicator\tperiod\tvalue\tnote\nAnswered within 4 hours\t2026-11-16\t87,5\tcafé\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    result = parse_csv(team=team, data=data)
    assert not result.errors
    assert result.rows[0]["value"] == "87.50"
    assert result.rows[0]["note"] == "café"


def test_a_windows_1252_file_is_still_read(team, indicator):
    data = "indicator;period;value;note\nAnswered within 4 hours;2026-11-16;87;été\n"
    result = parse_csv(team=team, data=data.encode("cp1252"))
    assert result.rows[0]["note"] == "été"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + b"i\x00n\x00d",  # cut in the middle of a character
        "indicator,period,value\n".encode("utf-16-le"),  # UTF-16 without its mark
        b"PK\x03\x04\x14\x00\x06\x00",  # a spreadsheet workbook (.xlsx)
        b"\x81\x8d\x8f\x90\x9d",  # neither UTF-8 nor Windows-1252
    ],
)
def test_files_that_are_not_readable_text_get_a_clear_message(team, indicator, data):
    result = parse_csv(team=team, data=data)
    assert len(result.errors) == 1
    message = result.errors[0][1]
    assert "Missing columns" not in message
    assert "CSV" in message


def test_a_file_over_the_limit_is_refused_by_the_form_before_it_is_read(
    member_client, team, indicator, monkeypatch
):
    monkeypatch.setattr("indicators.imports.MAX_BYTES", 100)
    read = []
    monkeypatch.setattr("indicators.imports.parse_csv", lambda **kwargs: read.append(kwargs))
    response = _upload(member_client, team, GOOD + b"x" * 200)
    assert response.status_code == 200
    assert "at most 100" in str(response.context["form"].errors["file"])
    assert not read


def test_rows_for_proposals_retired_or_survey_fed_indicators_are_line_errors(team, indicator):
    IndicatorFactory(team=team, name="Idea", status=Indicator.Status.PROPOSED)
    IndicatorFactory(team=team, name="Old", status=Indicator.Status.RETIRED)
    IndicatorFactory(team=team, name="Satisfied clients", source=Indicator.Source.SURVEY)
    data = (
        b"indicator,period,value\n"
        b"Answered within 4 hours,2026-11-16,87\n"
        b"Idea,2026-11-16,1\n"
        b"Old,2026-11-16,1\n"
        b"Satisfied clients,2026-11-16,1\n"
    )
    result = parse_csv(team=team, data=data)
    assert [line for line, _message in result.errors] == [3, 4, 5]
    messages = [message for _line, message in result.errors]
    assert "still a proposal" in messages[0]
    assert "retired" in messages[1]
    assert "client survey" in messages[2]


def test_an_indicator_retired_after_the_preview_takes_none_of_the_file(
    member_client, team, indicator
):
    other = IndicatorFactory(team=team, name="Callbacks kept")
    data = GOOD + b"Callbacks kept;2026-11-16;12;\n"
    preview = _upload(member_client, team, data)
    assert b"Import these values" in preview.content
    services.indicator_retire(indicator=other)
    response = _confirm(member_client, team, preview)
    assert response.status_code == 200
    assert "Line 4:" in response.content.decode()
    assert "retired" in response.content.decode()
    assert not Measurement.objects.exists()  # all or nothing


def test_confirming_an_older_preview_asks_to_check_the_file_again(member_client, team, indicator):
    first = _upload(member_client, team, GOOD)
    second = _upload(
        member_client, team, b"indicator,period,value\nAnswered within 4 hours,2026-11-02,1\n"
    )
    response = _confirm(member_client, team, first, follow=True)
    assert b"Check the file again" in response.content
    assert not Measurement.objects.exists()
    _confirm(member_client, team, second)  # the latest preview is still there
    assert list(indicator.measurements.values_list("value", flat=True)) == [Decimal(1)]


def test_a_confirm_without_the_preview_digest_writes_nothing(member_client, team, indicator):
    _upload(member_client, team, GOOD)
    _confirm(member_client, team, None)
    assert not Measurement.objects.exists()
