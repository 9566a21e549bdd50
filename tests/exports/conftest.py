"""What the export tests share: the hand-built world of tests/report_world.py and its hand count."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from reports.export_tables import (
    DATE,
    DECIMAL,
    FLAG,
    INTEGER,
)
from reports.exports import (
    Export,
    ordered_communes,
)
from reports.people import ASSISTED, SELF_STUDY

from ..report_world import build_world, course

BOM = b"\xef\xbb\xbf"


A = ("T-0101", "Xã Một", "Tỉnh Thử")


B = ("T-0102", "Phường Hai", "Tỉnh Thử")


TITLES = {
    "vneid": "Cài đặt và dùng VNeID",
    "qr-payment": "Thanh toán bằng mã QR",
    "scam-calls": "Cuộc gọi lừa đảo",
    "strange-links": "Đường link lạ và tin nhắn giả",
}


SLUGS = list(TITLES)


HELPED, ALONE = "Có người hỗ trợ", "Tự học"


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    return build_world(app, communes)


def steps_of(app, slug: str) -> int:
    return app.extensions["hocso_library"].get(slug).step_count


NOTHING = (0, None, None, 0, 0, None, None, None, False)


def hand_count(app) -> dict[str, dict[str, tuple]]:
    """Per person and module: steps seen, how completed, first completion day (VN),
    assisted at all, finished attempts, first-try score, best score, questions of
    the best attempt, passed. Modules not listed: nothing done."""
    vneid, qr = steps_of(app, "vneid"), steps_of(app, "qr-payment")
    return {
        "an": {
            "vneid": (vneid, SELF_STUDY, date(2026, 11, 17), 0, 2, 2, 4, 4, True),
            "qr-payment": (3, None, None, 1, 0, None, None, None, False),
        },
        "binh": {
            "vneid": (vneid, ASSISTED, date(2026, 11, 23), 1, 1, 2, 2, 4, False),
            "qr-payment": (qr, SELF_STUDY, date(2026, 11, 9), 1, 0, None, None, None, False),
        },
        "cuc": {"vneid": (4, None, None, 1, 0, None, None, None, False)},
        "dung": {"scam-calls": (0, None, None, 0, 1, 1, 1, 4, False)},
        "em": {},
        "linh": {"vneid": (vneid, SELF_STUDY, date(2026, 9, 1), 0, 1, 4, 4, 4, True)},
        "giang": {"vneid": (vneid, SELF_STUDY, date(2026, 11, 24), 0, 1, 1, 1, 4, False)},
    }  # fmt: skip


PEOPLE_A = [  # key, name, birth year, role, in Vietnamese list order (given name)
    ("an", "Nguyễn Văn An", 1950, "Người học"),
    ("binh", "Trần Thị Bình", 1945, "Người học"),
    ("cuc", "Lê Thị Cúc", 1960, "Người học"),
    ("dung", "Phạm Văn Dũng", 1955, "Người học"),
    ("em", "Hoàng Thị Em", 1970, "Người học"),
    ("linh", "Đỗ Thùy Linh", 2000, "Người hỗ trợ"),
]


def people_rows(app, world, people=PEOPLE_A, place=A) -> list[tuple]:
    """The people table of commune A (or ``people`` of ``place``), by hand."""
    expected = hand_count(app)
    rows = []
    for key, name, born, role in people:
        for slug in SLUGS:
            seen, how, day, helped, tries, first, best, questions, passed = expected[
                key
            ].get(slug, NOTHING)
            rows.append(
                (
                    world[key], name, born, role, *place, slug, TITLES[slug], seen,
                    steps_of(app, slug), int(how is not None),
                    {SELF_STUDY: ALONE, ASSISTED: HELPED, None: None}[how], day,
                    helped, tries, first, best, questions, int(passed),
                )
            )  # fmt: skip
    return rows


MODULE_ROWS = [
    # people: registered, reached, with a helper, alone; then per module: completed,
    # with a helper, alone, %, quiz takers, first-try %, best %, passed, pass %
    (*A, 6, 5, 3, 2, "vneid", TITLES["vneid"], 3, 1, 2, 60.0, 3, 66.7, 83.3, 2, 66.7),
    (*A, 6, 5, 3, 2, "qr-payment", TITLES["qr-payment"], 1, 0, 1, 20.0, 0, None, None, 0, None),
    (*A, 6, 5, 3, 2, "scam-calls", TITLES["scam-calls"], 0, 0, 0, 0.0, 1, 25.0, 25.0, 0, 0.0),
    (*A, 6, 5, 3, 2, "strange-links", TITLES["strange-links"], 0, 0, 0, 0.0, 0, None, None, 0, None),
    (*B, 1, 1, 0, 1, "vneid", TITLES["vneid"], 1, 0, 1, 100.0, 1, 25.0, 25.0, 0, 0.0),
    (*B, 1, 1, 0, 1, "qr-payment", TITLES["qr-payment"], 0, 0, 0, 0.0, 0, None, None, 0, None),
    (*B, 1, 1, 0, 1, "scam-calls", TITLES["scam-calls"], 0, 0, 0, 0.0, 0, None, None, 0, None),
    (*B, 1, 1, 0, 1, "strange-links", TITLES["strange-links"], 0, 0, 0, 0.0, 0, None, None, 0, None),
]  # fmt: skip
# No drills in this world: per stage, 0 answers and no share (the last six columns).
NO_DRILLS = (0, None, 0, None, 0, None)
MODULE_ROWS = [(*row, *NO_DRILLS) for row in MODULE_ROWS]


def export_of(app, kind, codes=None) -> Export:
    return Export(kind, ordered_communes(codes), course(app))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM)
    text = body.decode("utf-8")[1:]
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(data: bytes | str):
    book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return book


def check_sheet(sheet, table, expected_rows) -> None:
    """Header bold and frozen; every value equal and of its type (never text for a
    number or a date)."""
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == table.headers
    assert all(cell.font.b for cell in rows[0])
    assert sheet.freeze_panes == "A2"
    assert len(rows) - 1 == len(expected_rows)
    for cells, expected in zip(rows[1:], expected_rows, strict=True):
        for cell, column, value in zip(cells, table.columns, expected, strict=True):
            where = (column.header, cell.coordinate)
            if value is None:
                assert cell.value is None, where
            elif column.type == DATE:
                assert isinstance(cell.value, datetime), where
                assert cell.value.date() == value, where
                assert cell.number_format == "DD/MM/YYYY", where
            elif column.type == DECIMAL:
                assert type(cell.value) in (int, float) and cell.value == value, where
                assert cell.number_format == "0.0", where
            elif column.type in (INTEGER, FLAG):
                assert type(cell.value) is int and cell.value == value, where
            else:
                assert isinstance(cell.value, str) and cell.value == value, where
