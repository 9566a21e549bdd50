"""The declarative base, the session and small helpers every table module uses."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    MetaData,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    exists,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import Insert
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """Now, in UTC (every time is stored in UTC)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps text without one and hands
    back naive times. The column's DDL is DateTime(timezone=True) on both, unchanged.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Aware times are written in UTC; naive ones are taken to be UTC already."""
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Every time read is aware and in UTC, whichever database answered."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _DoNothing(OnConflictDoNothing):
    """ON CONFLICT DO NOTHING with no target, for SQLite and PostgreSQL (this clause
    carries every attribute SQLite's compiler reads too)."""

    # No target and no arguments: every one is the same, so its class is its key.
    inherit_cache = True
    _traverse_internals = []


class InsertOnce(Insert):
    """INSERT … ON CONFLICT DO NOTHING that SQLAlchemy compiles once and caches.

    The dialects' own inserts with ON CONFLICT opt out of the statement cache, so
    each would be compiled again on every step page (about a third of a millisecond).
    """

    inherit_cache = True
    _post_values_clause = _DoNothing()


def insert_once(model: type[db.Model], **values: object) -> bool:
    """One INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike; True if
    the row is new."""
    statement = _insert_once(model.__table__, tuple(values))
    # RETURNING answers a row only when one was inserted (rowcount is not reliable
    # for ORM-enabled inserts on every driver).
    return db.session.execute(statement, values).first() is not None


@cache
def _insert_once(table: Table, names: tuple[str, ...]) -> InsertOnce:
    """The statement for these columns, built once (building one costs more than
    running it).

    The values are inserted only WHERE NOT EXISTS a row with the same unique key, so
    a row that is already there costs no id: PostgreSQL draws the id before it finds
    the conflict, and a step seen again on every page view would use ids up.
    """
    value = {name: bindparam(name, type_=table.c[name].type) for name in names}
    taken = [
        and_(*(column == value[column.key] for column in constraint.columns))
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
        and all(column.key in value for column in constraint.columns)
    ]
    row = select(*value.values())
    if taken:
        row = row.where(~exists().where(or_(*taken)))
    return InsertOnce(table).from_select(list(names), row).returning(*table.primary_key)


def commit_keeping_loaded() -> None:
    """Commit, keeping what is loaded as it is: the page rendered next reads the rows
    it already has instead of loading each one again (one statement per row)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
