"""Spreadsheets that would stall a server are refused before any work, with a
message naming the file and what is wrong; and names that start like a formula."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Commune, db
from services.learners_import import read_learners
from services.spreadsheets import (
    MAX_CELL,
    Unreadable,
    defuse,
    read_table,
)

from .hostile_files import HEADER, HOSTILE, REFUSED, ROW, workbook


def refusal(name: str, data: bytes, max_rows: int = 2000) -> str:
    with pytest.raises(Unreadable) as refused:
        read_table(name, data, max_rows)
    return str(refused.value)


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_workbook_is_refused_saying_why(kind):
    assert refusal("x.xlsx", HOSTILE[kind]()) == REFUSED[kind][0]


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_communes_command_refuses_it_in_english(app, runner, tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(HOSTILE[kind]())
    with app.app_context():
        before = db.session.scalar(select(func.count(Commune.id)))
    result = runner.invoke(args=["communes", "import", str(path)])
    assert result.exit_code != 0
    assert f"{path}: {REFUSED[kind][0]}" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Commune.id))) == before


def test_rows_beyond_the_limit_are_refused_blank_ones_aside():
    lines = ["a,b", *["x,1"] * 3, "", ",", "x,2"]
    assert len(read_table("t.csv", "\n".join(lines).encode(), 4)) == 5
    assert refusal("t.csv", "\n".join(lines).encode(), 3) == (
        "has more than 3 rows under the header; at most 3 can be imported at once"
    )
    many = workbook(*((f"A{row}", "x") for row in range(3, 12)))
    assert "has more than 5 rows under the header" in refusal("t.xlsx", many, 5)


def test_long_cells_and_far_columns_are_refused():
    long = "a,b\nx," + "y" * (MAX_CELL + 1)
    assert refusal("t.csv", long.encode()) == (
        f"row 2, column 2 holds {MAX_CELL + 1} characters; a cell may hold at most "
        f"{MAX_CELL}"
    )
    wide = "a,b\n" + "x," * 50 + "z"
    assert refusal("t.csv", wide.encode()) == (
        "row 2 has cells beyond column 50; at most 50 columns can be read"
    )
    assert refusal("t.xlsx", workbook(("BA2", "far"))) == (
        "row 2 has cells beyond column 50; at most 50 columns can be read"
    )
    assert read_table("t.xlsx", workbook(("AX2", "near")), 10)[1][1][:4] == ROW


def test_a_row_far_down_is_refused_even_without_a_stated_size():
    import re
    import zipfile
    from io import BytesIO

    from .hostile_files import with_part

    data = workbook(("A1048576", "x"))
    part = "xl/worksheets/sheet1.xml"
    sheet = zipfile.ZipFile(BytesIO(data)).read(part)
    data = with_part(data, part, re.sub(rb"<dimension[^>]*/>", b"", sheet))
    assert refusal("t.xlsx", data) == (
        "the sheet reaches row 100001; a file may not go past row 100000"
    )


def test_one_function_defuses_what_a_spreadsheet_would_run():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert defuse(text) == "'" + text
    assert defuse("Bà Nga") == "Bà Nga" and defuse(-1) == -1 and defuse(None) is None
    assert read_table("t.csv", ",".join(HEADER).encode(), 1) == [(1, HEADER)]


def test_a_commune_named_like_a_formula_is_refused(app, runner, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(",".join(HEADER) + '\n01,Tỉnh Thử,00004,"=1+2"\n', "utf-8")
    result = runner.invoke(args=["communes", "import", str(path)])
    assert result.exit_code != 0
    assert (
        f'{path}: row 2, column commune_name: "=1+2" starts with "=", which a '
        "spreadsheet runs as a formula; remove that sign" in result.output
    )


def test_a_learner_named_like_a_formula_is_refused_on_the_command_line_too():
    rows, problems = read_learners(
        "l.csv", 'Họ và tên,Năm sinh\n"@Lan",1950\n'.encode()
    )
    assert rows == [] and [str(problem) for problem in problems] == [
        'l.csv: row 2, column Họ và tên: "@Lan" starts with "@", which a '
        "spreadsheet runs as a formula; remove that sign"
    ]
