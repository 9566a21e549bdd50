"""`flask --app app learners import FILE`, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import CourseSession, Participant, Person, db

from ..factories import make_person
from .conftest import HEADER, SAMPLE, write_csv, write_xlsx


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
