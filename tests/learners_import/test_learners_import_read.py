"""Importing learners from CSV or XLSX: reading and checking, no database."""

from __future__ import annotations

from datetime import date

from services.learners_import import TEMPLATE_EXAMPLE, read_learners

from .conftest import HEADER, SAMPLE, where, write_csv, write_xlsx


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
