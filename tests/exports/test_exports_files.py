"""The two tables as CSV and XLSX files, with the columns docs/exports.md documents."""

from __future__ import annotations

import io
import re

import pytest

from models import Commune, Person, db
from reports.export_tables import (
    DATE,
    DECIMAL,
    FLAG,
    INTEGER,
    MODULES_TABLE,
    PEOPLE_TABLE,
    TABLES,
    TEXT,
    TYPE_NAMES,
)
from reports.exports import (
    Export,
    csv_chunks,
    write_xlsx,
)

from ..conftest import ROOT
from .conftest import (
    MODULE_ROWS,
    B,
    check_sheet,
    csv_cell,
    export_of,
    parse_csv,
    people_rows,
    read_xlsx,
)

PEOPLE_B = [("giang", "Ngô Thị Giang", 1948, "Người học")]


@pytest.mark.parametrize("kind", ["people", "modules"])
def test_csv_has_bom_crlf_documented_headers_and_plain_values(app, world, kind):
    with app.app_context():
        body = b"".join(csv_chunks(export_of(app, kind, ["T-0101", "T-0102"])))
    rows = parse_csv(body)
    assert rows[0] == TABLES[kind].headers
    if kind == "modules":
        expected = MODULE_ROWS
    else:
        expected = people_rows(app, world) + people_rows(app, world, PEOPLE_B, B)
    assert rows[1:] == [[csv_cell(v) for v in row] for row in expected]
    if kind == "people":
        assert rows[1][TABLES[kind].headers.index("Ngày hoàn thành")] == "2026-11-17"


def test_xlsx_people_sheet_then_about_sheet(app, world):
    target = io.BytesIO()
    with app.app_context():
        export = export_of(app, "people", ["T-0101"])
        write_xlsx(export, target)
    book = read_xlsx(target.getvalue())
    assert book.sheetnames == ["Người học", "Giới thiệu"]
    check_sheet(book["Người học"], PEOPLE_TABLE, people_rows(app, world))
    about = {row[0]: row[1] for row in book["Giới thiệu"].iter_rows(values_only=True)}
    assert about["Báo cáo"] == "HọcSố: bảng Người học"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d \(giờ Việt Nam\)", about["Lập lúc"])
    assert (about["Số dòng"], about["Số xã"]) == (24, 1)
    assert about["Tài liệu"].endswith("docs/exports.md của HọcSố.")
    assert about["Ai được tính"].startswith("Người học và người hỗ trợ")
    texts = [row[1] for row in book["Giới thiệu"].iter_rows(values_only=True)]
    assert "T-0101: Xã Một, Tỉnh Thử" in texts
    for column in PEOPLE_TABLE.columns:
        assert about[column.header].startswith(TYPE_NAMES[column.type][0] + ": ")


def test_xlsx_modules_sheet(app, world):
    target = io.BytesIO()
    with app.app_context():
        write_xlsx(export_of(app, "modules"), target)
    book = read_xlsx(target.getvalue())
    assert book.sheetnames == ["Theo xã và bài", "Giới thiệu"]
    check_sheet(book["Theo xã và bài"], MODULES_TABLE, MODULE_ROWS)
    assert book["Theo xã và bài"].auto_filter.ref == "A1:X9"


def test_a_name_typed_as_a_formula_stays_text(app, communes):
    with app.app_context():
        db.session.add(
            Person(name="=HYPERLINK(1)", birth_year=1950, commune_id=communes[0])
        )
        db.session.commit()
        export = export_of(app, "people", ["T-0101"])
        body = b"".join(csv_chunks(export))
        target = io.BytesIO()
        write_xlsx(export_of(app, "people", ["T-0101"]), target)
    assert parse_csv(body)[1][1] == "'=HYPERLINK(1)"
    cell = read_xlsx(target.getvalue())["Người học"]["B2"]
    assert (cell.value, cell.data_type) == ("'=HYPERLINK(1)", "s")


def test_file_names_are_ascii(app, communes):
    with app.app_context():
        one = export_of(app, "people", ["T-0101"])
        every = export_of(app, "modules")
        odd = Export("people", [Commune(code="Đặc khu 01/2")], [])
    day = one.made_at.date().isoformat()
    assert one.file_name("xlsx") == f"hocso-T-0101-nguoi-hoc-{day}.xlsx"
    assert every.file_name("csv") == f"hocso-tat-ca-xa-theo-xa-va-bai-{day}.csv"
    assert odd.file_name("csv") == f"hocso-Dac-khu-01-2-nguoi-hoc-{day}.csv"


def documented_tables(text: str) -> dict[tuple[str, str], list[tuple[str, ...]]]:
    """(language section, table kind) -> [(column, type, meaning)] from the tables."""
    found: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    language = kind = None
    for line in text.splitlines():
        if line.startswith("## "):
            language, kind = line[3:].strip(), None
        elif line.startswith("### "):
            match = re.search(r"\(`(\w+)`\)", line)
            kind = match.group(1) if match else None
        elif kind and line.startswith("| ") and not line.startswith("|---"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if cells[0] not in ("Cột", "Column"):
                meaning = cells[2].replace("`", "")
                found.setdefault((language, kind), []).append((*cells[:2], meaning))
    return found


def test_the_documented_columns_are_the_code_columns():
    text = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    tables = documented_tables(text)
    assert set(tables) == {
        (language, kind)
        for language in ("Tiếng Việt", "English")
        for kind in ("people", "modules")
    }
    for (language, kind), columns in tables.items():
        index = 0 if language == "Tiếng Việt" else 1
        assert [column[:2] for column in columns] == [
            (column.header, TYPE_NAMES[column.type][index])
            for column in TABLES[kind].columns
        ], (language, kind)
        if language == "Tiếng Việt":  # what the XLSX's "Giới thiệu" sheet says
            meanings = [column.meaning for column in TABLES[kind].columns]
            assert [column[2] for column in columns] == meanings


def test_headers_are_spelled_with_their_accents():
    """Composed (NFC) Vietnamese, as typed: no stray decomposed accents."""
    import unicodedata

    for table in TABLES.values():
        for header in table.headers:
            assert unicodedata.normalize("NFC", header) == header
    assert "Tỉ lệ hoàn thành (%)" in MODULES_TABLE.headers
    assert "Điểm lần đầu (số câu đúng)" in PEOPLE_TABLE.headers
    assert {c.type for t in TABLES.values() for c in t.columns} == {
        INTEGER,
        FLAG,
        DECIMAL,
        DATE,
        TEXT,
    }
