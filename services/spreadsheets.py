"""Reading a spreadsheet the way people hand one over: CSV (UTF-8) or XLSX, and
keeping formulas out of the ones the app writes (``defuse``).

Shared by the imports (communes_import.py, learners_import/) and the exports; no
Flask in here. Files are read with hard limits checked before the work they bound
(a small XLSX can unzip to gigabytes, or declare a million rows), so a hostile file
is refused within moments instead of stalling a server.
A table is a list of ``(row number, cells)``, numbered as the spreadsheet shows them
(the header is row 1). Messages are English msgids marked with ``N_``: the command
line prints them as they are, the web pages translate them (``Message.text`` and
``Message.params`` go through gettext).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

DELIMITERS = (",", ";", "\t")
# What a spreadsheet runs as a formula when a cell starts with it (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

MAX_FILE = 20 * 1024 * 1024  # bytes of a file read from disk (the web allows 5 MB)
MAX_CELL = 1000  # characters in one cell; names are at most 120
MAX_COLUMNS = 50  # the last column a value may be in
WIDEST_SHEET = 1024  # columns a sheet may have at all, even empty
LAST_ROW = 100_000  # a sheet may not reach past this row, even with empty rows
MAX_PARTS = 100  # files inside an XLSX (a workbook has about a dozen)
MAX_PART = 10 * 1024 * 1024  # bytes of one file inside an XLSX, unzipped
MAX_UNZIPPED = 20 * 1024 * 1024  # bytes of all of them together
# An XML part declaring a DTD could define entities that expand a millionfold.
DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)

Table = list[tuple[int, list[object]]]


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is shown (web pages do, the CLI not)."""
    return message


@dataclass(frozen=True)
class Message:
    """An English message with %(name)s placeholders and their values."""

    text: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % dict(self.params) if self.params else self.text


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, where a spreadsheet user will find it."""

    file: str
    message: str | Message
    row: int | None = None  # as the spreadsheet shows it: the header is row 1
    column: str | None = None  # as the header row names it

    def __str__(self) -> str:
        """file: row N, column C: what is wrong (in English, for the command line)."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        place = f"{self.file}: {', '.join(where)}" if where else self.file
        return f"{place}: {self.message}"


def defuse(value: object) -> object:
    """``value`` for a cell of a CSV or XLSX the app writes: text that a spreadsheet
    would run as a formula gets a leading single quote, so it shows as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_problem(text: str) -> Message | None:
    """Why ``text`` (a name being imported) is refused, if it starts like a formula."""
    if text.startswith(FORMULA_START):
        return Message(
            N_(
                '"%(start)s" starts with "%(char)s", which a spreadsheet runs as a '
                "formula; remove that sign"
            ),
            {"start": text[:30], "char": text[0]},
        )
    return None


class Unreadable(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, text: str, **params: object):
        self.message = Message(text, params)
        super().__init__(str(self.message))


def read_bytes(path: Path) -> bytes:
    """The content of the file at ``path``, refused beyond ``MAX_FILE`` bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise Unreadable(
                N_("is %(size)s MB; at most %(max)s MB can be imported"),
                size=round(size / 1024 / 1024),
                max=MAX_FILE // 1024 // 1024,
            )
        return path.read_bytes()
    except OSError as error:
        raise Unreadable(
            N_("cannot be read: %(reason)s"), reason=error.strerror or str(error)
        ) from error


