"""Drills: the spaced review after a module's quiz is passed (issue 14).

``DrillSchedule`` says what a person's next drill on a module is and when it is due;
``DrillAttempt`` is one drill taken (its items fixed when it starts); ``DrillAnswer``
is one answer, stored once per attempt and item. The rules that move a schedule on
are pure functions in services/drills/schedule.py.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UtcDateTime, db, utcnow
from .people import Person
from .progress import Assisted

IDS = JSON().with_variant(JSONB, "postgresql")


class DrillSchedule(db.Model):
    """One person's drills on one module: the stage of the next drill and its due
    date (None once the three stages are done)."""

    __tablename__ = "drill_schedules"
    __table_args__ = (
        UniqueConstraint("person_id", "lesson"),
        # The due list and the due counts: one range of this index per commune.
        Index("ix_drill_schedules_commune_due", "commune_id", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # Copied from the person when the schedule is written (as answers do), so the
    # due list of a commune is one index range, not a join over its people.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    lesson: Mapped[str] = mapped_column(String(60))
    passed_on: Mapped[date] = mapped_column(Date)  # the quiz was first passed
    stage: Mapped[int] = mapped_column(Integer, default=1)  # 1, 2, 3; 4: done
    catch_up: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # the next drill comes sooner, after a wrong answer, at the same stage
    due_on: Mapped[date | None] = mapped_column(Date)
    seen: Mapped[list[str]] = mapped_column(IDS, default=list)  # this round of the bank
    wrong: Mapped[list[str]] = mapped_column(IDS, default=list)  # in the last drill
    person: Mapped[Person] = relationship()


class DrillAttempt(Assisted, db.Model):
    """One drill taken, alone or with a helper; its items are chosen at the start."""

    __tablename__ = "drill_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    lesson: Mapped[str] = mapped_column(String(60))
    stage: Mapped[int] = mapped_column(Integer)
    catch_up: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    language: Mapped[str] = mapped_column(String(5))
    items: Mapped[list[str]] = mapped_column(IDS)
    # The "Start" form's one-time token: the same form sent twice finds this attempt.
    start_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    right: Mapped[int | None] = mapped_column(Integer)  # items right, when finished
    person: Mapped[Person] = relationship(foreign_keys="DrillAttempt.person_id")
    answers: Mapped[list[DrillAnswer]] = relationship(
        back_populates="attempt",
        order_by="DrillAnswer.id",
        cascade="all, delete-orphan",
    )

    def answer_to(self, item_id: str) -> DrillAnswer | None:
        return next((a for a in self.answers if a.item_id == item_id), None)


class DrillAnswer(db.Model):
    """One drill item answered: the first answer is the one kept (right on the first
    try or not); the same form sent twice is stored once."""

    __tablename__ = "drill_answers"
    __table_args__ = (
        UniqueConstraint("attempt_id", "item_id"),
        # Retention: a commune's scheduled drills' answers, per module and stage.
        Index(
            "ix_drill_answers_retention",
            "commune_id",
            "catch_up",
            "lesson",
            "stage",
            "correct",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("drill_attempts.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(80))
    # Copied from the attempt and its person (None for trainers and admins: they
    # do not count), so retention is read from one index.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    lesson: Mapped[str] = mapped_column(String(60))
    stage: Mapped[int] = mapped_column(Integer)
    catch_up: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    correct: Mapped[bool] = mapped_column(Boolean)
    response: Mapped[list[str]] = mapped_column(IDS)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    attempt: Mapped[DrillAttempt] = relationship(back_populates="answers")
