"""Reading a spreadsheet the way people hand one over: CSV (UTF-8) or XLSX.

Shared by the imports (communes_import.py, learners_import/); no Flask in here.
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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

DELIMITERS = (",", ";", "\t")

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


class Unreadable(Exception):
    """The file cannot be read as a table at all."""

    def __init__(self, text: str, **params: object):
        self.message = Message(text, params)
        super().__init__(str(self.message))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise Unreadable(
            N_("cannot be read: %(reason)s"), reason=error.strerror or str(error)
        ) from error


def read_table(name: str, data: bytes) -> Table:
    """The rows of a .csv or .xlsx file called ``name`` whose content is ``data``."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return csv_rows(data)
    if suffix == ".xlsx":
        return xlsx_rows(data)
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


def csv_rows(data: bytes) -> Table:
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
        delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Records, not lines: a quoted name may hold a line break, and a spreadsheet
        # shows that record as one row.
        return [(number, list(record)) for number, record in enumerate(reader, 1)]
    except csv.Error as error:
        raise Unreadable(
            N_("is not valid CSV near line %(line)s: %(error)s"),
            line=reader.line_num,
            error=str(error),
        ) from error


def xlsx_rows(data: bytes) -> Table:
    """Every row of the workbook's first sheet, values as Excel last computed them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        OSError,
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
        sheet.reset_dimensions()  # the stored size may be wrong; read every row
        return [
            (number, list(values))
            for number, values in enumerate(
                sheet.iter_rows(min_row=1, values_only=True), 1
            )
        ]
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
