"""Each commune's figures, kept as progress is written, for the province view.

A province of 1,000,000 learners cannot be counted person by person on every
request (about 50 s on PostgreSQL). So each person carries two flags, ``reached``
(saw a step or finished a quiz) and ``helped`` (did any of it with a helper), and
four small tables hold each commune's sums:

- ``commune_totals``: people registered, reached, and reached with a helper;
- ``commune_results``: per module and best score, the people, their completions
  (of which alone) and the sum of their first-try scores; pass marks live in the
  content, so the rates are worked out when read;
- ``commune_joins`` and ``commune_completions``: people who joined and modules
  completed per Vietnamese calendar day, so a week's trend is a bounded range.

Like module results (results.py) they are derived, never edited by hand, and
kept on write, mostly by delta rather than by recounting a whole commune:

- ``refresh_results`` (every writer of completions and attempts calls it, or its
  flush listener does) takes the people's module results out of their communes'
  sums before rebuilding them and puts them back after (``shift_results``, an
  upsert by delta), then sets their flags and recounts their communes' totals
  from an index;
- a person's first step sets their flags (``mark_reached``), once;
- a person added recounts their commune's totals and joins; a person deleted or
  moved to another commune or role recounts every summary of both communes
  (``refresh_communes``, which with None rebuilds everything, as the migration and
  bulk loads do).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    and_,
    case,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from .base import db
from .people import Commune, Person
from .progress import COUNTED_ROLES, LessonCompletion, QuizAttempt, StepView
from .results import ModuleResult

NO_SCORE = -1.0  # commune_results.best_percent of people who never finished the quiz


def _commune_key() -> Mapped[int]:
    return mapped_column(
        ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True
    )


class CommuneTotals(db.Model):
    """A commune's people: registered, reached, reached with a helper."""

    __tablename__ = "commune_totals"
    commune_id: Mapped[int] = _commune_key()
    registered: Mapped[int] = mapped_column(Integer)
    reached: Mapped[int] = mapped_column(Integer)
    helped: Mapped[int] = mapped_column(Integer)


class CommuneResults(db.Model):
    """A commune's people per module and best score (NO_SCORE: quiz never finished)."""

    __tablename__ = "commune_results"
    commune_id: Mapped[int] = _commune_key()
    lesson: Mapped[str] = mapped_column(String(60), primary_key=True)
    best_percent: Mapped[float] = mapped_column(Float, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    completed_alone: Mapped[int] = mapped_column(Integer)
    first_sum: Mapped[float] = mapped_column(Float)


class CommuneJoins(db.Model):
    """People of a commune who joined on a day."""

    __tablename__ = "commune_joins"
    __table_args__ = (Index("ix_commune_joins_day", "day"),)
    commune_id: Mapped[int] = _commune_key()
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)


class CommuneCompletions(db.Model):
    """Modules first completed on a day by people of a commune."""

    __tablename__ = "commune_completions"
    __table_args__ = (Index("ix_commune_completions_day", "day"),)
    commune_id: Mapped[int] = _commune_key()
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    lesson: Mapped[str] = mapped_column(String(60), primary_key=True)
    completions: Mapped[int] = mapped_column(Integer)


SUMMARIES = (CommuneTotals, CommuneResults, CommuneJoins, CommuneCompletions)


def local_day(column: ColumnElement, dialect: str) -> ColumnElement:
    """SQL for the Vietnamese calendar day (UTC+7) of a UTC timestamp column."""
    if dialect == "postgresql":
        return func.date(func.timezone("Asia/Ho_Chi_Minh", column))
    return func.date(column, "+7 hours")


def _did(model, *conditions) -> ColumnElement:
    return exists().where(model.person_id == Person.id, *conditions)


