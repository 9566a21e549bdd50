"""Accounts: the login a person signs in with, and failed tries counted per account
and per address. The counts live in the database, so every server worker shares
them; the caller commits."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import aliased
from werkzeug.security import check_password_hash, generate_password_hash

from models import (
    LessonCompletion,
    Person,
    QuizAttempt,
    SignInAttempt,
    StepView,
    db,
    refresh_results,
    utcnow,
)

from . import sign_ins
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


def password_matches(person: Person | None, password: str) -> bool:
    """Whether ``password`` is ``person``'s; with no such account, a dummy hash made the
    same way is checked, so an unknown account takes as long as a known one."""
    if person is not None and person.password_hash:
        return person.check_password(password)
    check_password_hash(
        dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password
    )
    return False


@functools.cache
def dummy_hash(method: str) -> str:
    """A hash of a random password, made once per hashing method."""
    return generate_password_hash(secrets.token_urlsafe(16), method)


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


def change_password(person: Person, current: str, new: str) -> str:
    """'ok': ``new`` is ``person``'s password and every other browser they signed in on
    is signed out (this one stays); or why not: 'wrong' (the current password is not
    right; counted like a failed sign-in) or 'blocked' (too many wrong ones)."""
    key = f"password:{person.id}"
    keys = {key: current_app.config["SIGN_IN_MAX_PER_ACCOUNT"]}
    if too_many_tries(keys):
        return "blocked"
    if not person.check_password(current):
        record_failed_tries(keys)
        return "wrong"
    SignInAttempt.clear(key)
    person.set_password(new)
    ended = sign_ins.end_all(person, keep_current=True)
    current_app.logger.info(
        "password changed: person %s, %s other sign-ins ended", person.id, ended
    )
    return "ok"


# --- A youth member's own account -------------------------------------------------


def move_progress(source: Person, target: Person) -> None:
    """Give ``source``'s steps seen, lessons completed and quiz attempts (with their
    answers) to ``target``. A step or a completion ``target`` already has the same way
    (alone or assisted) stays with ``source``, so the unique constraints hold; it goes
    when ``source`` is deleted. The caller commits."""
    for model, same in (
        (StepView, ("lesson", "step", "assisted")),
        (LessonCompletion, ("lesson", "assisted")),
    ):
        theirs = aliased(model)
        duplicate = exists().where(
            theirs.person_id == target.id,
            *(getattr(theirs, name) == getattr(model, name) for name in same),
        )
        db.session.execute(
            update(model)
            .where(model.person_id == source.id, ~duplicate)
            .values(person_id=target.id)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.person_id == source.id)
        .values(person_id=target.id)
        .execution_options(synchronize_session=False)
    )
    target.file_answers()
    refresh_results(db.session.connection(), [source.id, target.id])


def login_taken(phone: str | None, email: str | None) -> tuple[bool, bool]:
    """Whether someone who signs in already uses this phone number, or this email."""
    phone_taken = bool(
        phone
        and db.session.scalar(
            select(Person.id).where(
                Person.password_hash.is_not(None), Person.phone == phone
            )
        )
    )
    # Emails are unique among everyone (the column is), not only among accounts.
    email_taken = bool(
        email
        and db.session.scalar(
            select(Person.id).where(func.lower(Person.email) == email)
        )
    )
    return phone_taken, email_taken


MIN_PASSWORD = 12


def create_account(
    name: str,
    commune_code: str,
    login: dict[str, str | None],
    birth_year: int,
    role: str,
    password: str,
) -> tuple[Person | None, list[str]]:
    """A helper, trainer or admin who signs in with ``login`` (its "email" and/or
    "phone"), or None and every problem in plain words (the caller commits)."""
    from .communes import commune_by_code

    commune = commune_by_code(commune_code)
    problems = []
    if commune is None:
        problems.append(
            f"no commune has the code '{commune_code}' (import the communes first)"
        )
    given = {kind: normalise_login(value) for kind, value in login.items() if value}
    if not given:
        problems.append("give --email or --phone to sign in with")
    if len(password) < MIN_PASSWORD:
        problems.append(f"the password must have at least {MIN_PASSWORD} characters")
    problems += [
        f"someone already signs in with '{value}'"
        for value in given.values()
        if find_account(value) is not None
    ]
    if problems:
        return None, problems
    person = Person(
        name=name.strip(), birth_year=birth_year, commune=commune, role=role
    )
    person.email, person.phone = given.get("email"), given.get("phone")
    person.set_password(password)
    db.session.add(person)
    return person, []
