"""Signed-in browsers (models.SignIn): started at each sign-in, found by their token on
every request, renewed at most once a day, and ended from the server.

A browser signed in holds a random token of 256 bits in its session cookie and in its
remember cookie; the table keeps only its SHA-256. The Person loaded for a request
carries ``current_sign_in`` (the row) and ``sign_in_token`` (what Flask-Login stores
as the user's id, so the remember cookie differs at every sign-in and dies with its
row). The caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, or_, select

from models import LearnerCard, Person, SignIn, db, utcnow

# A day's pages renew a sign-in once: the first of them moves its end forward.
RENEW_EVERY = timedelta(days=1)


def hash_token(token: str) -> str:
    """The stored form of a sign-in token (256 random bits: a plain SHA-256 is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime(person: Person) -> timedelta:
    """How long a browser stays signed in without being used: long for learners on their
    own phones, shorter for helpers, trainers and admins (see the README, Security)."""
    config = current_app.config
    if person.has_role("helper"):
        return config["SIGN_IN_LIFETIME_STAFF"]
    return config["SIGN_IN_LIFETIME_LEARNER"]


def start(person: Person, card: LearnerCard | None = None) -> str:
    """Sign ``person`` in on one more browser (with ``card``, if a card opened it);
    returns the token the browser keeps. Sign-ins that have expired, anyone's, go."""
    now = utcnow()
    db.session.execute(delete(SignIn).where(SignIn.expires_at <= now))
    token = secrets.token_urlsafe(32)
    row = SignIn(
        token_hash=hash_token(token),
        person_id=person.id,
        card_id=card.id if card is not None else None,
        created_at=now,
        renewed_at=now,
        expires_at=now + lifetime(person),
    )
    db.session.add(row)
    db.session.flush()
    person.current_sign_in, person.sign_in_token = row, token
    return token


# One statement for the person and their sign-in, built once (every request runs it).
# A sign-in a card opened holds only while its person is a learner; a card replaced
# deletes its sign-ins (end_card_sign_ins).
_BY_TOKEN = (
    select(Person, SignIn)
    .join(SignIn, SignIn.person_id == Person.id)
    .where(
        SignIn.token_hash == bindparam("token_hash"),
        SignIn.expires_at > bindparam("now"),
        or_(SignIn.card_id.is_(None), Person.role == "learner"),
    )
)


def signed_in_person(token: str) -> Person | None:
    """The person this browser's token signs in, or None (unknown, ended, expired)."""
    if not token or len(token) > 100:
        return None
    found = db.session.execute(
        _BY_TOKEN, {"token_hash": hash_token(token), "now": utcnow()}
    ).first()
    if found is None:
        return None
    person, row = found
    person.current_sign_in, person.sign_in_token = row, token
    return person


def renew(person: Person) -> bool:
    """Move the end of ``person``'s current sign-in forward, if it was not moved in the
    last day; True if it was moved (the caller commits and sends the cookies again)."""
    row = person.current_sign_in
    now = utcnow()
    if now - row.renewed_at < RENEW_EVERY:
        return False
    row.renewed_at, row.expires_at = now, now + lifetime(person)
    return True


def end(person: Person) -> None:
    """Sign out the browser ``person`` is signed in on now, for good."""
    row = getattr(person, "current_sign_in", None)
    if row is not None:
        db.session.execute(delete(SignIn).where(SignIn.id == row.id))


def end_all(person: Person, keep_current: bool = False) -> int:
    """Sign ``person`` out on every browser (but this one, if ``keep_current``);
    returns how many browsers were signed out."""
    query = delete(SignIn).where(SignIn.person_id == person.id)
    row = getattr(person, "current_sign_in", None)
    if keep_current and row is not None:
        query = query.where(SignIn.id != row.id)
    return db.session.execute(query).rowcount


def end_card_sign_ins(person: Person) -> None:
    """Sign out every browser one of ``person``'s cards signed in (a card replaced)."""
    db.session.execute(
        delete(SignIn).where(SignIn.person_id == person.id, SignIn.card_id.is_not(None))
    )
