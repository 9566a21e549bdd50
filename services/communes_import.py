"""Import the official list of provinces and communes from a CSV or XLSX file.

Two steps, so the reading can be tested without Flask or a database:

- ``read_communes(path)`` reads and checks the file and returns ``(rows, problems)``;
- ``import_communes(rows)`` checks the rows against the database, then adds and
  updates provinces and communes in the current session. The caller commits.

Since 1 July 2025 Vietnam has two tiers: 34 provinces, each with its communes, wards
and special zones. Each unit has an official code; codes are text ("01", "00004"),
so leading zeros matter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .spreadsheets import (
    Problem,
    Unreadable,
    cell_text,
    find_columns,
    formula_problem,
    header_key,
    is_blank,
    read_bytes,
    read_table,
)

COLUMNS = ("province_code", "province_name", "commune_code", "commune_name")
VIETNAMESE_COLUMNS = {
    "mã tỉnh": "province_code",
    "tên tỉnh": "province_name",
    "mã xã": "commune_code",
    "tên xã": "commune_name",
}
CODE_COLUMNS = ("province_code", "commune_code")
CODE_MAX = 20  # models.Province.code and models.Commune.code are String(20)
NAME_MAX = 120  # and their names String(120)
MAX_ROWS = 10_000  # the country has about 3,300 communes


@dataclass
class CommuneRow:
    """One checked row of the file."""

    file: str
    row: int
    province_code: str
    province_name: str
    commune_code: str
    commune_name: str
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    numeric_codes: tuple[str, ...] = ()  # code columns that were number cells (XLSX)

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.file, message, self.row, self.headers.get(column, column))


@dataclass
class ImportSummary:
    provinces: int = 0
    provinces_new: int = 0
    provinces_updated: int = 0
    communes: int = 0
    communes_new: int = 0
    communes_updated: int = 0
    communes_moved: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.provinces_new
            or self.provinces_updated
            or self.communes_new
            or self.communes_updated
        )

    def __str__(self) -> str:
        provinces = _count(self.provinces, "province")
        communes = _count(self.communes, "commune")
        if not self.changed:
            return (
                f"Nothing changed: the database already has the {provinces} and "
                f"{communes} of this file, as they are in it."
            )
        return (
            f"Imported: {provinces} ({self.provinces_new} new, "
            f"{self.provinces_updated} updated), {communes} "
            f"({self.communes_new} new, {self.communes_updated} updated)."
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class ImportRefused(Exception):
    """The rows disagree with the database; nothing was changed."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# --- Reading ----------------------------------------------------------------------------


def read_communes(path: str | Path) -> tuple[list[CommuneRow], list[Problem]]:
    """Read and check a CSV or XLSX file of provinces and communes.

    Returns the rows and every problem found (not only the first). The rows are only
    to be imported when there are no problems. A file with a header and no rows gives
    no rows and no problems.
    """
    path = Path(path)
    name = str(path)
    try:
        table = read_table(name, read_bytes(path), MAX_ROWS)
    except Unreadable as error:
        return [], [Problem(name, str(error))]
    extra_cells_allowed = path.suffix.lower() == ".xlsx"
    return _check(name, table, extra_cells_allowed=extra_cells_allowed)


