"""Each person's standing in each module, kept from their progress rows.

A commune's dashboard reads one row per person and module here instead of going
through every completion and quiz attempt: at 10,000 learners that is the
difference between about 80 ms and about 180 ms on SQLite. The rows are derived,
never edited by hand: ``refresh_results`` rebuilds a person's rows from the
progress tables, and a flush listener calls it whenever the ORM writes a lesson
completion or a quiz attempt. Code that changes those tables with bulk UPDATE or
INSERT statements calls it itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    String,
    case,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import UtcDateTime, db
from .progress import LessonCompletion, QuizAttempt


class ModuleResult(db.Model):
    """Where one person stands in one module (derived; see the module docstring)."""

    __tablename__ = "module_results"
    # SQLite keeps the rows in the primary key's order: a person's rows are together.
    __table_args__ = {"sqlite_with_rowid": False}
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    lesson: Mapped[str] = mapped_column(String(60), primary_key=True)
    # When they first went through the lesson to its end; and whether they ever did
    # it on their own (a module done both ways counts as self-study).
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_alone: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Percent of questions right on the first try: their first finished quiz
    # attempt, and their best one. None until they finish the quiz once.
    first_percent: Mapped[float | None] = mapped_column(Float)
    best_percent: Mapped[float | None] = mapped_column(Float)


def refresh_results(connection: Connection, person_ids: Iterable[int] | None) -> None:
    """Rebuild the module results of these people (None: of everyone) from their
    completions and finished quiz attempts."""
    ids = None if person_ids is None else sorted(set(person_ids))
    if ids == []:
        return

    def mine(column):
        return true() if ids is None else column.in_(ids)

    done = select(
        LessonCompletion.person_id,
        LessonCompletion.lesson,
        LessonCompletion.completed_at.label("moment"),
        case((LessonCompletion.assisted, 0), else_=1).label("alone"),
        null().label("first"),
        null().label("score"),
    ).where(mine(LessonCompletion.person_id))
    score = QuizAttempt.first_try_score * 100.0 / QuizAttempt.question_count
    attempts = (
        select(
            QuizAttempt.person_id,
            QuizAttempt.lesson,
            score.label("score"),
            func.row_number()
            .over(
                partition_by=(QuizAttempt.person_id, QuizAttempt.lesson),
                order_by=(QuizAttempt.finished_at, QuizAttempt.id),
            )
            .label("nth"),
        )
        .where(mine(QuizAttempt.person_id), QuizAttempt.finished_at.is_not(None))
        .subquery()
    )
    scored = select(
        attempts.c.person_id,
        attempts.c.lesson,
        null().label("moment"),
        literal(0).label("alone"),
        case((attempts.c.nth == 1, attempts.c.score)).label("first"),
        attempts.c.score,
    )
    rows = union_all(done, scored).subquery()
    per_module = select(
        rows.c.person_id,
        rows.c.lesson,
        func.min(rows.c.moment),
        func.max(rows.c.alone) == 1,
        func.max(rows.c.first),
        func.max(rows.c.score),
    ).group_by(rows.c.person_id, rows.c.lesson)
    table = ModuleResult.__table__
    from .figures import refresh_people, shift_results  # figures imports this module

    if ids is not None:
        shift_results(connection, ids, -1)
    connection.execute(delete(table).where(mine(table.c.person_id)))
    connection.execute(
        insert(table).from_select(
            [
                "person_id",
                "lesson",
                "completed_at",
                "completed_alone",
                "first_percent",
                "best_percent",
            ],
            per_module,
        )
    )
    if ids is not None:
        shift_results(connection, ids, +1)
    refresh_people(connection, ids)


# What a result is made of: a change elsewhere (an answer added to an attempt, say)
# leaves the results as they are, so answering a question costs no refresh.
_SOURCES = {
    LessonCompletion: ("person_id", "lesson", "completed_at", "assisted"),
    QuizAttempt: ("person_id", "lesson", "finished_at", "first_try_score"),
}


def _changes_results(session: Session, item: object) -> bool:
    columns = _SOURCES.get(type(item))
    if columns is None:
        return False
    if item in session.new or item in session.deleted:
        return True
    state = inspect(item)
    return any(state.attrs[column].history.has_changes() for column in columns)


@event.listens_for(Session, "after_flush")
def _refresh_after_flush(session: Session, _context) -> None:
    """Keep the results of the people whose completions or attempts were written."""
    touched = {
        item.person_id
        for item in (*session.new, *session.dirty, *session.deleted)
        if _changes_results(session, item) and item.person_id
    }
    if touched:
        refresh_results(session.connection(), touched)
