"""The export tables sent upward: per person and per commune, as XLSX or CSV.

Two tables, their columns fixed and documented in docs/exports.md (a test keeps the
two the same): ``people`` ("Người học"), one row per person counted per course
module, and ``modules`` ("Theo xã và bài"), one row per commune per course module.
Headers, module titles and values are in Vietnamese whatever the page's language:
the reports go upward, to people who read them in Vietnamese.

Values keep their type: counts and years are whole numbers, yes/no is 1/0,
percentages are numbers rounded to one decimal (an empty cell when there is nothing
to divide by, never 0), dates are dates (dd/mm/yyyy in XLSX, yyyy-mm-dd in CSV).
The figures are those of reports/dashboard.py (as kept per commune on write,
reports/province.py) and reports/people.py.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from content import Lesson
from models import Commune, Province, db
from services.spreadsheets import defuse

from .dates import VIETNAM
from .drills import retention
from .export_tables import (
    COUNTED_WHO,
    DATE,
    DATE_FORMAT,
    DECIMAL,
    DECIMAL_FORMAT,
    DOCS,
    HOW_NAMES,
    INTRO_TITLE,
    PEOPLE,
    RETENTION_STAGES,
    ROLE_NAMES,
    TABLES,
    TEXT,
    TYPE_NAMES,
    Column,
    Table,
)
from .people import people_figures
from .province import kept_figures

BATCH = 500  # communes per query of the modules table

Row = tuple[object, ...]


def one_decimal(value: float | None) -> float | None:
    """A percentage rounded to one decimal, halves up (66.65 -> 66.7); None stays."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def ascii_text(text: str) -> str:
    """``text`` without accents (Đ as D), for file names."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in bare if not unicodedata.combining(ch))


def flag(value: bool) -> int:
    return 1 if value else 0


def ordered_communes(
    codes: Sequence[str] | None = None, province: str | None = None
) -> list[Commune]:
    """The communes with these codes (every commune if None), or of the province
    with this code, by province code and commune code, with their province loaded."""
    query = (
        select(Commune)
        .join(Province)
        .options(selectinload(Commune.province))
        .order_by(Province.code, Commune.code)
    )
    if codes is not None:
        query = query.where(Commune.code.in_(list(codes)))
    if province is not None:
        query = query.where(Province.code == province)
    return list(db.session.scalars(query))


@dataclass
class Export:
    """One export: which table, of which communes, over which modules, made when."""

    kind: str
    communes: Sequence[Commune]
    lessons: Sequence[Lesson]
    made_at: datetime = field(default_factory=lambda: datetime.now(VIETNAM))
    rows_written: int = 0

    @property
    def table(self) -> Table:
        return TABLES[self.kind]

    def rows(self) -> Iterator[Row]:
        """The table's rows, in column order, communes in the order given."""
        produce = _people_rows if self.kind == PEOPLE else _module_rows
        for row in produce(self.communes, self.lessons):
            self.rows_written += 1
            yield row

    def file_name(self, fmt: str, scope: str | None = None) -> str:
        """``hocso-<scope>-<table>-<date>.<fmt>`` in ASCII; scope: the commune's code
        when there is one commune, else "tat-ca-xa" (every commune) unless given."""
        if scope is None:
            scope = self.communes[0].code if len(self.communes) == 1 else "tat-ca-xa"
        scope = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text(scope)).strip("-") or "xa"
        made = self.made_at.date().isoformat()
        return f"hocso-{scope}-{self.table.file_word}-{made}.{fmt}"


def _people_rows(communes: Sequence[Commune], lessons: Sequence[Lesson]):
    titles = [lesson.text("vi").title for lesson in lessons]
    has_quiz = [bool(lesson.quizzes) for lesson in lessons]
    for commune in communes:  # one commune at a time: memory stays small
        place = (commune.code, commune.name, commune.province.name)
        for person in people_figures([commune.id], lessons):
            who = (person.id, person.name, person.birth_year, ROLE_NAMES[person.role])
            for module, title, quiz in zip(
                person.modules, titles, has_quiz, strict=True
            ):
                yield (
                    *who,
                    *place,
                    module.slug,
                    title,
                    module.steps_seen,
                    module.step_count,
                    flag(module.completed),
                    HOW_NAMES.get(module.how),
                    module.completed_on,
                    flag(module.assisted),
                    module.attempts if quiz else None,
                    module.first_score,
                    module.best_score,
                    module.question_count,
                    flag(module.passed) if quiz else None,
                )


