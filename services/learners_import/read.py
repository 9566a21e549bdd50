"""Reading a file of learners: the columns found, and each cell checked.

No database and no Flask in here: ``read_learners`` answers ``(rows, problems)``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..names import fold
from ..phones import is_phone, normalise_phone
from ..spreadsheets import (
    N_,
    Message,
    Problem,
    Table,
    Unreadable,
    cell_text,
    find_columns,
    formula_problem,
    is_blank,
    read_bytes,
    read_table,
)

COLUMNS = ("name", "birth_year", "phone", "commune_code")
REQUIRED = ("name", "birth_year")
# The headers a file may use for each column (compared without accents or case).
HEADERS = {
    "name": ("name", "họ và tên"),
    "birth_year": ("birth_year", "năm sinh"),
    "phone": ("phone", "số điện thoại"),
    "commune_code": ("commune_code", "mã xã"),
}
# The template's header row (Vietnamese), in this order.
TEMPLATE_HEADER = ("Họ và tên", "Năm sinh", "Số điện thoại", "Mã xã")
# Its example row, plainly fake; a file still holding it is refused.
TEMPLATE_EXAMPLE = ("Nguyễn Văn Mẫu (ví dụ, xóa dòng này)", "1950", "0900000000", "")
NAME_MAX = 120  # models.Person.name is String(120)
CODE_MAX = 20
OLDEST = 1900
MAX_ROWS = 2000  # a commune's list at most; the preview carries every row


def _header_name(text: object) -> str:
    return fold(str(text or "")).replace("_", " ")


_COLUMN_OF = {
    _header_name(header): column
    for column, headers in HEADERS.items()
    for header in headers
}


@dataclass(frozen=True)
class LearnerRow:
    """One checked row of the file."""

    row: int
    name: str
    birth_year: int
    phone: str | None = None
    commune_code: str | None = None
    # How the file's header names each column, for the problems found later.
    headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def cells(self) -> list[object]:
        """The row as plain values (to carry it from the preview to the saving)."""
        return [self.row, self.name, self.birth_year, self.phone, self.commune_code]


# --- Reading ----------------------------------------------------------------------------


def read_learners(
    name: str, data: bytes | None = None
) -> tuple[list[LearnerRow], list[Problem]]:
    """Read and check the file called ``name`` (its bytes are ``data``, or read from
    the path ``name``). Returns the rows and every problem found."""
    try:
        if data is None:
            data = read_bytes(Path(name))
        table = read_table(name, data, MAX_ROWS)
    except Unreadable as error:
        return [], [Problem(name, error.message)]
    return check_table(name, table, strict_width=Path(name).suffix.lower() == ".csv")


def rows_from_cells(
    file: str, cells: Sequence[Sequence[object]], headers: dict[str, str]
) -> tuple[list[LearnerRow], list[Problem]]:
    """Check again rows carried as ``LearnerRow.cells()`` (from the preview page),
    with the file's ``headers`` (``LearnerRow.headers``)."""
    table: Table = [(1, [headers.get(column, column) for column in COLUMNS])]
    for values in cells:
        if len(values) != 1 + len(COLUMNS) or not isinstance(values[0], int):
            return [], [Problem(file, Message(N_("the list sent back is damaged")))]
        table.append((values[0], list(values[1:])))
    return check_table(file, table)


