"""`flask --app app communes import FILE`: provinces and communes from CSV or XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import Commune, Province, db
from services.communes_import import Problem, read_communes

DATA = Path(__file__).resolve().parent / "data"
HEADER = ["province_code", "province_name", "commune_code", "commune_name"]
GOOD = [
    ["01", "Tỉnh Thử Một", "00004", "Phường Một"],
    ["01", "Tỉnh Thử Một", "00008", "Xã Hai"],
    ["31", "Tỉnh Thử Hai", "10507", "Đặc khu Ba"],
]


def write_csv(path: Path, rows: list[list], delimiter: str = ",", bom=False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def units(app) -> dict[str, list[str]]:
    """Every commune in the database: code -> (name, province code, province name)."""
    query = select(Commune.code, Commune.name, Province.code, Province.name).join(
        Province
    )
    with app.app_context():
        return {code: rest for code, *rest in db.session.execute(query)}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def import_file(runner, path: Path, *options: str):
    return runner.invoke(args=["communes", "import", *options, str(path)])


# --- Good files ---------------------------------------------------------------------------


def test_csv_imports_provinces_and_communes_keeping_leading_zeros(
    runner, app, tmp_path
):
    result = import_file(runner, write_csv(tmp_path / "communes.csv", [HEADER, *GOOD]))
    assert result.exit_code == 0, result.output
    assert (
        "Imported: 2 provinces (2 new, 0 updated), 3 communes (3 new, 0 updated)."
        in result.output
    )
    assert units(app) == {
        "00004": ["Phường Một", "01", "Tỉnh Thử Một"],
        "00008": ["Xã Hai", "01", "Tỉnh Thử Một"],
        "10507": ["Đặc khu Ba", "31", "Tỉnh Thử Hai"],
    }
    assert count(app, Province) == 2


def test_xlsx_imports_the_same(runner, app, tmp_path):
    result = import_file(
        runner, write_xlsx(tmp_path / "communes.xlsx", [HEADER, *GOOD])
    )
    assert result.exit_code == 0, result.output
    assert "3 communes (3 new, 0 updated)" in result.output
    assert units(app)["00004"] == ["Phường Một", "01", "Tỉnh Thử Một"]


def test_importing_the_same_file_again_changes_nothing_and_says_so(
    runner, app, tmp_path
):
    path = write_xlsx(tmp_path / "communes.xlsx", [HEADER, *GOOD])
    assert import_file(runner, path).exit_code == 0
    before = units(app)
    again = import_file(runner, path)
    assert again.exit_code == 0, again.output
    assert "Nothing changed" in again.output and "Imported" not in again.output
    assert units(app) == before and count(app, Province) == 2


def test_a_new_file_updates_names_by_code_and_keeps_units_not_in_it(
    runner, app, tmp_path
):
    assert (
        import_file(runner, write_csv(tmp_path / "a.csv", [HEADER, *GOOD])).exit_code
        == 0
    )
    renamed = [
        ["01", "Thành phố Thử Một", "00004", "Phường Một Mới"],
        ["01", "Thành phố Thử Một", "00012", "Phường Bốn"],
    ]
    result = import_file(runner, write_csv(tmp_path / "b.csv", [HEADER, *renamed]))
    assert result.exit_code == 0, result.output
    assert (
        "Imported: 1 province (0 new, 1 updated), 2 communes (1 new, 1 updated)."
        in result.output
    )
    found = units(app)
    assert found["00004"] == ["Phường Một Mới", "01", "Thành phố Thử Một"]
    assert found["00012"] == ["Phường Bốn", "01", "Thành phố Thử Một"]
    assert found["00008"] == ["Xã Hai", "01", "Thành phố Thử Một"]  # kept
    assert "10507" in found


def test_vietnamese_headers_in_any_order_and_case_and_other_columns(
    runner, app, tmp_path
):
    rows = [["Tên xã", "MÃ XÃ", "Ghi chú", " mã tỉnh ", "tên tỉnh"]]
    rows += [[name, code, "", pcode, pname] for pcode, pname, code, name in GOOD]
    result = import_file(runner, write_csv(tmp_path / "xa.csv", rows))
    assert result.exit_code == 0, result.output
    assert units(app)["10507"] == ["Đặc khu Ba", "31", "Tỉnh Thử Hai"]


def test_semicolon_separated_csv_with_a_byte_order_mark(runner, app, tmp_path):
    path = write_csv(tmp_path / "excel.csv", [HEADER, *GOOD], delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfprovince_code;")
    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    assert units(app)["00008"] == ["Xã Hai", "01", "Tỉnh Thử Một"]


def test_numbers_in_code_cells_of_an_xlsx_are_read_as_whole_numbers_with_a_note(
    runner, app, tmp_path
):
    rows = [
        HEADER,
        [1, "Tỉnh Thử Một", 4, "Phường Một"],
        [1, "Tỉnh Thử Một", 8.0, "Xã Hai"],
    ]
    result = import_file(runner, write_xlsx(tmp_path / "numbers.xlsx", rows))
    assert result.exit_code == 0, result.output
    assert units(app) == {
        "4": ["Phường Một", "1", "Tỉnh Thử Một"],
        "8": ["Xã Hai", "1", "Tỉnh Thử Một"],
    }
    assert "2 cell(s) of column commune_code are numbers" in result.output
    assert "format the column as Text" in result.output


def test_the_demo_file_matches_the_demo_data(runner, app):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    result = import_file(runner, DATA / "communes-demo.csv")
    assert result.exit_code == 0, result.output
    assert "Nothing changed" in result.output


# --- Bad files: nothing is imported --------------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(
    runner, app, tmp_path
):
    rows = [HEADER, *GOOD, ["31", "Tỉnh Thử Hai", "", "Xã Không Mã"]]
    path = write_csv(tmp_path / "communes.csv", rows)
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert f"{path}: row 5, column commune_code: is empty" in result.output
    assert "1 problem(s) found; nothing imported." in result.output
    assert count(app, Commune) == 0 and count(app, Province) == 0


def test_every_problem_is_listed_with_row_and_column(runner, app, tmp_path):
    rows = [
        HEADER,
        ["01", "Tỉnh Thử Một", "01234", "Phường Một"],  # row 2
        ["01", "Tỉnh Thử Một", "012 35", "Phường Hai"],  # row 3
        ["01", "Tỉnh Thử Một", "01234", "Phường Ba"],  # row 4
        ["01", "Tỉnh Thử Một", "X" * 21, ""],  # row 5
        ["01", "Tỉnh Thử Một", "01236", "P" * 121],  # row 6
    ]
    path = write_xlsx(tmp_path / "communes.xlsx", rows)
    result = import_file(runner, path)
    assert result.exit_code == 1
    out = result.output
    assert f'{path}: row 3, column commune_code: "012 35" has a space in it' in out
    assert (
        f'{path}: row 4, column commune_code: "01234" appears twice (first on row 2)'
        in out
    )
    assert f"{path}: row 5, column commune_code: " in out and "21 characters" in out
    assert f"{path}: row 5, column commune_name: is empty" in out
    assert f"{path}: row 6, column commune_name: " in out and "at most 120" in out
    assert "5 problem(s) found; nothing imported." in out
    assert count(app, Commune) == 0


def test_a_province_code_given_with_two_names_is_a_problem(runner, app, tmp_path):
    rows = [HEADER, *GOOD, ["01", "Tinh Thu Mot", "00020", "Xã Năm"]]
    result = import_file(runner, write_csv(tmp_path / "communes.csv", rows))
    assert result.exit_code == 1
    assert (
        'row 5, column province_name: "Tinh Thu Mot" differs from "Tỉnh Thử Một" '
        'given for province "01" on row 2'
    ) in result.output
    assert count(app, Province) == 0


def test_a_commune_moving_province_is_reported_unless_allowed(runner, app, tmp_path):
    assert (
        import_file(runner, write_csv(tmp_path / "a.csv", [HEADER, *GOOD])).exit_code
        == 0
    )
    moved = [HEADER, ["31", "Tỉnh Thử Hai", "00008", "Xã Hai"], GOOD[0]]
    path = write_csv(tmp_path / "b.csv", moved)
    refused = import_file(runner, path)
    assert refused.exit_code == 1
    assert (
        f'{path}: row 2, column province_code: commune "00008" (Xã Hai) is already in '
        'province "01" (Tỉnh Thử Một), not "31"'
    ) in refused.output
    assert "--allow-moves" in refused.output
    assert units(app)["00008"][1] == "01"

    allowed = import_file(runner, path, "--allow-moves")
    assert allowed.exit_code == 0, allowed.output
    assert "Moved to another province: 00008." in allowed.output
    assert "2 communes (0 new, 1 updated)" in allowed.output
    assert units(app)["00008"] == ["Xã Hai", "31", "Tỉnh Thử Hai"]


def test_a_bad_row_after_many_good_ones_leaves_the_database_as_it_was(
    runner, app, tmp_path
):
    assert (
        import_file(runner, write_csv(tmp_path / "a.csv", [HEADER, *GOOD])).exit_code
        == 0
    )
    before = units(app)
    rows = [HEADER, ["01", "Tỉnh Thử Một", "00004", "Tên Mới"]]
    rows += [["02", "Tỉnh Mới", f"9{n:04}", f"Xã {n}"] for n in range(50)]
    rows += [["02", "Tỉnh Mới", "99999", "   "]]
    result = import_file(runner, write_csv(tmp_path / "b.csv", rows))
    assert (
        result.exit_code == 1
        and "row 53, column commune_name: is empty" in result.output
    )
    assert units(app) == before and count(app, Province) == 2


def test_a_header_only_file_has_nothing_to_import(runner, app, tmp_path):
    result = import_file(runner, write_csv(tmp_path / "empty.csv", [HEADER]))
    assert result.exit_code == 1
    assert "nothing to import" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("communes.txt", b"x", "cannot read a .txt file; give a .csv (UTF-8) or .xlsx"),
        ("communes.xls", b"x", "old Excel format (.xls)"),
        ("communes.xlsx", b"not a zip", "cannot be opened as an XLSX workbook"),
        ("communes.csv", "Đê".encode("cp1258"), "is not UTF-8 text"),
        ("communes.csv", b"", "row 1: the first row must be the header"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(runner, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert f"{path}: " in result.output and message in result.output


def test_help_documents_the_columns(runner):
    result = runner.invoke(args=["communes", "import", "--help"])
    assert result.exit_code == 0
    for column in (*HEADER, "mã tỉnh", "tên tỉnh", "mã xã", "tên xã", "--allow-moves"):
        assert column in result.output
    assert "all or nothing" in " ".join(result.output.split())
    group = runner.invoke(args=["communes", "--help"])
    assert group.exit_code == 0 and "import" in group.output


def test_readme_documents_the_command_and_the_columns():
    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "flask --app app communes import" in readme
    for column in (*HEADER, "mã tỉnh", "tên tỉnh", "mã xã", "tên xã"):
        assert f"`{column}`" in readme


# --- Reading without Flask ---------------------------------------------------------------


def test_problem_reads_like_the_spreadsheet():
    problem = Problem(
        "communes.xlsx", '"01234" appears twice (first on row 3)', 7, "commune_code"
    )
    assert str(problem) == (
        'communes.xlsx: row 7, column commune_code: "01234" appears twice (first on row 3)'
    )
    assert str(Problem("a.csv", "is empty")) == "a.csv: is empty"


def test_row_numbers_count_blank_rows_and_records_not_lines(tmp_path):
    rows = [
        HEADER,
        GOOD[0],
        [],
        ["01", "Tỉnh Thử Một", "00008", "Xã\nHai"],
        ["01", "Tỉnh Thử Một", "", "Xã Ba"],
    ]
    read, problems = read_communes(write_csv(tmp_path / "c.csv", rows))
    assert [row.row for row in read] == [2, 4, 5]
    assert read[1].commune_name == "Xã Hai"  # spaces and line breaks in names made one
    assert [(p.row, p.column) for p in problems] == [(5, "commune_code")]


def test_problems_name_the_column_as_the_file_does(tmp_path):
    rows = [["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã"], ["01", "Tỉnh Thử", "0 1", "Xã"]]
    _, problems = read_communes(write_csv(tmp_path / "c.csv", rows))
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        'row 2, column Mã xã: "0 1" has a space in it; a code has none'
    ]


def test_a_missing_or_doubled_column_is_a_problem_on_row_1(tmp_path):
    rows = [["province_code", "mã tỉnh", "province_name", "commune_name"], GOOD[0]]
    read, problems = read_communes(write_csv(tmp_path / "c.csv", rows))
    assert read == []
    messages = [str(p) for p in problems]
    assert any(
        'row 1: "province_code" and "mã tỉnh" are the same column' in m
        for m in messages
    )
    assert any('row 1: no column commune_code (or "mã xã");' in m for m in messages)
    _, problems = read_communes(write_csv(tmp_path / "d.csv", [["a", "b"], ["1", "2"]]))
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        'row 1: no columns province_code (or "mã tỉnh"), province_name (or "tên tỉnh"), '
        'commune_code (or "mã xã"), commune_name (or "tên xã"); the header row must '
        "name the columns province_code, province_name, commune_code, commune_name"
    ]


def test_an_unquoted_separator_in_a_name_is_a_problem(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        ",".join(HEADER) + "\n01,Tỉnh Thử,00004,Phường Một, Khu Hai\n"
        '01,Tỉnh Thử,00008,"Phường Ba, Khu Bốn"\n',
        encoding="utf-8",
    )
    read, problems = read_communes(path)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "row 2: has 5 cells but the header has 4; a name that holds the separator "
        "must be in double quotes"
    ]
    assert read[-1].commune_name == "Phường Ba, Khu Bốn"


def test_a_province_name_given_with_two_codes_is_a_problem(tmp_path):
    rows = [HEADER, GOOD[0], ["011", "Tỉnh Thử Một", "00008", "Xã Hai"]]
    _, problems = read_communes(write_csv(tmp_path / "c.csv", rows))
    assert [(p.row, p.column) for p in problems] == [(3, "province_code")]


def test_xlsx_empty_rows_are_skipped_and_numbered(tmp_path):
    rows = [
        HEADER,
        GOOD[0],
        [None, None, None, None],
        GOOD[1],
        ["01", "Tỉnh Thử Một", True, "Xã"],
    ]
    read, problems = read_communes(write_xlsx(tmp_path / "c.xlsx", rows))
    assert [row.row for row in read] == [2, 4, 5]
    assert [(p.row, p.column, p.message) for p in problems] == [
        (5, "commune_code", "is TRUE/FALSE, not text")
    ]
