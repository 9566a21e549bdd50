"""Learner cards: a QR link and a short typed code that sign a learner in on their own
phone, and an optional PIN.

Only hashes are kept. The QR token has 256 random bits, so a plain SHA-256 of it is
enough. The typed code is short (8 characters of 17, about 33 bits), so its hash is an
HMAC keyed with the app's SECRET_KEY: it can be looked up by index, and a copy of the
database alone cannot be searched for codes. A PIN is checked against one known learner,
so it gets werkzeug's salted, slow hash, like a password. The caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from models import Commune, LearnerCard, Person, SignInAttempt, db, utcnow

from .accounts import record_failed_tries, too_many_tries
from .codes import new_code
from .sign_ins import end_card_sign_ins

CODE_LENGTH = 8
TOKEN_IN_PATH = re.compile(r"(/card/)[A-Za-z0-9_-]{16,}")


# --- Codes, tokens and their hashes ------------------------------------------------------


def new_token() -> str:
    """A card's secret link token (256 random bits)."""
    return secrets.token_urlsafe(32)


def show_code(code: str) -> str:
    """A card code as it is printed, in two halves: ``KMN4-7RTX``."""
    return f"{code[:4]}-{code[4:]}"


def hash_token(token: str) -> str:
    """The stored form of a card's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_code(code: str) -> str:
    """The stored form of a card's typed code, keyed with the app's secret."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, b"card-code:" + code.encode(), hashlib.sha256).hexdigest()


# --- Issuing and finding cards -----------------------------------------------------------


@dataclass
class NewCard:
    """A card just issued: the only time its token and code exist outside a hash."""

    card: LearnerCard
    token: str
    code: str


def issue_card(person: Person, issued_by: Person) -> NewCard:
    """Revoke the learner's cards, signing out every phone they opened, and make a new
    one."""
    end_card_sign_ins(person)
    db.session.execute(
        update(LearnerCard)
        .where(LearnerCard.person_id == person.id, LearnerCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    token = new_token()
    while True:  # a code used before, even on a revoked card, is not given again
        code = new_code(CODE_LENGTH)
        code_hash = hash_code(code)
        used = select(LearnerCard.id).where(LearnerCard.code_hash == code_hash)
        if db.session.scalar(used) is None:
            break
    card = LearnerCard(
        person_id=person.id,
        token_hash=hash_token(token),
        code_hash=code_hash,
        issued_by_id=issued_by.id,
    )
    db.session.add(card)
    db.session.flush()
    current_app.logger.info(
        "card %s issued: person %s by %s", card.id, person.id, issued_by.id
    )
    return NewCard(card=card, token=token, code=code)


def active_card(*conditions) -> LearnerCard | None:
    """The unrevoked card matching ``conditions``, if it still belongs to a learner."""
    query = (
        select(LearnerCard)
        .join(Person, LearnerCard.person_id == Person.id)
        .where(*conditions, LearnerCard.revoked_at.is_(None), Person.role == "learner")
    )
    return db.session.scalars(query).first()


def card_by_code(code: str) -> LearnerCard | None:
    """The card in use with this (normalised) typed code."""
    if len(code) != CODE_LENGTH:
        return None
    return active_card(LearnerCard.code_hash == hash_code(code))


def card_by_token(token: str) -> LearnerCard | None:
    """The card in use with this link token."""
    if len(token) > 100:
        return None
    return active_card(LearnerCard.token_hash == hash_token(token))


def learners_with_cards(commune: Commune) -> list[tuple[Person, LearnerCard | None]]:
    """The commune's learners by name, each with their card in use (or None)."""
    query = (
        select(Person, LearnerCard)
        .outerjoin(
            LearnerCard,
            (LearnerCard.person_id == Person.id) & LearnerCard.revoked_at.is_(None),
        )
        .where(Person.commune_id == commune.id, Person.role == "learner")
        .order_by(Person.name, Person.id, LearnerCard.id.desc())
    )
    rows: dict[int, tuple[Person, LearnerCard | None]] = {}
    for person, card in db.session.execute(query):
        rows.setdefault(person.id, (person, card))
    return list(rows.values())


# --- The optional PIN --------------------------------------------------------------------


def check_pin(person: Person, pin: str | None, address_key: str) -> str:
    """'ok', or why not: 'missing', 'wrong' or 'blocked' (tries counted per learner)."""
    if person.pin_hash is None:
        return "ok"
    if not pin:
        return "missing"
    config = current_app.config
    keys = {
        f"pin:{person.id}": config["SIGN_IN_MAX_PER_ACCOUNT"],
        address_key: config["SIGN_IN_MAX_PER_ADDRESS"],
    }
    if too_many_tries(keys):
        return "blocked"
    if check_password_hash(person.pin_hash, pin):
        SignInAttempt.clear(f"pin:{person.id}")
        return "ok"
    record_failed_tries(keys)
    return "wrong"


def sign_in_by_code(
    code: str, pin: str | None, address_key: str
) -> tuple[LearnerCard | None, str]:
    """The card a typed (normalised) code opens, and 'ok' or why not: 'unknown' (no
    such card), 'missing' or 'wrong' PIN, or 'blocked' (too many tries)."""
    config = current_app.config
    code_key = f"card:{hash_code(code)[:16]}"
    keys = {
        code_key: config["SIGN_IN_MAX_PER_ACCOUNT"],
        address_key: config["SIGN_IN_MAX_PER_ADDRESS"],
    }
    if too_many_tries(keys):
        return None, "blocked"
    card = card_by_code(code)
    if card is None:
        record_failed_tries(keys)
        return None, "unknown"
    outcome = check_pin(card.person, pin, address_key)
    if outcome == "ok":
        SignInAttempt.clear(code_key)
    return card, outcome


def set_pin(person: Person, pin: str | None) -> None:
    """Keep a salted hash of the learner's new PIN (None: sign in with the card alone)."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    person.pin_hash = generate_password_hash(pin, method) if pin else None
    what = "set" if pin else "removed"
    current_app.logger.info("PIN %s: person %s", what, person.id)


# --- Tokens stay out of the logs ---------------------------------------------------------


class RedactCardTokens(logging.Filter):
    """Access logs (werkzeug, gunicorn) and error logs write "/card/[token]" instead of
    the secret in a card's link."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message without the token; never drop a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = TOKEN_IN_PATH.sub(r"\1[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


REDACT = RedactCardTokens()