def reached_and_helped() -> tuple[ColumnElement, ColumnElement]:
    """SQL on Person: saw a step or finished a quiz; did any of it with a helper.
    The flags keep these (refresh_flags), and every report reads the flags."""
    finished = QuizAttempt.finished_at.is_not(None)
    reached = or_(_did(StepView), _did(QuizAttempt, finished))
    helped = or_(
        _did(StepView, StepView.assisted),
        _did(LessonCompletion, LessonCompletion.assisted),
        _did(QuizAttempt, finished, QuizAttempt.assisted),
    )
    return reached, helped


def refresh_flags(connection: Connection, person_ids: Iterable[int] | None) -> None:
    """Set ``reached`` and ``helped`` of these people (None: everyone) from their
    progress."""
    reached, helped = reached_and_helped()
    mine = true() if person_ids is None else Person.id.in_(sorted(set(person_ids)))
    connection.execute(
        update(Person.__table__).where(mine).values(reached=reached, helped=helped)
    )


def mark_reached(connection: Connection, person_id: int, assisted: bool) -> None:
    """After a new step view: flag the person reached (and helped), recounting their
    commune only when a flag changed, so later steps cost one statement."""
    changed = connection.execute(
        update(Person.__table__)
        .where(
            Person.id == person_id,
            or_(Person.reached.is_(False), and_(literal(assisted), ~Person.helped)),
        )
        .values(reached=True, helped=or_(Person.helped, literal(assisted)))
        .returning(Person.commune_id)
    ).first()
    if changed is not None:
        refresh_communes(connection, [changed.commune_id], [CommuneTotals])


def communes_of(connection: Connection, person_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    query = select(Person.commune_id).where(Person.id.in_(ids)).distinct()
    return set(connection.scalars(query))


def _lock(connection: Connection, commune_ids: list[int]) -> None:
    """On PostgreSQL, writers of one commune's summaries take turns, so a recount
    never inserts a duplicate of rows another has just written. NO KEY UPDATE leaves
    the key-share locks of foreign keys (a person added) unblocked."""
    if connection.dialect.name == "postgresql" and commune_ids:
        lock = (
            select(Commune.id).where(Commune.id.in_(commune_ids)).order_by(Commune.id)
        )
        connection.execute(lock.with_for_update(key_share=True))


def _totals(who, dialect: str):
    return (
        select(
            Person.commune_id,
            func.count(),
            func.sum(case((Person.reached, 1), else_=0)),
            func.sum(case((and_(Person.reached, Person.helped), 1), else_=0)),
        )
        .where(who)
        .group_by(Person.commune_id)
    )


def _joins(who, dialect: str):
    joined = local_day(Person.created_at, dialect)
    query = select(Person.commune_id, joined, func.count()).where(who)
    return query.group_by(Person.commune_id, joined)


def _of_results(who, *columns):
    return (
        select(*columns)
        .select_from(ModuleResult)
        .join(Person, Person.id == ModuleResult.person_id)
        .where(who)
    )


def _results(who, dialect: str, sign: int = 1):
    result = ModuleResult
    best = func.coalesce(result.best_percent, NO_SCORE)
    done = result.completed_at.is_not(None)
    alone = func.sum(case((and_(done, result.completed_alone), 1), else_=0))
    first = func.coalesce(func.sum(result.first_percent), 0.0)
    return _of_results(
        who,
        Person.commune_id,
        result.lesson,
        best,
        func.count() * sign,
        func.count(result.completed_at) * sign,
        alone * sign,
        first * sign,
    ).group_by(Person.commune_id, result.lesson, best)


def _completions(who, dialect: str, sign: int = 1):
    day = local_day(ModuleResult.completed_at, dialect)
    columns = (Person.commune_id, day, ModuleResult.lesson, func.count() * sign)
    return (
        _of_results(who, *columns)
        .where(ModuleResult.completed_at.is_not(None))
        .group_by(Person.commune_id, day, ModuleResult.lesson)
    )


QUERIES = {
    CommuneTotals: _totals,
    CommuneJoins: _joins,
    CommuneResults: _results,
    CommuneCompletions: _completions,
}


def refresh_communes(
    connection: Connection,
    commune_ids: Iterable[int] | None,
    summaries: Iterable = SUMMARIES,
) -> None:
    """Recount these summaries of these communes (None: of every commune)."""
    ids = None if commune_ids is None else sorted(set(commune_ids))
    if ids == []:
        return
    _lock(connection, ids or [])
    mine = true() if ids is None else Person.commune_id.in_(ids)
    counted = and_(mine, Person.role.in_(COUNTED_ROLES))
    for summary in summaries:
        gone = true() if ids is None else summary.commune_id.in_(ids)
        connection.execute(delete(summary).where(gone))
        columns = [column.name for column in summary.__table__.columns]
        query = QUERIES[summary](counted, connection.dialect.name)
        connection.execute(insert(summary).from_select(columns, query))


def shift_results(connection: Connection, person_ids: list[int], sign: int) -> None:
    """Take these people's module results out of their communes' sums (sign -1,
    before they are rebuilt) or put them back in (+1, after): a write costs the
    same in a commune of 10,000 as of 100."""
    dialect = connection.dialect.name
    _lock(connection, sorted(communes_of(connection, person_ids)))
    mine = and_(Person.id.in_(person_ids), Person.role.in_(COUNTED_ROLES))
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    for summary, query in (
        (CommuneResults, _results),
        (CommuneCompletions, _completions),
    ):
        table = summary.__table__
        keys = [column.name for column in table.primary_key]
        counts = [column.name for column in table.columns if column.name not in keys]
        statement = upsert(table).from_select(keys + counts, query(mine, dialect, sign))
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=keys,
                set_={
                    name: table.c[name] + statement.excluded[name] for name in counts
                },
            )
        )


