"""Data factories: the people, places, sign-ins and progress tests build, each once.

Each takes the app (and commits, returning ids) or, where noted, the open session
(and flushes, returning the objects), so a test builds a world in a few lines.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import scoped_session

from models import Commune, LessonCompletion, Person, Province, QuizAttempt, db
from services import sign_ins
from services.communes import set_name

PASSWORD = "a long enough password"


def make_communes(app: Flask) -> list[int]:
    """Two communes of one province, "Xã Một" and "Phường Hai"; returns their ids."""
    with app.app_context():
        province = Province(code="T-01", name="Tỉnh Thử")
        first = Commune(code="T-0101", province=province)
        second = Commune(code="T-0102", province=province)
        set_name(first, "Xã Một")
        set_name(second, "Phường Hai")
        db.session.add_all([province, first, second])
        db.session.commit()
        return [first.id, second.id]


def make_person(
    app_or_session: Flask | scoped_session,
    name: str,
    commune: int,
    role: str = "learner",
    born: int = 1950,
    email: str | None = None,
    password: str | None = None,
    **fields,
):
    """A person of ``commune``; ``password`` lets them sign in, ``fields`` sets the rest.

    Given the app, commits and returns their id; given ``db.session`` (inside an app
    context), adds and flushes them and returns the Person.
    """
    if not isinstance(app_or_session, Flask):
        return _add_person(name, commune, role, born, email, password, fields)
    with app_or_session.app_context():
        person = _add_person(name, commune, role, born, email, password, fields)
        db.session.commit()
        return person.id


def _add_person(name, commune, role, born, email, password, fields) -> Person:
    person = Person(
        name=name, birth_year=born, commune_id=commune, role=role, email=email, **fields
    )
    if password is not None:
        person.set_password(password)  # the cheap test hash: see conftest.TEST_CONFIG
    db.session.add(person)
    db.session.flush()
    return person


def login_as(client, person_id: int):
    """Be signed in on ``client`` as ``person_id`` is: a sign-in of its own, its token
    under Flask-Login's session key (as a card or the sign-in form leaves it);
    returns the client."""
    with client.application.app_context():
        token = sign_ins.start(db.session.get(Person, person_id))
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def signed_in(app: Flask, person_id: int):
    """A new test client signed in as ``person_id``."""
    return login_as(app.test_client(), person_id)


def assisted_by(helper_id: int | None) -> dict:
    """The columns of a row of progress that say who sat beside (None: alone)."""
    return {"assisted": helper_id is not None, "assisted_by_id": helper_id}


def add_completion(
    person_id: int, when: datetime, helper_id: int | None = None, lesson: str = "vneid"
) -> None:
    """``lesson`` completed at ``when``, added to the open session."""
    db.session.add(
        LessonCompletion(
            person_id=person_id,
            lesson=lesson,
            completed_at=when,
            **assisted_by(helper_id),
        )
    )


def add_attempt(
    person_id: int,
    score: int | None = None,
    finished: datetime | None = None,
    helper_id: int | None = None,
    lesson: str = "vneid",
    questions: int = 10,
) -> QuizAttempt:
    """A quiz attempt in Vietnamese added to the open session: ``questions`` long,
    ``score`` right on the first try, started and finished at ``finished`` (None:
    started now and still open)."""
    attempt = QuizAttempt(
        person_id=person_id,
        lesson=lesson,
        language="vi",
        question_count=questions,
        first_try_score=score,
        finished_at=finished,
        **({"started_at": finished} if finished else {}),
        **assisted_by(helper_id),
    )
    db.session.add(attempt)
    return attempt


def earn_vneid(app, name: str) -> None:
    """``name`` finished the VNeID lesson and passed its quiz alone (9 of 10)."""
    when = datetime(2025, 11, 20, 2, tzinfo=UTC)
    with app.app_context():
        person = db.session.scalars(select(Person).filter_by(name=name)).one()
        add_completion(person.id, when)
        add_attempt(person.id, 9, when)
        db.session.commit()
