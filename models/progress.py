"""What a person has done: steps seen, lessons completed, quiz attempts and answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
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

if TYPE_CHECKING:
    from .people import Person

# The people whose work a commune's figures count: trainers and admins try lessons out.
COUNTED_ROLES = ("learner", "helper")


class Assisted:
    """Done with a helper beside the learner (who, if they still exist), or alone."""

    assisted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )


class StepView(Assisted, db.Model):
    """A lesson step a person has seen."""

    __tablename__ = "step_views"
    __table_args__ = (
        UniqueConstraint("person_id", "lesson", "step", "assisted"),
        Index("ix_step_views_person_assisted", "person_id", "assisted"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    step: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class LessonCompletion(Assisted, db.Model):
    """A person went through every screen of a lesson to the end."""

    __tablename__ = "lesson_completions"
    __table_args__ = (
        UniqueConstraint("person_id", "lesson", "assisted"),
        # The dashboards read a person's completions from this index alone.
        Index(
            "ix_lesson_completions_person_lesson_done",
            "person_id",
            "lesson",
            "completed_at",
            "assisted",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class QuizAttempt(Assisted, db.Model):
    """One go through a lesson's quiz, from the first question to the result."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        # The dashboards read a person's scores from this index alone.
        Index(
            "ix_quiz_attempts_person_scores",
            "person_id",
            "lesson",
            "finished_at",
            "first_try_score",
            "question_count",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(5))
    question_count: Mapped[int] = mapped_column(Integer)
    # The one-time token of the "Start" form that made it: the same form sent twice
    # (a double tap, a replay) fails on this and leads to this attempt.
    start_token: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    first_try_score: Mapped[int | None] = mapped_column(Integer)
    person: Mapped[Person] = relationship(foreign_keys="QuizAttempt.person_id")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", order_by="Answer.id", cascade="all, delete-orphan"
    )

    def answers_to(self, question_id: str) -> list[Answer]:
        return [answer for answer in self.answers if answer.question_id == question_id]

    def is_settled(self, question_id: str) -> bool:
        """The question was answered right, or the learner asked to see the answer."""
        return any(a.correct or a.revealed for a in self.answers_to(question_id))

    def first_try_right(self, question_id: str) -> bool:
        answers = self.answers_to(question_id)
        return bool(answers) and answers[0].correct

    def record(
        self, question_id: str, response: list[str], correct: bool, token: str
    ) -> Answer:
        """Add an answer. The caller commits; a repeated token fails on the unique constraint."""
        counted = self.person.role in COUNTED_ROLES
        answer = Answer(
            attempt=self,
            lesson=self.lesson,
            commune_id=self.person.commune_id if counted else None,
            question_id=question_id,
            response=response,
            correct=correct,
            try_number=len(self.answers_to(question_id)) + 1,
            token=token,
        )
        db.session.add(answer)
        return answer

    def finish(self, question_ids: list[str]) -> None:
        """Close the attempt and keep its score: questions right on the first try."""
        if self.finished_at is None:
            self.first_try_score = sum(
                self.first_try_right(qid) for qid in question_ids
            )
            self.finished_at = utcnow()


class Answer(db.Model):
    """One answer to one question, with its correctness and when it was given.

    ``token`` comes from the question form: the same form sent twice (a double tap,
    a reload, a resend after a dropped connection) hits the unique constraint and is
    recorded once.
    """

    __tablename__ = "answers"
    __table_args__ = (
        # Difficult questions: a commune's first tries, already in question order.
        Index(
            "ix_answers_first_tries",
            "commune_id",
            "try_number",
            "lesson",
            "question_id",
            "correct",
            "response",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    # Copied from the attempt and its person when answered, so that a commune's
    # figures are read from one index without joining 500,000 rows to two tables.
    # No commune for trainers' and admins' answers: they do not count.
    lesson: Mapped[str] = mapped_column(String(60))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id"))
    question_id: Mapped[str] = mapped_column(String(80))
    try_number: Mapped[int] = mapped_column(Integer)
    # JSONB on PostgreSQL: it can be indexed and grouped, plain JSON cannot.
    response: Mapped[list[str]] = mapped_column(
        JSON().with_variant(JSONB, "postgresql")
    )
    correct: Mapped[bool] = mapped_column(Boolean)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
