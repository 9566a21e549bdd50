"""Matching the rows read with the database (who is new, who is already registered
or in the session, who is repeated in the file), saving a plan, and saying what it
does on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..names import fold
from ..spreadsheets import N_, Message, Problem
from .read import LearnerRow

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

    from ..access import can_act_on

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