def _module_rows(communes: Sequence[Commune], lessons: Sequence[Lesson]):
    titles = [lesson.text("vi").title for lesson in lessons]
    for start in range(0, len(communes), BATCH):
        batch = communes[start : start + BATCH]
        figures = kept_figures([c.id for c in batch], lessons)
        kept = retention([c.id for c in batch], [lesson.slug for lesson in lessons])
        for commune in batch:
            found = figures[commune.id]
            people = (found.registered, found.reached, found.assisted, found.alone)
            place = (commune.code, commune.name, commune.province.name)
            drills = {row.slug: row for row in kept[commune.id]}
            for module, title in zip(found.modules, titles, strict=True):
                remembered = drills[module.slug]
                yield (
                    *place,
                    *people,
                    module.slug,
                    title,
                    module.completed,
                    module.completed_assisted,
                    module.completed_alone,
                    one_decimal(module.completion_percent),
                    module.quiz_takers,
                    one_decimal(module.first_try_percent),
                    one_decimal(module.best_percent),
                    module.passed,
                    one_decimal(module.pass_percent),
                    *(
                        value
                        for stage, _when in RETENTION_STAGES
                        for value in (
                            remembered.answered[stage],
                            one_decimal(remembered.percent(stage)),
                        )
                    ),
                )


# --- CSV -------------------------------------------------------------------------------

CSV_CHUNK = 500  # rows per piece of a streamed CSV


def _csv_text(value: object, column: Column) -> object:
    if value is None:
        return ""
    if column.type == DATE:
        return value.isoformat()
    if column.type == DECIMAL:
        return f"{value:.1f}"
    if column.type == TEXT:
        return defuse(str(value))
    return value


def csv_chunks(export: Export) -> Iterator[bytes]:
    """The table as CSV: UTF-8 with a byte order mark (so Excel on Windows reads the
    accents), comma-separated, CRLF line ends, the header first; in pieces, so a
    large export streams."""
    columns = export.table.columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.table.headers)
    yield buffer.getvalue().encode("utf-8-sig")
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(export.rows(), start=1):
        writer.writerow([_csv_text(v, c) for v, c in zip(row, columns, strict=True)])
        if number % CSV_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


# --- XLSX ------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
HEADER_HEIGHT = 48  # points: three lines of header


def _xlsx_cell(sheet, value: object, column: Column) -> object:
    if value is None:
        return None
    if column.type == TEXT:
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if column.type == DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if column.type == DECIMAL:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DECIMAL_FORMAT
        return cell
    return value


def _header(sheet, texts: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in texts:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.alignment = BOLD, HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def write_xlsx(export: Export, target: str | IO[bytes]) -> None:
    """The table as an XLSX workbook: the table's sheet (bold, frozen header, one
    column width per column, numbers and dates as such), then a "Giới thiệu" sheet
    saying what it is, when it was made, of which communes, and what each column
    means. Written row by row (openpyxl's write-only mode), so memory stays small."""
    table = export.table
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title)
    for number, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.row_dimensions[1].height = HEADER_HEIGHT
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, table.headers))
    for row in export.rows():
        sheet.append(
            [_xlsx_cell(sheet, v, c) for v, c in zip(row, table.columns, strict=True)]
        )
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{export.rows_written + 1}"
    _intro_sheet(book, export)
    book.save(target)


def intro_lines(export: Export) -> list[tuple[str, object]]:
    """What the "Giới thiệu" sheet says, as (label, text or number) lines."""
    table = export.table
    lines = [
        ("Báo cáo", f"HọcSố: bảng {table.title}"),
        ("Lập lúc", f"{export.made_at:%d/%m/%Y %H:%M} (giờ Việt Nam)"),
        ("Số dòng", export.rows_written),
        ("Số xã", len(export.communes)),
        ("Ai được tính", COUNTED_WHO),
        ("Tài liệu", f"Mỗi cột được giải thích trong {DOCS} của HọcSố."),
        ("", ""),
        ("Các xã", "Mã xã: tên xã, tỉnh/thành phố"),
    ]
    lines += [("", f"{c.code}: {c.name}, {c.province.name}") for c in export.communes]
    lines += [("", ""), ("Cột", "Kiểu: ý nghĩa")]
    lines += [
        (c.header, f"{TYPE_NAMES[c.type][0]}: {c.meaning}") for c in table.columns
    ]
    return lines


def _intro_sheet(book: Workbook, export: Export) -> None:
    sheet = book.create_sheet(INTRO_TITLE)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    for label, value in intro_lines(export):
        first = WriteOnlyCell(sheet, value=label)
        first.font = BOLD
        if isinstance(value, str):
            second = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            second.data_type = "s"  # text, never a formula
        else:
            second = WriteOnlyCell(sheet, value=value)
        second.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([first, second])
