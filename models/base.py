"""The declarative base, the session and small helpers every table module uses."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    MetaData,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase

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
    return datetime.now(UTC)


def insert_once(model: type[db.Model], **values: object) -> bool:
    """INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike; True if the
    row is new."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(model).values(**values).on_conflict_do_nothing()
    # RETURNING answers a row only when one was inserted (rowcount is not reliable
    # for ORM-enabled inserts on every driver).
    inserted = db.session.execute(statement.returning(*model.__table__.primary_key))
    return inserted.first() is not None


def commit_keeping_loaded() -> None:
    """Commit, keeping what is loaded as it is: the page rendered next reads the rows
    it already has instead of loading each one again (one statement per row)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
