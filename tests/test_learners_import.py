"""Importing learners from CSV or XLSX: reading and checking (no database), matching
likely duplicates, and `flask --app app learners import FILE` (on both databases)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import Commune, CourseSession, Participant, Person, db
from services.learners_import import TEMPLATE_EXAMPLE, plan_import, read_learners

from .factories import make_person

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "samples" / "participants.csv"
HEADER = ["Họ và tên", "Năm sinh", "Số điện thoại", "Mã xã"]


def write_csv(path: Path, rows: list[list], bom: bool = False, sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, delimiter=sep).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def where(problems) -> list[tuple]:
    """Problems as (row, column, message) in English."""
    return [(p.row, p.column, str(p.message)) for p in problems]


# --- Reading and checking a file (no database) -------------------------------------


def test_the_sample_file_reads_with_its_bom_and_vietnamese_headers():
    rows, problems = read_learners(str(SAMPLE))
    assert problems == []
    assert [(r.row, r.name, r.birth_year, r.phone, r.commune_code) for r in rows] == [
        (2, "Nguyễn Thị Mẫu Một (mẫu)", 1948, "0912000001", None),
        (3, "Trần Văn Mẫu Hai (mẫu)", 1952, None, None),
        (4, "Lê Thị Mẫu Ba (mẫu)", 1960, "0987000003", None),
        (5, "Phạm Văn Mẫu Bốn (mẫu)", 1957, None, None),
        (6, "Vũ Thị Mẫu Năm (mẫu)", 1965, "+84912000005", None),
    ]
    assert SAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")


def test_ascii_headers_in_any_order_and_case_and_other_columns_are_ignored(tmp_path):
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["Ghi chú", "BIRTH_YEAR", "Phone", "name", "Commune_Code"],
            ["khách mời", "1950", "0912-345-678", "  Bà   Nga ", "00004"],
        ],
        sep=";",
    )
    rows, problems = read_learners(str(path))
    assert problems == []
    (row,) = rows
    assert (row.name, row.birth_year, row.phone, row.commune_code) == (
        "Bà Nga",
        1950,
        "0912345678",
        "00004",
    )


def test_vietnamese_headers_without_accents_work_too(tmp_path):
    path = write_csv(
        tmp_path / "l.csv", [["ho va ten", "nam sinh"], ["Ông Ba", "1940"]]
    )
    rows, problems = read_learners(str(path))
    assert problems == [] and rows[0].name == "Ông Ba"


def test_xlsx_reads_number_cells_as_years_and_text_phones_keep_their_zero(tmp_path):
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [HEADER, ["Bà Nga", 1946, "0912345678", None], ["Ông Tư", 1950.0, None, None]],
    )
    rows, problems = read_learners(str(path))
    assert problems == []
    assert [(r.name, r.birth_year, r.phone) for r in rows] == [
        ("Bà Nga", 1946, "0912345678"),
        ("Ông Tư", 1950, None),
    ]


def test_every_bad_cell_is_named_by_row_and_column(tmp_path):
    this_year = date.today().year
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            HEADER,
            ["Bà Một", 1950, "0912345678", None],  # row 2: good
            ["", 1950, None, None],  # row 3
            ["Bà Ba", "năm mươi", None, None],  # row 4
            ["Bà Bốn", 1850, None, None],  # row 5
            ["Bà Năm", this_year + 1, None, None],  # row 6
            ["Bà Sáu", 1950, 912345678, None],  # row 7: a number cell
            ["Bà Bảy", 1950, "12ab", None],  # row 8
            ["Bà Tám", date(1950, 3, 1), None, "0 04"],  # row 9
            ["B" * 121, 1950, None, None],  # row 10
            [1234, None, None, None],  # row 11
        ],
    )
    rows, problems = read_learners(str(path))
    assert [r.row for r in rows] == [2]
    assert where(problems) == [
        (3, "Họ và tên", "is empty: every person needs a name"),
        (4, "Năm sinh", '"năm mươi" is not a year: write 4 digits, for example 1950'),
        (5, "Năm sinh", f"1850 is not between 1900 and {this_year}"),
        (6, "Năm sinh", f"{this_year + 1} is not between 1900 and {this_year}"),
        (
            7,
            "Số điện thoại",
            "912345678 is a number cell, so a 0 at the start may be lost; format "
            "the column as Text and type the phone numbers again",
        ),
        (
            8,
            "Số điện thoại",
            '"12ab" is not a phone number: write 8 to 15 digits (a + may come '
            "first), for example 0912 345 678",
        ),
        (9, "Năm sinh", "is a date; write only the year of birth, for example 1950"),
        (9, "Mã xã", '"0 04" has a space in it; a code has none'),
        (10, "Họ và tên", f'"{"B" * 30}…" is 121 characters long; at most 120 fit'),
        (11, "Họ và tên", '"1234" is a number, not a name'),
        (11, "Năm sinh", "is empty: write the year of birth, for example 1950"),
    ]
    assert (
        str(problems[0])
        == f"{path}: row 3, column Họ và tên: is empty: every person needs a name"
    )


def test_a_missing_required_column_is_a_problem_of_row_1(tmp_path):
    path = write_csv(tmp_path / "l.csv", [["Họ và tên", "SĐT"], ["Bà Nga", "0912"]])
    rows, problems = read_learners(str(path))
    assert rows == []
    assert where(problems) == [
        (
            1,
            None,
            'there is no column "năm sinh" (or birth_year); the first row must name '
            "the columns",
        )
    ]


def test_unreadable_files_say_why(tmp_path):
    cases = {
        "l.txt": (b"x", "cannot read a .txt file; give a .csv (UTF-8) or .xlsx file"),
        "l.xls": (b"x", "this is the old Excel format (.xls)"),
        "l.xlsx": (b"not a zip", "cannot be opened as an XLSX workbook"),
        "l.csv": ("name,birth_year\nĐê,1950".encode("cp1258"), "is not UTF-8"),
    }
    for name, (data, message) in cases.items():
        rows, problems = read_learners(name, data)
        assert rows == [] and message in str(problems[0].message), name


def test_a_row_with_an_unquoted_comma_is_caught(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("Họ và tên,Năm sinh\nNguyễn Văn A, con,1950\n", encoding="utf-8")
    rows, problems = read_learners(str(path))
    assert rows == [] and where(problems) == [
        (
            2,
            None,
            "has 3 cells but the header has 2; a name that holds a comma must be in "
            "double quotes",
        )
    ]


def test_the_templates_example_row_is_refused():
    rows, problems = read_learners(
        "t.csv", f'Họ và tên,Năm sinh\n"{TEMPLATE_EXAMPLE[0]}",1950\n'.encode()
    )
    assert where(problems) == [
        (2, "Họ và tên", "is the template's example: delete this row")
    ]


# --- Matching with the database ------------------------------------------------------


def plan_of(app, path: Path, **options):
    rows, problems = read_learners(str(path))
    assert problems == []
    with app.app_context():
        return plan_import(str(path), rows, **options)


def test_likely_duplicates_are_reused_and_rows_repeated_in_the_file_counted_once(
    app, communes, tmp_path
):
    first, second = communes
    nga = make_person(app, "Nguyễn Thị Nga", first, born=1946)
    make_person(
        app, "Nguyễn Thị Nga", second, born=1946
    )  # another commune: someone else
    make_person(app, "Nguyễn Thị Nga", first, born=1947)  # another year: someone else
    path = write_csv(
        tmp_path / "l.csv",
        [
            ["name", "birth_year"],
            ["nguyen thi  NGA", "1946"],  # row 2: the registered Nga
            ["Trần Văn Bình", "1950"],  # row 3: new
            ["Tran Van Binh", "1950"],  # row 4: row 3 again
        ],
    )
    with app.app_context():
        commune = db.session.get(Commune, first)
        rows, _ = read_learners(str(path))
        plan = plan_import(str(path), rows, commune=commune)
        assert [
            (e.row.row, e.status, e.person_id, e.first_row) for e in plan.entries
        ] == [
            (2, "existing", nga, None),
            (3, "new", None, None),
            (4, "repeat", None, 3),
        ]
        assert (plan.new, plan.existing, plan.repeats, plan.to_add) == (1, 1, 1, 2)


def test_commune_codes_must_exist_and_be_the_importers(app, communes, tmp_path):
    trainer = make_person(app, "Anh Hùng", communes[0], born=1990, role="trainer")
    path = write_csv(
        tmp_path / "l.csv",
        [
            ["name", "birth_year", "mã xã"],
            ["Bà Một", "1950", "T-0101"],
            ["Bà Hai", "1950", "T-0102"],
            ["Bà Ba", "1950", "NOPE"],
            ["Bà Bốn", "1950", ""],
        ],
    )
    rows, _ = read_learners(str(path))
    with app.app_context():
        plan = plan_import(str(path), rows, importer=db.session.get(Person, trainer))
        assert where(plan.problems) == [
            (3, "mã xã", '"T-0102" (Phường Hai) is not one of your communes'),
            (4, "mã xã", 'no commune has the code "NOPE"'),
            (5, "mã xã", "is empty: give the commune code, or import with --commune"),
        ]


# --- The command line ----------------------------------------------------------------


def learners_import(runner, path: Path, *options: str):
    return runner.invoke(args=["learners", "import", *options, str(path)])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def make_session(app, commune_id: int) -> int:
    with app.app_context():
        course_session = CourseSession(
            commune_id=commune_id,
            held_on=date.today(),
            place="Hội trường",
            modules=["vneid"],
        )
        db.session.add(course_session)
        db.session.commit()
        return course_session.id


def test_help_lists_the_columns(runner):
    result = runner.invoke(args=["learners", "import", "--help"])
    assert result.exit_code == 0
    for column in [
        "name",
        "Họ và tên",
        "birth_year",
        "Năm sinh",
        "phone",
        "commune_code",
        "Mã xã",
        "--dry-run",
        "--session",
        "--commune",
    ]:
        assert column in result.output, column


def test_cli_imports_the_sample_into_a_commune(runner, app, communes):
    result = learners_import(runner, SAMPLE, "--commune", "T-0101")
    assert result.exit_code == 0, result.output
    assert (
        f"{SAMPLE}: row 2: new learner: Nguyễn Thị Mẫu Một (mẫu) (1948)"
        in result.output
    )
    assert "Imported: 5 new learners, 0 already registered." in result.output
    with app.app_context():
        people = db.session.scalars(select(Person).order_by(Person.id)).all()
        assert [(p.name, p.birth_year, p.phone, p.commune_id) for p in people][0] == (
            "Nguyễn Thị Mẫu Một (mẫu)",
            1948,
            "0912000001",
            communes[0],
        )
        assert len(people) == 5 and all(p.consent_at is not None for p in people)
        assert {p.role for p in people} == {"learner"}
    again = learners_import(runner, SAMPLE, "--commune", "T-0101")
    assert "Imported: 0 new learners, 5 already registered." in again.output
    assert count(app, Person) == 5


def test_cli_into_a_session_reuses_people_and_counts_those_already_in(
    runner, app, communes, tmp_path
):
    session_id = make_session(app, communes[0])
    existing = make_person(app, "Trần Văn Mẫu Hai (mẫu)", communes[0], born=1952)
    result = learners_import(runner, SAMPLE, "--session", str(session_id))
    assert result.exit_code == 0, result.output
    assert (
        f"{SAMPLE}: row 3: already registered, added: Trần Văn Mẫu Hai (mẫu) (1952)"
        in result.output
    )
    assert (
        "Imported: 4 new learners, 1 existing learners added, 0 already in the session."
        in result.output
    )
    path = write_csv(
        tmp_path / "more.csv",
        [
            HEADER,
            ["Tran Van Mau Hai (mau)", "1952", "", ""],
            ["Bà Mới", "1950", "", ""],
            ["BÀ MỚI", "1950", "", ""],
        ],
    )
    again = learners_import(runner, path, "--session", str(session_id))
    assert f"{path}: row 4: repeats row 3, counted once: BÀ MỚI (1950)" in again.output
    assert (
        "Imported: 1 new learners, 0 existing learners added, 1 already in the session."
        in again.output
    )
    with app.app_context():
        ids = db.session.scalars(
            select(Participant.person_id).where(Participant.session_id == session_id)
        ).all()
        assert len(ids) == 6 and existing in ids
    assert count(app, Person) == 6


def test_cli_dry_run_saves_nothing(runner, app, communes):
    result = learners_import(runner, SAMPLE, "--commune", "T-0101", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{SAMPLE}: row 6: new learner: Vũ Thị Mẫu Năm (mẫu) (1965)" in result.output
    assert (
        "Dry run, nothing saved. Importing would give: 5 new learners" in result.output
    )
    assert count(app, Person) == 0


def test_cli_one_bad_row_imports_nothing_and_exits_1(runner, app, communes, tmp_path):
    rows = [HEADER] + [[f"Bà Số {n}", "1950", "", ""] for n in range(40)]
    rows.append(["Bà Cuối", "19500", "", ""])  # row 42
    path = write_csv(tmp_path / "list.csv", rows, bom=True)
    result = learners_import(runner, path, "--commune", "T-0101")
    assert result.exit_code == 1
    assert (
        f'{path}: row 42, column Năm sinh: "19500" is not a year: write 4 digits, for example 1950'
        in result.output
    )
    assert "1 problem(s) found; nothing imported." in result.output
    assert count(app, Person) == 0


def test_cli_needs_a_commune_for_rows_without_one(runner, app, communes):
    result = learners_import(runner, SAMPLE)
    assert result.exit_code == 1
    assert (
        f"{SAMPLE}: row 2, column Mã xã: is empty: give the commune code, or import with --commune"
        in result.output
    )
    assert count(app, Person) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [(["--session", "999"], "no course session has the id 999"),
     (["--commune", "NOPE"], "no commune has the code 'NOPE'")],
)  # fmt: skip
def test_cli_unknown_session_or_commune(runner, app, communes, options, message):
    result = learners_import(runner, SAMPLE, *options)
    assert result.exit_code == 1 and message in result.output
    assert count(app, Person) == 0


def test_cli_imports_xlsx(runner, app, communes, tmp_path):
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["Mã xã", "Họ và tên", "Năm sinh"], ["T-0102", "Ông Tư", 1944]],
    )
    result = learners_import(runner, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        (person,) = db.session.scalars(select(Person)).all()
        assert (person.name, person.birth_year, person.commune_id) == (
            "Ông Tư",
            1944,
            communes[1],
        )
