"""Exports: per-person figures (reports/people.py), the two tables as CSV and XLSX
(reports/exports.py, docs/exports.md), the download pages and `flask export`.

Every figure is compared with the hand count of the world built in tests/test_reports.py
(read its docstring first).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import Answer, Commune, Person, QuizAttempt, db
from reports.dates import local_today
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
    one_decimal,
    ordered_communes,
    write_xlsx,
)
from reports.people import ASSISTED, SELF_STUDY, people_figures

from .conftest import ROOT
from .factories import signed_in
from .report_world import build_world, course

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


# --- Per person ------------------------------------------------------------------------

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
PEOPLE_B = [("giang", "Ngô Thị Giang", 1948, "Người học")]


def test_people_figures_match_the_hand_count(app, world):
    expected = hand_count(app)
    with app.app_context():
        people = people_figures([world["commune_a"]], course(app))
    assert [p.id for p in people] == [world[key] for key, *_ in PEOPLE_A]
    for person in people:
        key = next(k for k, *_ in PEOPLE_A if world[k] == person.id)
        assert [m.slug for m in person.modules] == SLUGS
        for module in person.modules:
            found = (
                module.steps_seen,
                module.how,
                module.completed_on,
                int(module.assisted),
                module.attempts,
                module.first_score,
                module.best_score,
                module.question_count,
                module.passed,
            )
            assert found == expected[key].get(module.slug, NOTHING), (key, module.slug)
            assert module.completed == (module.how is not None)
            assert module.step_count == steps_of(app, module.slug)
    an = people[0].module("vneid")
    assert (an.first_count, an.first_percent, an.best_percent) == (4, 50.0, 100.0)


def test_people_figures_leave_out_trainers_admins_and_other_communes(app, world):
    with app.app_context():
        both = people_figures([world["commune_b"], world["commune_a"]], course(app))
        none = people_figures([], course(app))
    ids = [p.id for p in both]
    assert ids[0] == world["giang"]  # communes in the order asked
    assert len(ids) == 7
    assert not {world["hung"], world["admin"], world["trainer_b"]} & set(ids)
    assert none == []
    giang = both[0].module("vneid")
    assert (giang.how, giang.attempts, giang.first_score, giang.passed) == (
        SELF_STUDY,
        1,
        1,
        False,
    )


def test_a_tie_keeps_the_earlier_best_attempt_and_passing_is_exact(app, communes):
    """3 of 4 (75 %) passes at a 75 % mark; 6 of 8 is as good, not better."""
    with app.app_context():
        someone = Person(name="Chị Mai", birth_year=2001, commune_id=communes[0])
        db.session.add(someone)
        db.session.flush()
        for score, count, day in [(3, 4, 1), (6, 8, 2), (1, 2, 3)]:
            db.session.add(
                QuizAttempt(
                    person_id=someone.id,
                    lesson="vneid",
                    language="vi",
                    question_count=count,
                    first_try_score=score,
                    finished_at=datetime(2026, 11, day, 3),
                )
            )
        db.session.commit()
        module = people_figures([communes[0]], course(app))[0].module("vneid")
    assert (module.attempts, module.first_score, module.first_count) == (3, 3, 4)
    assert (module.best_score, module.question_count, module.passed) == (3, 4, True)


# --- The tables ------------------------------------------------------------------------


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


def export_of(app, kind, codes=None) -> Export:
    return Export(kind, ordered_communes(codes), course(app))


def test_the_tables_rows_are_the_hand_count(app, world):
    with app.app_context():
        people = list(export_of(app, "people", ["T-0101"]).rows())
        modules = list(export_of(app, "modules").rows())
    assert people == people_rows(app, world)
    assert modules == MODULE_ROWS
    for row in people + modules:
        assert not any(isinstance(value, bool) for value in row)  # 1/0, never True


def test_the_people_table_adds_up_to_the_modules_table(app, world):
    """Summing the person rows gives the commune rows: one definition for both."""
    with app.app_context():
        people = list(export_of(app, "people").rows())
        modules = list(export_of(app, "modules").rows())
    headers = PEOPLE_TABLE.headers
    col = {name: headers.index(name) for name in headers}
    for row in modules:
        code, slug = row[0], row[7]
        mine = [
            r for r in people if r[col["Mã xã"]] == code and r[col["Mã bài"]] == slug
        ]
        completed = sum(r[col["Đã hoàn thành"]] for r in mine)
        alone = sum(r[col["Cách học"]] == ALONE for r in mine)
        takers = sum(r[col["Số lần làm bài kiểm tra"]] > 0 for r in mine)
        passed = sum(r[col["Đạt"]] for r in mine)
        assert (completed, alone, takers, passed) == (row[9], row[11], row[13], row[16])
        assert len({r[col["Mã người học"]] for r in mine}) == row[3]  # registered


def test_percentages_round_half_up_to_one_decimal():
    assert one_decimal(200 / 3) == 66.7
    assert one_decimal(250 / 3) == 83.3
    assert one_decimal(33.25) == 33.3  # not 33.2, as round() would give
    assert one_decimal(0.05) == 0.1
    assert one_decimal(0.0) == 0.0
    assert one_decimal(None) is None


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
    assert book["Theo xã và bài"].auto_filter.ref == "A1:R9"


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
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_file_names_are_ascii(app, communes):
    with app.app_context():
        one = export_of(app, "people", ["T-0101"])
        every = export_of(app, "modules")
        odd = Export("people", [Commune(code="Đặc khu 01/2")], [])
    day = one.made_at.date().isoformat()
    assert one.file_name("xlsx") == f"hocso-T-0101-nguoi-hoc-{day}.xlsx"
    assert every.file_name("csv") == f"hocso-tat-ca-xa-theo-xa-va-bai-{day}.csv"
    assert odd.file_name("csv") == f"hocso-Dac-khu-01-2-nguoi-hoc-{day}.csv"


# --- docs/exports.md -----------------------------------------------------------------


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


# --- The download pages --------------------------------------------------------------


def state(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Person, QuizAttempt, Answer)
        )


def test_a_trainer_downloads_their_communes_tables(app, world):
    client = signed_in(app, world["hung"])
    day = local_today().isoformat()
    response = client.get(f"/communes/{world['commune_a']}/export/people.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hocso-T-0101-nguoi-hoc-{day}.csv"'
    )
    rows = parse_csv(response.get_data())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in people_rows(app, world)]

    response = client.get(f"/communes/{world['commune_a']}/export/modules.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=hocso-T-0101-theo-xa-va-bai-{day}.xlsx"
    )
    book = read_xlsx(response.get_data())
    check_sheet(book["Theo xã và bài"], MODULES_TABLE, MODULE_ROWS[:4])


EXPORTS = [f"{kind}.{fmt}" for kind in ("people", "modules") for fmt in ("csv", "xlsx")]


@pytest.mark.parametrize("name", EXPORTS)
def test_nobody_downloads_another_communes_tables(app, world, name):
    before = state(app)
    commune_b = f"/communes/{world['commune_b']}/export/{name}"
    commune_a = f"/communes/{world['commune_a']}/export/{name}"
    assert signed_in(app, world["hung"]).get(commune_b).status_code == 404
    assert signed_in(app, world["trainer_b"]).get(commune_a).status_code == 404
    for learner_or_helper in ("linh", "an"):
        client = signed_in(app, world[learner_or_helper])
        assert client.get(commune_a).status_code == 404
    visitor = app.test_client().get(commune_a)
    assert visitor.status_code == 302 and "/sign-in" in visitor.location
    assert state(app) == before


def test_unknown_communes_tables_and_formats_are_not_found(app, world):
    client = signed_in(app, world["admin"])
    assert client.get("/communes/9999/export/people.csv").status_code == 404
    a = world["commune_a"]
    assert client.get(f"/communes/{a}/export/answers.csv").status_code == 404
    assert client.get(f"/communes/{a}/export/people.pdf").status_code == 404


def test_a_trainer_assigned_another_commune_may_export_it(app, world):
    with app.app_context():
        trainer = db.session.get(Person, world["trainer_b"])
        trainer.communes.append(db.session.get(Commune, world["commune_a"]))
        db.session.commit()
    client = signed_in(app, world["trainer_b"])
    response = client.get(f"/communes/{world['commune_a']}/export/modules.csv")
    assert response.status_code == 200


@pytest.mark.parametrize("name", EXPORTS)
def test_only_admins_download_the_province_tables(app, world, name):
    for someone in ("hung", "trainer_b", "linh", "an"):
        response = signed_in(app, world[someone]).get(f"/province/export/{name}")
        assert response.status_code == 404, someone
    response = signed_in(app, world["admin"]).get(f"/province/export/{name}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "hocso-tat-ca-xa-" in response.headers["Content-Disposition"]


def test_the_admin_province_modules_table_has_every_commune(app, world):
    response = signed_in(app, world["admin"]).get("/province/export/modules.csv")
    rows = parse_csv(response.get_data())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


# --- flask export ------------------------------------------------------------------------


def test_export_command_writes_csv_to_standard_output(runner, world):
    result = runner.invoke(args=["export", "--commune", "T-0101", "--kind", "people"])
    assert result.exit_code == 0, result.output
    rows = parse_csv(result.stdout_bytes)
    assert rows[0] == PEOPLE_TABLE.headers
    expected = people_rows(runner.app, world)
    assert rows[1:] == [[csv_cell(v) for v in row] for row in expected]


def test_export_command_defaults_to_the_modules_of_every_commune(runner, world):
    result = runner.invoke(args=["export"])
    assert result.exit_code == 0, result.output
    rows = parse_csv(result.stdout_bytes)
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


def test_export_command_writes_xlsx_from_the_extension(runner, world, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(
        args=["export", "--commune", "T-0101", "--kind", "people", "--output", target]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 24 row(s) of 1 commune(s)" in result.output
    book = read_xlsx(str(target))
    check_sheet(book["Người học"], PEOPLE_TABLE, people_rows(runner.app, world))


def test_export_command_csv_to_a_file(runner, world, tmp_path):
    target = tmp_path / "report.txt"
    args = ["export", "--commune", "T-0102", "--commune", "T-0101", "--output", target]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    rows = parse_csv(target.read_bytes())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


def test_export_command_refuses_unknown_communes_and_xlsx_to_the_screen(runner, world):
    result = runner.invoke(args=["export", "--commune", "T-0101", "--commune", "X-9"])
    assert result.exit_code == 1
    assert "no commune has the code 'X-9'" in result.output
    assert BOM not in result.stdout_bytes
    result = runner.invoke(args=["export", "--format", "xlsx"])
    assert result.exit_code == 1 and "--output" in result.output


def test_export_command_help_names_the_columns_document(runner):
    result = runner.invoke(args=["export", "--help"])
    assert result.exit_code == 0
    assert "docs/exports.md" in result.output
    assert "--commune CODE" in result.output