def _header_columns(
    file: str, header: list[object]
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Map each column name to its index in the row and to the header as written."""

    def column_of(cell: object) -> str | None:
        key = header_key(cell)
        return key if key in COLUMNS else VIETNAMESE_COLUMNS.get(key)

    index, written, problems = find_columns(file, header, column_of)
    missing = [
        f'{column} (or "{vietnamese}")'
        for vietnamese, column in VIETNAMESE_COLUMNS.items()
        if column not in index
    ]
    if missing:
        problems.append(
            Problem(
                file,
                f"no column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"the header row must name the columns {', '.join(COLUMNS)}",
                1,
            )
        )
    return index, written, problems


def _check(
    file: str, table: list[tuple[int, list[object]]], extra_cells_allowed: bool
) -> tuple[list[CommuneRow], list[Problem]]:
    """Check the header and every row; collect every problem."""
    if not table or is_blank(table[0][1]):
        return [], [
            Problem(
                file,
                "the first row must be the header naming the columns "
                f"{', '.join(COLUMNS)}",
                1,
            )
        ]
    index, headers, problems = _header_columns(file, table[0][1])
    if problems:
        return [], problems
    width = len(table[0][1])
    while width and header_key(table[0][1][width - 1]) == "":
        width -= 1

    rows: list[CommuneRow] = []
    first_commune: dict[str, int] = {}
    province_names: dict[str, tuple[str, int]] = {}
    province_codes: dict[str, tuple[str, int]] = {}
    for number, cells in table[1:]:
        if is_blank(cells):
            continue  # empty rows between or after the data are skipped

        def problem(column: str | None, message: str, number: int = number) -> None:
            label = headers.get(column, column) if column else None
            problems.append(Problem(file, message, number, label))

        if not extra_cells_allowed and not is_blank(cells[width:]):
            problem(
                None,
                f"has {len(cells)} cells but the header has {width}; a name that "
                "holds the separator must be in double quotes",
            )
            continue
        values: dict[str, str] = {}
        numeric: list[str] = []
        for column in COLUMNS:
            position = index[column]
            raw = cells[position] if position < len(cells) else None
            text, was_number, cell_problem = cell_text(raw)
            if cell_problem:
                problem(column, str(cell_problem))
            if was_number and column in CODE_COLUMNS:
                numeric.append(column)
            if column in CODE_COLUMNS:
                text = text.strip()
            else:
                text = " ".join(unicodedata.normalize("NFC", text).split())
            values[column] = text
            limit = CODE_MAX if column in CODE_COLUMNS else NAME_MAX
            if not text:
                problem(column, "is empty")
            elif column in CODE_COLUMNS and any(ch.isspace() for ch in text):
                problem(column, f'"{text}" has a space in it; a code has none')
            elif column not in CODE_COLUMNS and (formula := formula_problem(text)):
                problem(column, str(formula))
            elif len(text) > limit:
                problem(
                    column,
                    f'"{text[:30]}…" is {len(text)} characters long; at most '
                    f"{limit} fit",
                )

        commune_code = values["commune_code"]
        if commune_code:
            if commune_code in first_commune:
                problem(
                    "commune_code",
                    f'"{commune_code}" appears twice (first on row '
                    f"{first_commune[commune_code]})",
                )
            else:
                first_commune[commune_code] = number
        if values["province_code"] and values["province_name"]:
            # One name per province code, and one code per province name.
            for column, key, first in (
                ("province_name", "province_code", province_names),
                ("province_code", "province_name", province_codes),
            ):
                given, on_row = first.setdefault(values[key], (values[column], number))
                if given != values[column]:
                    problem(
                        column,
                        f'"{values[column]}" differs from "{given}" given for province '
                        f'"{values[key]}" on row {on_row}',
                    )
        rows.append(
            CommuneRow(
                file, number, **values, headers=headers, numeric_codes=tuple(numeric)
            )
        )
    return rows, problems


def numeric_code_notes(rows: list[CommuneRow]) -> Iterator[str]:
    """A note for each code column that held numbers: a leading zero may be lost."""
    for column in CODE_COLUMNS:
        found = [row for row in rows if column in row.numeric_codes]
        if found:
            first = found[0]
            yield (
                f"{first.file}: note: {len(found)} cell(s) of column "
                f"{first.headers.get(column, column)} are numbers, not text (first on "
                f'row {first.row}: "{getattr(first, column)}"). They were read as '
                "written; if the official codes start with 0, format the column as "
                "Text, type the codes again and import the file again."
            )


# --- Importing --------------------------------------------------------------------------


def import_communes(rows: list[CommuneRow], allow_moves: bool = False) -> ImportSummary:
    """Add new provinces and communes and update changed names, in the current session.

    Provinces and communes are found by code. A commune already in the database under
    another province is a problem unless ``allow_moves``: then it moves. Raises
    ``ImportRefused`` with every problem before changing anything. Units in the
    database but not in the rows are kept (learners may belong to them). The caller
    commits (or rolls back).
    """
    from sqlalchemy import select

    from models import Commune, Province, db

    from .communes import set_name

    provinces = {p.code: p for p in db.session.scalars(select(Province))}
    communes = {c.code: c for c in db.session.scalars(select(Commune))}
    province_code_of = {p.id: p.code for p in provinces.values()}

    problems = []
    for row in rows:
        commune = communes.get(row.commune_code)
        current = commune and province_code_of.get(commune.province_id)
        if commune is None or allow_moves or current == row.province_code:
            continue
        problems.append(
            row.problem(
                "province_code",
                f'commune "{row.commune_code}" ({commune.name}) is already in '
                f'province "{current}" ({provinces[current].name}), not '
                f'"{row.province_code}"; if it really moved, import again with '
                "--allow-moves",
            )
        )
    if problems:
        raise ImportRefused(problems)

    summary = ImportSummary(communes=len(rows))
    names = {row.province_code: row.province_name for row in rows}
    summary.provinces = len(names)
    for code, name in names.items():
        province = provinces.get(code)
        if province is None:
            provinces[code] = Province(code=code, name=name)
            db.session.add(provinces[code])
            summary.provinces_new += 1
        elif province.name != name:
            province.name = name
            summary.provinces_updated += 1

    for row in rows:
        province = provinces[row.province_code]
        commune = communes.get(row.commune_code)
        if commune is None:
            commune = Commune(code=row.commune_code)
            set_name(commune, row.commune_name)
            commune.province = province
            db.session.add(commune)
            communes[row.commune_code] = commune
            summary.communes_new += 1
            continue
        changed = False
        if commune.name != row.commune_name:
            set_name(commune, row.commune_name)
            changed = True
        if province_code_of.get(commune.province_id) != row.province_code:
            commune.province = province
            summary.communes_moved.append(row.commune_code)
            changed = True
        summary.communes_updated += changed
    db.session.flush()
    return summary