def read_table(name: str, data: bytes, max_rows: int) -> Table:
    """The rows of a .csv or .xlsx file called ``name`` whose content is ``data``;
    at most ``max_rows`` non-blank rows under the header."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return csv_rows(data, max_rows)
    if suffix == ".xlsx":
        return xlsx_rows(data, max_rows)
    if suffix == ".xls":
        raise Unreadable(
            N_(
                "this is the old Excel format (.xls); save it as .xlsx or as "
                "CSV UTF-8 and import that"
            )
        )
    if not suffix:
        raise Unreadable(
            N_(
                "cannot read a file without an extension; give a .csv (UTF-8) or "
                ".xlsx file"
            )
        )
    raise Unreadable(
        N_("cannot read a %(suffix)s file; give a .csv (UTF-8) or .xlsx file"),
        suffix=suffix,
    )


def _bounded(rows: Iterable[tuple[int, Sequence[object]]], max_rows: int) -> Table:
    """``rows`` until ``max_rows`` non-blank ones follow the header; each checked
    for width and cell length before the next is read."""
    table: Table = []
    filled = 0
    for number, cells in rows:
        if number > LAST_ROW:
            raise Unreadable(
                N_("the sheet reaches row %(row)s; a file may not go past row %(max)s"),
                row=number,
                max=LAST_ROW,
            )
        if len(cells) > WIDEST_SHEET or not is_blank(cells[MAX_COLUMNS:]):
            raise Unreadable(
                N_("row %(row)s has cells beyond column %(max)s; at most %(max)s "
                   "columns can be read"),
                row=number,
                max=MAX_COLUMNS,
            )  # fmt: skip
        for position, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL:
                raise Unreadable(
                    N_("row %(row)s, column %(column)s holds %(length)s characters; "
                       "a cell may hold at most %(max)s"),
                    row=number,
                    column=position + 1,
                    length=len(cell),
                    max=MAX_CELL,
                )  # fmt: skip
        if is_blank(cells):
            continue  # blank rows do not count and are not kept
        filled += 1
        if filled > max_rows + 1:  # the header, then the rows
            raise Unreadable(
                N_("has more than %(max)s rows under the header; at most %(max)s "
                   "can be imported at once"),
                max=max_rows,
            )  # fmt: skip
        table.append((number, list(cells)))
    return table


def csv_rows(data: bytes, max_rows: int) -> Table:
    """CSV records (a quoted cell may hold a line break), with or without a BOM."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(
            N_(
                "is not UTF-8 text (byte %(byte)s); in Excel use Save As, "
                "'CSV UTF-8 (Comma delimited)'"
            ),
            byte=error.start + 1,
        ) from error
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower() in ("sep=,", "sep=;", "sep=\t"):
        # Excel's own hint line; Excel does not show it as a row.
        delimiter, text = first_line.strip()[4], rest
    else:
        delimiter = max(DELIMITERS, key=first_line[: MAX_CELL * MAX_COLUMNS].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Records, not lines: a quoted name may hold a line break, and a spreadsheet
        # shows that record as one row.
        return _bounded(enumerate(reader, 1), max_rows)
    except csv.Error as error:
        raise Unreadable(
            N_("is not valid CSV near line %(line)s: %(error)s"),
            line=reader.line_num,
            error=str(error),
        ) from error


def check_zip(data: bytes) -> None:
    """Refuse an XLSX whose parts unzip too large or declare a DTD, before any of
    it is parsed. zipfile never unzips a part beyond the size its directory states,
    so checking the stated sizes bounds the work."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise Unreadable(
                N_("holds %(count)s files inside; a workbook has at most %(max)s"),
                count=len(parts),
                max=MAX_PARTS,
            )
        largest = max(parts, key=lambda part: part.file_size, default=None)
        total = sum(part.file_size for part in parts)
        if largest is not None and (
            largest.file_size > MAX_PART or total > MAX_UNZIPPED
        ):
            raise Unreadable(
                N_("unzips to %(size)s MB (%(part)s alone is %(part_size)s MB); "
                   "at most %(max_part)s MB per part and %(max)s MB in all can be "
                   "read"),
                size=round(total / 1024 / 1024),
                part=largest.filename,
                part_size=round(largest.file_size / 1024 / 1024),
                max_part=MAX_PART // 1024 // 1024,
                max=MAX_UNZIPPED // 1024 // 1024,
            )  # fmt: skip
        for part in parts:
            if _declares_dtd(archive, part):
                raise Unreadable(
                    N_("%(part)s declares a DTD or entities, which a workbook never "
                       "needs; save the file again from Excel or LibreOffice"),
                    part=part.filename,
                )  # fmt: skip


def _declares_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1024 * 1024):
            window = tail + chunk
            if any(mark in window for mark in DTD_MARKS):
                return True
            tail = window[-32:]
    return False


def xlsx_rows(data: bytes, max_rows: int) -> Table:
    """The rows of the workbook's first sheet, values as Excel last computed them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_zip(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        OSError,
        SyntaxError,  # xml.etree's ParseError
    ) as error:
        raise Unreadable(
            N_(
                "cannot be opened as an XLSX workbook (%(error)s); save it again "
                "from Excel or LibreOffice as .xlsx"
            ),
            error=str(error),
        ) from error
    try:
        if not workbook.worksheets:
            raise Unreadable(N_("the workbook has no sheet"))
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > LAST_ROW or (sheet.max_column or 0) > WIDEST_SHEET:
            raise Unreadable(
                N_("the sheet says it spans %(rows)s rows and %(columns)s columns; "
                   "a file may have at most %(max_rows)s rows and %(max_columns)s "
                   "columns"),
                rows=sheet.max_row,
                columns=sheet.max_column,
                max_rows=LAST_ROW,
                max_columns=WIDEST_SHEET,
            )  # fmt: skip
        sheet.reset_dimensions()  # the stored size may be smaller; read every row
        rows = enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
        try:
            return _bounded(rows, max_rows)
        except (ValueError, KeyError, SyntaxError) as error:
            raise Unreadable(
                N_("cannot be read as an XLSX sheet (%(error)s)"), error=str(error)
            ) from error
    finally:
        workbook.close()


def header_key(text: object) -> str:
    """How a header cell is compared: any case, extra spaces ignored, NFC."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).strip().casefold()
    return " ".join(text.split())


def cell_text(value: object) -> tuple[str, bool, Message | None]:
    """(text, was a number, problem). Whole numbers become their digits."""
    if value is None:
        return "", False, None
    if isinstance(value, bool):
        return str(value), False, Message(N_("is TRUE/FALSE, not text"))
    if isinstance(value, int):
        return str(value), True, None
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), True, None
        return (
            str(value),
            True,
            Message(
                N_("is a number with decimals (%(value)s), not text"), {"value": value}
            ),
        )
    if isinstance(value, datetime | date | time):
        return (
            str(value),
            False,
            Message(N_("is a date or time (%(value)s), not text"), {"value": value}),
        )
    return str(value), False, None


def find_columns(
    file: str, header: list[object], column_of: Callable[[object], str | None]
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Where each known column is in the header row, and how the header writes it.

    ``column_of`` names the column a header cell stands for (None: a column of no
    interest, left alone). Two cells naming one column are a problem on row 1.
    """
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    problems = []
    for position, cell in enumerate(header):
        column = column_of(cell)
        if column is None:
            continue
        label = " ".join(str(cell).split())
        if column in index:
            message = Message(
                N_('"%(first)s" and "%(second)s" are the same column; keep one'),
                {"first": written[column], "second": label},
            )
            problems.append(Problem(file, message, 1))
            continue
        index[column] = position
        written[column] = label
    return index, written, problems


def is_blank(cells: Iterable[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)