def refresh_people(connection: Connection, person_ids: Iterable[int] | None) -> None:
    """After these people's progress changed (None: anyone's): their flags, then
    their communes' totals (None: every summary of every commune)."""
    refresh_flags(connection, person_ids)
    if person_ids is None:
        refresh_communes(connection, None)
    else:
        communes = communes_of(connection, person_ids)
        refresh_communes(connection, communes, [CommuneTotals])


def _communes_changed(session: Session) -> tuple[set[int], set[int]]:
    """The communes people joined (added), and those of people moved to another
    commune or role."""
    joined: set[int] = set()
    moved: set[int] = set()
    for item in (*session.new, *session.dirty):
        if not isinstance(item, Person):
            continue
        if item in session.new:
            joined.add(item.commune_id)
            continue
        state = inspect(item)
        if any(
            state.attrs[name].history.has_changes() for name in ("commune_id", "role")
        ):
            history = state.attrs.commune_id.history
            moved.update((*history.deleted, *history.added, *history.unchanged))
    return joined, moved


@event.listens_for(Session, "before_flush")
def _note_deleted_people(session: Session, _context, _instances) -> None:
    """The communes of people about to be deleted (gone from the database after)."""
    leaving = {item.commune_id for item in session.deleted if isinstance(item, Person)}
    if leaving:
        session.info.setdefault("recount_communes", set()).update(leaving)


@event.listens_for(Session, "after_flush")
def _recount_after_flush(session: Session, _context) -> None:
    """People added (no progress yet: their totals and joins), deleted or moved
    (everything), or step views written through the ORM (the app writes them with
    mark_reached; tests may not): recount those communes."""
    connection = session.connection()
    joined, moved = _communes_changed(session)
    moved |= session.info.pop("recount_communes", set())
    viewers = {
        item.person_id
        for item in (*session.new, *session.deleted)
        if isinstance(item, StepView) and item.person_id
    }
    if viewers:
        refresh_flags(connection, viewers)
    for communes, summaries in (
        (moved, SUMMARIES),
        (joined - moved, [CommuneTotals, CommuneJoins]),
        (communes_of(connection, viewers) - moved - joined, [CommuneTotals]),
    ):
        communes.discard(None)
        if communes:
            refresh_communes(connection, communes, summaries)
