"""Accounts: the login a person signs in with, and failed tries counted per account
and per address. The counts live in the database, so every server worker shares
them; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, or_, select

from models import Person, SignInAttempt, db, utcnow

from .phones import normalise_phone


def normalise_login(text: str) -> str:
    """Emails compare in lower case; phone numbers without spaces, dots or dashes."""
    text = text.strip()
    if "@" in text:
        return text.lower()
    return normalise_phone(text)


def find_account(login: str) -> Person | None:
    """The person who may sign in with this (normalised) phone number or email."""
    query = select(Person).where(
        Person.password_hash.is_not(None),
        or_(func.lower(Person.email) == login, Person.phone == login),
    )
    return db.session.scalars(query).first()


def record_failed_tries(keys: Iterable[str]) -> None:
    """Count one failed try for each key; tries older than the window are forgotten."""
    window = current_app.config["SIGN_IN_WINDOW"]
    SignInAttempt.record(list(keys), forget_before=utcnow() - window)


def too_many_tries(keys: dict[str, int]) -> bool:
    """Whether any key has reached its limit of failed tries within the window."""
    since = utcnow() - current_app.config["SIGN_IN_WINDOW"]
    return any(SignInAttempt.recent(key, since) >= limit for key, limit in keys.items())


def window_minutes() -> int:
    """How long a blocked account or address waits, in whole minutes."""
    return int(current_app.config["SIGN_IN_WINDOW"].total_seconds() // 60)
