"""The tables. Content (lessons, questions) lives in files: rows point at it by slug and number."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    delete,
    false,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

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


class Province(db.Model):
    """A province or centrally-run city (34 since 1 July 2025)."""

    __tablename__ = "provinces"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    communes: Mapped[list[Commune]] = relationship(back_populates="province")


class Commune(db.Model):
    """A commune, ward or special zone: the lower of the two tiers."""

    __tablename__ = "communes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)
    province: Mapped[Province] = relationship(back_populates="communes")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.name}"


ROLES = ("learner", "helper", "trainer", "admin")

person_communes = Table(
    "person_communes",
    Base.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "commune_id", ForeignKey("communes.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Person(UserMixin, db.Model):
    """Someone who learns, helps, trains or administers. Minimal personal data.

    Learners have no password. Helpers, trainers and admins sign in with a phone
    number or an email and a password; ``communes`` are the further communes they
    act in besides their own.
    """

    __tablename__ = "people"
    __table_args__ = (
        Index(
            "uq_people_phone_sign_in",
            "phone",
            unique=True,
            sqlite_where=text("password_hash IS NOT NULL"),
            postgresql_where=text("password_hash IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    birth_year: Mapped[int] = mapped_column(Integer)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(
        String(10), default="learner", server_default="learner"
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))  # optional 4-6 digit PIN
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    commune: Mapped[Commune] = relationship()
    communes: Mapped[list[Commune]] = relationship(secondary=person_communes)

    def set_password(self, password: str) -> None:
        """Keep only a salted hash (scrypt, werkzeug's current default)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(
            self.password_hash, password
        )

    def has_role(self, role: str) -> bool:
        """True if this person's role is ``role`` or above it (admin > trainer > helper)."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def commune_ids(self) -> set[int]:
        """The communes this person may act in."""
        return {self.commune_id} | {commune.id for commune in self.communes}

    def acts_in(self, commune_id: int) -> bool:
        """May this person act on people of ``commune_id``? (Admins: everywhere.)"""
        return self.role == "admin" or commune_id in self.commune_ids()

    def see_step(self, lesson: str, step: int, helper: Person | None = None) -> None:
        """Record that this person saw a step, alone or with ``helper`` beside them (once
        each way; seeing it again changes nothing)."""
        assisted = helper is not None
        seen = select(StepView.id).where(
            StepView.person_id == self.id,
            StepView.lesson == lesson,
            StepView.step == step,
            StepView.assisted == assisted,
        )
        if (
            db.session.scalar(seen) is None
        ):  # a read, so a step seen again writes nothing
            values = {"lesson": lesson, "step": step, "seen_at": utcnow()}
            insert_once(StepView, person_id=self.id, **values, **_assist(helper))

    def complete_lesson(self, lesson: str, helper: Person | None = None) -> None:
        """Record that this person went through a lesson to its end (once each way)."""
        values = {"lesson": lesson, "completed_at": utcnow()}
        insert_once(LessonCompletion, person_id=self.id, **values, **_assist(helper))

    def steps_seen(self, lesson: str) -> set[int]:
        query = select(StepView.step).where(
            StepView.person_id == self.id, StepView.lesson == lesson
        )
        return set(db.session.scalars(query))

    def has_completed(self, lesson: str) -> bool:
        query = select(LessonCompletion.id).where(
            LessonCompletion.person_id == self.id, LessonCompletion.lesson == lesson
        )
        return db.session.scalar(query) is not None

    def open_attempt(self, lesson: str, assisted: bool = False) -> QuizAttempt | None:
        """The unfinished quiz attempt on ``lesson``, started the same way (with a helper
        or alone), so assisted and self-study answers never mix."""
        query = (
            select(QuizAttempt)
            .where(
                QuizAttempt.person_id == self.id,
                QuizAttempt.lesson == lesson,
                QuizAttempt.finished_at.is_(None),
                QuizAttempt.assisted == assisted,
            )
            .order_by(QuizAttempt.id.desc())
        )
        return db.session.scalars(query).first()

    def finished_attempts(self, lesson: str) -> list[QuizAttempt]:
        query = (
            select(QuizAttempt)
            .where(
                QuizAttempt.person_id == self.id,
                QuizAttempt.lesson == lesson,
                QuizAttempt.finished_at.is_not(None),
            )
            .order_by(QuizAttempt.id)
        )
        return list(db.session.scalars(query))


class StepView(db.Model):
    """A lesson step a person has seen."""

    __tablename__ = "step_views"
    __table_args__ = (UniqueConstraint("person_id", "lesson", "step", "assisted"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    # Done with a helper beside the learner (who, if they still exist), or alone.
    assisted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    step: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LessonCompletion(db.Model):
    """A person went through every screen of a lesson to the end."""

    __tablename__ = "lesson_completions"
    __table_args__ = (UniqueConstraint("person_id", "lesson", "assisted"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(60))
    # Done with a helper beside the learner (who, if they still exist), or alone.
    assisted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )


class QuizAttempt(db.Model):
    """One go through a lesson's quiz, from the first question to the result."""

    __tablename__ = "quiz_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    lesson: Mapped[str] = mapped_column(String(60))
    # Done with a helper beside the learner (who, if they still exist), or alone.
    assisted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    assisted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(5))
    question_count: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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
        answer = Answer(
            attempt=self,
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
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(80))
    try_number: Mapped[int] = mapped_column(Integer)
    response: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class LearnerCard(db.Model):
    """A learner's card: a QR code (a long secret in a link) and a short typed code.

    Only hashes are kept, like passwords; reprinting issues a new card and revokes the
    old one, so a lost card stops working.
    """

    __tablename__ = "learner_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    person: Mapped[Person] = relationship(foreign_keys="LearnerCard.person_id")


class AssistSession(db.Model):
    """A helper sitting beside a learner: what the learner does meanwhile is assisted."""

    __tablename__ = "assist_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    helper_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    helper: Mapped[Person] = relationship(foreign_keys="AssistSession.helper_id")
    learner: Mapped[Person] = relationship(foreign_keys="AssistSession.learner_id")


class SignInAttempt(db.Model):
    """A failed sign-in, kept a short while so every server worker counts the same tries.

    ``key`` is ``account:<login>`` or ``address:<ip>``; the password is never stored.
    """

    __tablename__ = "sign_in_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    @classmethod
    def recent(cls, key: str, since: datetime) -> int:
        """How many failures ``key`` had since ``since``."""
        query = select(func.count(cls.id)).where(
            cls.key == key, cls.attempted_at >= since
        )
        return db.session.scalar(query) or 0

    @classmethod
    def record(cls, keys: list[str], forget_before: datetime) -> None:
        """Count a failure for each key, and forget failures older than the window."""
        db.session.execute(delete(cls).where(cls.attempted_at < forget_before))
        db.session.add_all(cls(key=key) for key in keys)

    @classmethod
    def clear(cls, key: str) -> None:
        db.session.execute(delete(cls).where(cls.key == key))


def _assist(helper: Person | None) -> dict[str, object]:
    return {
        "assisted": helper is not None,
        "assisted_by_id": helper.id if helper else None,
    }


def insert_once(model: type[db.Model], **values: object) -> None:
    """INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(model).values(**values).on_conflict_do_nothing())


__all__ = [
    "Answer",
    "AssistSession",
    "LearnerCard",
    "Base",
    "Commune",
    "LessonCompletion",
    "Person",
    "Province",
    "ROLES",
    "SignInAttempt",
    "QuizAttempt",
    "StepView",
    "db",
    "insert_once",
    "utcnow",
]