def _columns(
    file: str, header: list[object]
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Where each known column is, and how the header names it."""
    index, written, problems = find_columns(
        file, header, lambda cell: _COLUMN_OF.get(_header_name(cell))
    )
    for column in REQUIRED:
        if column not in index:
            english, vietnamese = HEADERS[column]
            problems.append(
                Problem(
                    file,
                    Message(
                        N_(
                            'there is no column "%(vietnamese)s" (or %(english)s); '
                            "the first row must name the columns"
                        ),
                        {"vietnamese": vietnamese, "english": english},
                    ),
                    1,
                )
            )
    return index, written, problems


def check_table(
    file: str, table: Table, strict_width: bool = False
) -> tuple[list[LearnerRow], list[Problem]]:
    """Check the header and every row; collect every problem."""
    if not table or is_blank(table[0][1]):
        return [], [
            Problem(
                file,
                Message(
                    N_(
                        "the first row must name the columns, for example: "
                        "Họ và tên, Năm sinh, Số điện thoại, Mã xã"
                    )
                ),
                1,
            )
        ]
    index, headers, problems = _columns(file, table[0][1])
    if problems:
        return [], problems
    body = [(number, cells) for number, cells in table[1:] if not is_blank(cells)]
    if len(body) > MAX_ROWS:
        message = Message(
            N_("has %(count)s people; at most %(max)s can be imported at once"),
            {"count": len(body), "max": MAX_ROWS},
        )
        return [], [Problem(file, message)]
    width = len(table[0][1])
    while width and is_blank(table[0][1][width - 1 : width]):
        width -= 1

    rows: list[LearnerRow] = []
    for number, cells in body:
        found: list[Problem] = []

        def problem(
            column: str | None, text: str, number=number, found=found, **params
        ) -> None:
            label = headers.get(column, column) if column else None
            found.append(Problem(file, Message(text, params), number, label))

        if strict_width and not is_blank(cells[width:]):
            problem(
                None,
                N_(
                    "has %(cells)s cells but the header has %(width)s; a name that "
                    "holds a comma must be in double quotes"
                ),
                cells=len(cells),
                width=width,
            )
            problems.extend(found)
            continue

        def cell(column: str, cells: list[object] = cells) -> object:
            position = index.get(column)
            if position is None or position >= len(cells):
                return None
            return cells[position]

        name = _name(cell("name"), problem)
        year = _birth_year(cell("birth_year"), problem)
        phone = _phone(cell("phone"), problem)
        code = _commune_code(cell("commune_code"), problem)
        problems.extend(found)
        if not found:
            rows.append(LearnerRow(number, name, year, phone, code, headers))
    return rows, problems


def _name(value: object, problem) -> str:
    text, was_number, cell_problem = cell_text(value)
    text = " ".join(unicodedata.normalize("NFC", text).split())
    if cell_problem:
        problem("name", cell_problem.text, **cell_problem.params)
    elif not text:
        problem("name", N_("is empty: every person needs a name"))
    elif was_number:
        problem("name", N_('"%(value)s" is a number, not a name'), value=text)
    elif formula := formula_problem(text):
        problem("name", formula.text, **formula.params)
    elif fold(text) == fold(TEMPLATE_EXAMPLE[0]):
        problem("name", N_("is the template's example: delete this row"))
    elif len(text) > NAME_MAX:
        problem(
            "name",
            N_('"%(start)s…" is %(length)s characters long; at most %(max)s fit'),
            start=text[:30],
            length=len(text),
            max=NAME_MAX,
        )
    return text


def _birth_year(value: object, problem) -> int:
    this_year = date.today().year
    if isinstance(value, datetime | date):
        problem(
            "birth_year",
            N_("is a date; write only the year of birth, for example 1950"),
        )
        return 0
    text, _was_number, cell_problem = cell_text(value)
    text = text.strip()
    if cell_problem:
        problem("birth_year", cell_problem.text, **cell_problem.params)
    elif not text:
        problem("birth_year", N_("is empty: write the year of birth, for example 1950"))
    elif not re.fullmatch(r"[0-9]{4}", text):
        problem(
            "birth_year",
            N_('"%(value)s" is not a year: write 4 digits, for example 1950'),
            value=text,
        )
    elif not OLDEST <= int(text) <= this_year:
        problem(
            "birth_year",
            N_("%(value)s is not between %(min)s and %(max)s"),
            value=text,
            min=OLDEST,
            max=this_year,
        )
    else:
        return int(text)
    return 0


def _phone(value: object, problem) -> str | None:
    text, was_number, cell_problem = cell_text(value)
    if cell_problem:
        problem("phone", cell_problem.text, **cell_problem.params)
        return None
    if was_number:
        problem(
            "phone",
            N_(
                "%(value)s is a number cell, so a 0 at the start may be lost; format "
                "the column as Text and type the phone numbers again"
            ),
            value=text,
        )
        return None
    digits = normalise_phone(text)
    if not digits:
        return None
    if not is_phone(digits):
        problem(
            "phone",
            N_(
                '"%(value)s" is not a phone number: write 8 to 15 digits (a + may '
                "come first), for example 0912 345 678"
            ),
            value=text.strip(),
        )
        return None
    return digits


def _commune_code(value: object, problem) -> str | None:
    text, _was_number, cell_problem = cell_text(value)
    text = text.strip()
    if cell_problem:
        problem("commune_code", cell_problem.text, **cell_problem.params)
    elif any(ch.isspace() for ch in text):
        problem(
            "commune_code",
            N_('"%(value)s" has a space in it; a code has none'),
            value=text,
        )
    elif len(text) > CODE_MAX:
        problem(
            "commune_code",
            N_('"%(value)s" is too long for a commune code'),
            value=text[:30],
        )
    return text or None
