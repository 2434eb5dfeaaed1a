"""Numbers in a workbook's lines of cells as Excel shows them (ingest/formats/sheet_display.py,
sheet_numbers.py): formats from styles.xml applied to the lines, never to a table's rows, and the
format language rendered as Excel renders it, or not at all."""

import io
import json

import openpyxl
import pytest

from ingest.formats.sheet_numbers import shown


def book() -> bytes:
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    for ref, value, code in (("B2", 11698.2415270953, "0.00"), ("B3", 0.125, "0.0%"), ("B4", 3255, "#,##0"),
                             ("B8", -1234.5, '"£"#,##0.00;("£"#,##0.00)'), ("B5", 45000.25, "dd/mm/yyyy"),
                             ("B6", "11698.2415270953", "0.00"), ("B7", 2.5, "General")):
        notes[ref], notes[ref].number_format = value, code
    table = wb.create_sheet("Ledger")
    table.append(["payee", "amount"])
    table.append(["Harbour Freight", 11698.2415270953])
    table["B2"].number_format = "#,##0.00"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_sheet_display_lines_show_numbers_as_formatted_rows_keep_them_stored(read) -> None:
    found = read("book.xlsx", book())
    assert found.text.split("\n\n")[0].splitlines() == [
        "Notes (B2:B8)", "B2: 11698.24", "B3: 12.5%", "B4: 3,255", "B5: 2023-03-15 06:00:00",
        "B6: 11698.2415270953", "B7: 2.5", "B8: (£1,234.50)"]  # a date, a text cell, General: as calamine has them
    assert json.loads(found.children[0].data) == {"payee": "Harbour Freight", "amount": "11698.2415270953"}


@pytest.mark.parametrize(("value", "code", "text"), [
    (11698.2415270953, "0.00", "11698.24"), (3255, "#,##0", "3,255"), (0.1234, "0.0%", "12.3%"),
    (1234.5, '"£"#,##0.00', "£1,234.50"), (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"), (-5, "0", "-5"),
    (0, '0;-0;"nil"', "nil"), (123456789, "0.00E+00", "1.23E+08"), (0.000123, "0.00E+00", "1.23E-04"),
    (1234567, "#,##0,", "1,235"), (0.5, "#.##", ".5"), (12, '0.00 "kg"', "12.00 kg"), (2.5, "0", "3"),
    (1234.5, "[$€-407] #,##0.00", "€ 1,234.50"), (5, "[Red]0.0", "5.0"), (1.5, "#,##0.00_);[Red](#,##0.00)", "1.50"),
    (45000, "dd/mm/yyyy", None), (0.25, "h:mm AM/PM", None), (5, "General", None), (5, "@", None),
    (2.5, "# ?/?", None), (500, "[>100]0;0", None), (float("nan"), "0.00", None),
])
def test_sheet_numbers_shown_as_excel_shows_them(value: float, code: str, text: str | None) -> None:
    assert shown(value, code) == text
