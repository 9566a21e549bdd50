"""What the course-session tests share: a trainer signed in, a session built in
one call, and the page and database read back."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from models import CourseSession, Participant, Person, db

from ..factories import make_person, signed_in

TODAY = date.today()


def add_session(app, commune_id, held_on=TODAY, people=(), **fields) -> int:
    """A session with ``people`` (ids, or (id, attended)) as participants."""
    with app.app_context():
        course_session = CourseSession(
            commune_id=commune_id,
            held_on=held_on,
            place=fields.pop("place", "Hội trường UBND"),
            modules=fields.pop("modules", ["vneid", "qr-payment"]),
            **fields,
        )
        db.session.add(course_session)
        db.session.flush()
        for person in people:
            person_id, attended = (
                person if isinstance(person, tuple) else (person, False)
            )
            db.session.add(
                Participant(
                    session_id=course_session.id, person_id=person_id, attended=attended
                )
            )
        db.session.commit()
        return course_session.id


@pytest.fixture
def trainer(app, communes) -> int:
    return make_person(app, "Anh Hùng", communes[0], role="trainer", born=1990)


@pytest.fixture
def trainer_client(app, trainer):
    return signed_in(app, trainer)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def sessions(app) -> list[CourseSession]:
    with app.app_context():
        found = db.session.scalars(select(CourseSession).order_by(CourseSession.id))
        return [
            (s.commune_id, s.held_on, s.place, s.modules, [p.id for p in s.helpers])
            for s in found
        ]


def participants(app, session_id: int) -> list[tuple[str, bool]]:
    """(name, attended) of a session's participants, by name."""
    query = (
        select(Person.name, Participant.attended)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.session_id == session_id)
        .order_by(Person.name)
    )
    with app.app_context():
        return [tuple(row) for row in db.session.execute(query)]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def state(app) -> tuple:
    """Everything a request about sessions could change."""
    with app.app_context():
        people = db.session.execute(
            select(Person.id, Person.name, Person.birth_year).order_by(Person.id)
        ).all()
        rows = db.session.execute(
            select(
                Participant.session_id, Participant.person_id, Participant.attended
            ).order_by(Participant.id)
        ).all()
    return (sessions(app), people, rows)


def session_form(commune_id, **changes) -> dict:
    return {
        "commune": commune_id,
        "held_on": (TODAY + timedelta(days=3)).isoformat(),
        "place": "Nhà văn hóa thôn Đông",
        "modules": ["scam-calls", "vneid"],
    } | changes
