"""Trainers' work: course sessions with their participants, and certificates."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UtcDateTime, db, utcnow

if TYPE_CHECKING:
    from .people import Commune, Person

course_session_helpers = Table(
    "course_session_helpers",
    Base.metadata,
    Column(
        "session_id",
        ForeignKey("course_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)


class CourseSession(db.Model):
    """A course held for a commune on one day, in one place, on some modules."""

    __tablename__ = "course_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    # Lesson slugs, in the order they are taught.
    modules: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    commune: Mapped[Commune] = relationship()
    helpers: Mapped[list[Person]] = relationship(
        secondary=course_session_helpers, order_by="Person.name"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class Participant(db.Model):
    """A person registered for a course session, and whether they came."""

    __tablename__ = "course_participants"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("course_sessions.id", ondelete="CASCADE")
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    session: Mapped[CourseSession] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()


class Certificate(db.Model):
    """The verification code of one learner's certificate for one module.

    What the certificate says (date, assisted or self-study) is read from the
    progress rows each time, so it can never disagree with them; only the code,
    which a public page checks, has to be kept.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("person_id", "lesson"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    person: Mapped[Person] = relationship()
