"""Where people are (provinces, communes) and who they are (Person, roles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    exists,
    false,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from .base import Base, UtcDateTime, db, insert_once, utcnow
from .progress import COUNTED_ROLES, Answer, LessonCompletion, QuizAttempt, StepView
from .results import refresh_results


class Province(db.Model):
    """A province or centrally-run city (34 since 1 July 2025)."""

    __tablename__ = "provinces"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    communes: Mapped[list[Commune]] = relationship(back_populates="province")


class Commune(db.Model):
    """A commune, ward or special zone: the lower of the two tiers.

    ``search_name`` is the name folded (lower case, no accents), so the commune picker
    finds "Nam Sách" from "nam sa" within a province by one index; the communes import
    and the demo data keep it (services/communes.py).
    """

    __tablename__ = "communes"
    __table_args__ = (
        Index("ix_communes_province_id_search_name", "province_id", "search_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str | None] = mapped_column(String(120))
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
        # A commune's totals are counted from this index alone (models/figures.py).
        Index("ix_people_commune_counted", "commune_id", "role", "reached", "helped"),
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
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Derived from their progress (models/figures.py): saw a step or finished a quiz;
    # did any of it with a helper.
    reached: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    helped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    commune: Mapped[Commune] = relationship()
    communes: Mapped[list[Commune]] = relationship(secondary=person_communes)

    @classmethod
    def find(cls, person_id: int) -> Person | None:
        """The person with this id, or None: the lookup every request makes for whoever
        is learning or signed in (one statement built once; ``db.session.get`` builds
        its query again on each call, a third of the time it takes)."""
        return db.session.scalars(_BY_ID, {"person_id": person_id}).first()

    @classmethod
    def new_learner(
        cls,
        name: str,
        birth_year: int,
        commune_id: int,
        phone: str | None,
        consent_at: datetime,
    ) -> Person:
        """A learner registered with their consent, added to the session (the caller
        commits); runs of spaces in the name become one."""
        learner = cls(
            name=" ".join(name.split()),
            birth_year=birth_year,
            commune_id=commune_id,
            phone=phone,
            role="learner",
            consent_at=consent_at,
        )
        db.session.add(learner)
        db.session.flush()
        return learner

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the session and the remember cookie: the token of
        this browser's sign-in (services/sign_ins.py), never the person's id, so a
        copied cookie dies with its sign-in."""
        return getattr(self, "sign_in_token", None)

    def set_password(self, password: str) -> None:
        """Keep only a salted hash (by PASSWORD_HASH_METHOD: scrypt but in tests)."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method)

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

    def file_answers(self) -> None:
        """Count this person's answers in their commune now (after their commune or
        role changed, or their progress moved to them); see Answer.commune_id."""
        counted = self.role in COUNTED_ROLES
        mine = select(QuizAttempt.id).where(QuizAttempt.person_id == self.id)
        db.session.execute(
            update(Answer)
            .where(Answer.attempt_id.in_(mine))
            .values(commune_id=self.commune_id if counted else None)
        )

    def see_step(self, lesson: str, step: int, helper: Person | None = None) -> None:
        """Record that this person saw a step, alone or with ``helper`` beside them (once
        each way; seeing it again changes nothing). One statement, seen before or not,
        and one more the first time a person is reached (or first helped)."""
        assisted = helper is not None
        if record_step_view(
            self.id, lesson, step, helper, reached=self.reached, helped=self.helped
        ):
            # The flags as loaded: a person reached already costs no statement more.
            set_committed_value(self, "reached", True)
            set_committed_value(self, "helped", self.helped or assisted)

    def complete_lesson(self, lesson: str, helper: Person | None = None) -> None:
        """Record that this person went through a lesson to its end (once each way)."""
        values = {"lesson": lesson, "completed_at": utcnow()}
        if insert_once(
            LessonCompletion, person_id=self.id, **values, **_assist(helper)
        ):
            refresh_results(db.session.connection(), [self.id])

    def steps_seen(self, lesson: str) -> set[int]:
        query = select(StepView.step).where(
            StepView.person_id == self.id, StepView.lesson == lesson
        )
        return set(db.session.scalars(query))

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


_BY_ID = select(Person).where(Person.id == bindparam("person_id"))


def record_step_view(
    person_id: int,
    lesson: str,
    step: int,
    helper: Person | None,
    *,
    reached: bool,
    helped: bool,
) -> bool:
    """Record a step view (once each way) and, if it is new, the person's reached and
    helped flags where they change; True if the view is new."""
    assisted = helper is not None
    values = {"lesson": lesson, "step": step, "seen_at": utcnow()}
    new = insert_once(StepView, person_id=person_id, **values, **_assist(helper))
    if new and (not reached or (assisted and not helped)):
        from .figures import mark_reached  # figures imports this module

        mark_reached(db.session.connection(), person_id, assisted)
    return new


@dataclass(frozen=True)
class GuestAtStep:
    """A learner remembered in this browser without signing in, as a lesson step needs
    them: their name, and whether they have seen this step alone already, read in one
    statement with no ORM object. A step seen before then costs no write at all, a
    first view one INSERT (the step page's hot path: see views/learn.py)."""

    id: int
    name: str
    reached: bool
    seen: bool

    @classmethod
    def find(cls, person_id: int, lesson: str, step: int) -> GuestAtStep | None:
        values = {"person_id": person_id, "lesson": lesson, "step": step}
        # A connection of its own: the ORM session's setup and tear-down cost as much
        # as the statement, and this request may need no ORM at all.
        with db.engine.connect() as connection:
            row = connection.execute(_GUEST_AT_STEP, values).first()
        return None if row is None else cls(*row)

    def see(self, lesson: str, step: int) -> None:
        """Record this first view (alone: a guest has no helper beside them)."""
        record_step_view(
            self.id, lesson, step, None, reached=self.reached, helped=False
        )


_GUEST_AT_STEP = select(
    Person.id,
    Person.name,
    Person.reached,
    exists()
    .where(
        StepView.person_id == Person.id,
        StepView.lesson == bindparam("lesson"),
        StepView.step == bindparam("step"),
        StepView.assisted.is_(False),
    )
    .label("seen"),
).where(Person.id == bindparam("person_id"))


def _assist(helper: Person | None) -> dict[str, object]:
    return {
        "assisted": helper is not None,
        "assisted_by_id": helper.id if helper else None,
    }
