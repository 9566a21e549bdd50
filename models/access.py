"""Getting in: learner cards, helper sessions, signed-in browsers and counted sign-in
failures."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ForeignKey,
    String,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import UtcDateTime, db, utcnow

if TYPE_CHECKING:
    from .people import Person


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
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
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
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    helper: Mapped[Person] = relationship(foreign_keys="AssistSession.helper_id")
    learner: Mapped[Person] = relationship(foreign_keys="AssistSession.learner_id")


# Keys counted over a day rather than the sign-in window: learners registering
# themselves (services/self_registration.py). Each kind forgets only its own old rows.
DAILY = "day:"


class SignInAttempt(db.Model):
    """A failed sign-in, kept a short while so every server worker counts the same tries.

    ``key`` is ``account:<login>`` or ``address:<ip>``; the password is never stored.
    Keys starting with ``DAILY`` count learners registered (not failures), kept a day.
    """

    __tablename__ = "sign_in_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    attempted_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utcnow, index=True
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
        """Count one for each key (all of one kind: ``DAILY`` or not), and forget the
        counts of that kind older than ``forget_before``."""
        daily = cls.key.startswith(DAILY, autoescape=True)
        kind = daily if keys and keys[0].startswith(DAILY) else ~daily
        db.session.execute(delete(cls).where(cls.attempted_at < forget_before, kind))
        db.session.add_all(cls(key=key) for key in keys)

    @classmethod
    def clear(cls, key: str) -> None:
        db.session.execute(delete(cls).where(cls.key == key))


class SignIn(db.Model):
    """One browser signed in as a person, until it signs out or ``expires_at``.

    The browser holds a random token (in its session and remember cookies); only its
    SHA-256 is kept. Deleting the row signs that browser out for good: sign-out deletes
    its own row, "sign out everywhere" and a new password delete the person's rows, and
    a card replaced deletes the rows that card opened (``card_id``).
    """

    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("learner_cards.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Moved forward at most once a day, by the first page of that day.
    renewed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
