"""Import learners (a course session's participants) from a CSV or XLSX file.

Three steps, so a preview can be shown before anything is saved:

- ``read_learners(name, data)`` reads and checks the file: ``(rows, problems)``;
- ``plan_import(rows, ...)`` matches the rows with the database: who is new, who is
  already registered, who is already in the session, who is repeated in the file;
- ``save_import(plan, ...)`` adds the people and participants to the current
  session (the caller commits). Nothing is saved if there is any problem.

A likely duplicate is the same name (accents, case and spaces aside), the same year
of birth and the same commune: that person is reused, never registered twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .names import fold
from .spreadsheets import (
    N_,
    Message,
    Problem,
    Table,
    Unreadable,
    cell_text,
    find_columns,
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
TEMPLATE_EXAMPLE = ("Nguyễn Văn Mẫu (ví dụ, xoá dòng này)", "1950", "0900000000", "")
NAME_MAX = 120  # models.Person.name is String(120)
CODE_MAX = 20
OLDEST = 1900
MAX_ROWS = 2000  # a commune's list at most; the preview carries every row
_PHONE = re.compile(r"\+?[0-9]{8,15}")
_PHONE_SEPARATORS = " .-()"


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
        table = read_table(name, data)
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
    digits = "".join(ch for ch in text.strip() if ch not in _PHONE_SEPARATORS)
    if not digits:
        return None
    if not _PHONE.fullmatch(digits):
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


# --- Matching with the database ----------------------------------------------------------

NEW, EXISTING, IN_SESSION, REPEAT = "new", "existing", "in_session", "repeat"


@dataclass
class Entry:
    """What will happen to one row."""

    row: LearnerRow
    commune_id: int | None = None
    status: str = NEW
    person_id: int | None = None  # the person already registered (existing, in session)
    first_row: int | None = None  # a repeat: the row it repeats


@dataclass
class Plan:
    """What importing the rows would do, and the problems that stop it."""

    file: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    commune_names: dict[int, str] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(entry.status == status for entry in self.entries)

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def existing(self) -> int:
        return self.count(EXISTING)

    @property
    def in_session(self) -> int:
        return self.count(IN_SESSION)

    @property
    def repeats(self) -> int:
        return self.count(REPEAT)

    @property
    def to_add(self) -> int:
        """People that saving adds to the session (or registers, without one)."""
        return self.new + self.existing


def plan_import(
    file: str,
    rows: list[LearnerRow],
    *,
    importer=None,
    session=None,
    commune=None,
) -> Plan:
    """Match ``rows`` with the database, changing nothing.

    ``session``: the course session they join (its commune is the default commune);
    ``commune``: the commune of rows without a commune code (the session's if not
    given); ``importer``: the person importing, who must act in every commune named
    (None: the command line, which may use any commune).
    """
    from sqlalchemy import select

    from models import Commune, Participant, Person, db

    from .access import can_act_on

    plan = Plan(file)
    default = commune or (session.commune if session is not None else None)
    codes = {row.commune_code for row in rows if row.commune_code}
    found = {
        c.code: c
        for c in db.session.scalars(select(Commune).where(Commune.code.in_(codes)))
    }
    if default is not None:
        plan.commune_names[default.id] = default.name
    for row in rows:
        entry = Entry(row)
        plan.entries.append(entry)
        code = row.commune_code
        if code is None:
            if default is None:
                plan.problems.append(
                    Problem(
                        file,
                        Message(
                            N_(
                                "is empty: give the commune code, or import with --commune"
                            )
                        ),
                        row.row,
                        row.header("commune_code"),
                    )
                )
                continue
            entry.commune_id = default.id
            continue
        target = found.get(code)
        if target is None:
            message = Message(N_('no commune has the code "%(code)s"'), {"code": code})
        elif importer is not None and not can_act_on(importer, target):
            message = Message(
                N_('"%(code)s" (%(commune)s) is not one of your communes'),
                {"code": code, "commune": target.name},
            )
        else:
            entry.commune_id = target.id
            plan.commune_names[target.id] = target.name
            continue
        plan.problems.append(
            Problem(file, message, row.row, row.header("commune_code"))
        )

    # Who is already registered: learners of those communes, born those years.
    communes = {entry.commune_id for entry in plan.entries if entry.commune_id}
    years = {entry.row.birth_year for entry in plan.entries}
    registered: dict[tuple, int] = {}
    if communes:
        query = (
            select(Person.id, Person.name, Person.birth_year, Person.commune_id)
            .where(
                Person.role == "learner",
                Person.commune_id.in_(communes),
                Person.birth_year.in_(years),
            )
            .order_by(Person.id)
        )
        for person_id, name, year, commune_id in db.session.execute(query):
            registered.setdefault((fold(name), year, commune_id), person_id)
    already: set[int] = set()
    if session is not None and session.id is not None:
        query = select(Participant.person_id).where(
            Participant.session_id == session.id
        )
        already = set(db.session.scalars(query))

    first: dict[tuple, int] = {}
    for entry in plan.entries:
        if entry.commune_id is None:
            continue
        key = (fold(entry.row.name), entry.row.birth_year, entry.commune_id)
        if key in first:
            entry.status, entry.first_row = REPEAT, first[key]
            continue
        first[key] = entry.row.row
        entry.person_id = registered.get(key)
        if entry.person_id is None:
            entry.status = NEW
        elif entry.person_id in already:
            entry.status = IN_SESSION
        else:
            entry.status = EXISTING
    return plan


def save_import(plan: Plan, *, session=None, consent_at: datetime) -> None:
    """Register the new people and add them and the existing ones to ``session``.

    Only for a plan without problems. The caller commits (or rolls back).
    """
    from models import Participant, Person, db

    if plan.problems:
        raise ValueError("a plan with problems is not saved")
    for entry in plan.entries:
        if entry.status == NEW:
            row = entry.row
            person = Person.new_learner(
                row.name, row.birth_year, entry.commune_id, row.phone, consent_at
            )
            entry.person_id = person.id
        if session is not None and entry.status in (NEW, EXISTING):
            db.session.add(
                Participant(session_id=session.id, person_id=entry.person_id)
            )
    db.session.flush()


# --- Saying what happens (the command line) ---------------------------------------------


def preview_lines(plan: Plan, with_session: bool) -> list[str]:
    """One line per row: FILE: row N: what happens: name (year)."""
    what = {
        NEW: "new learner",
        EXISTING: "already registered, added" if with_session else "already registered",
        IN_SESSION: "already in the session",
    }
    lines = []
    for entry in plan.entries:
        if entry.status == REPEAT:
            happens = f"repeats row {entry.first_row}, counted once"
        else:
            happens = what[entry.status]
        row = entry.row
        lines.append(
            f"{plan.file}: row {row.row}: {happens}: {row.name} ({row.birth_year})"
        )
    return lines


def summary_line(plan: Plan, with_session: bool) -> str:
    if with_session:
        return (
            f"{plan.new} new learners, {plan.existing} existing learners added, "
            f"{plan.in_session} already in the session."
        )
    return f"{plan.new} new learners, {plan.existing} already registered."
