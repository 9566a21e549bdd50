"""What the helper tests share: people of two communes, a helper signed in, and the pages read back."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import select

from models import (
    AssistSession,
    Person,
    db,
)

from .. import factories

PASSWORD = "a long helper password"


@pytest.fixture
def make_person(app):
    """``make_person(name, commune_id, role="learner", ...)``: a person in the database.

    Staff get a password (and an email made from a count) so they can sign in.
    """
    count = itertools.count(1)

    def make(name: str, commune_id: int, role: str = "learner", **fields) -> int:
        number, staff = next(count), role != "learner"
        return factories.make_person(
            app,
            name,
            commune_id,
            role,
            born=fields.pop("birth_year", 1950),
            email=f"staff{number}@example.org" if staff else None,
            password=PASSWORD if staff else None,
            **fields,
        )

    return make


def email_of(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).email


def sign_in(client, person_id: int) -> None:
    """Sign in through the real sign-in form, as a helper does."""
    response = client.post(
        "/sign-in",
        data={"login": email_of(client.application, person_id), "password": PASSWORD},
    )
    assert response.status_code == 303


def signed_in_client(app, person_id: int):
    client = app.test_client()
    sign_in(client, person_id)
    return client


def start_helping(client, learner_id: int):
    return client.post("/help/start", data={"learner": learner_id})


def register(client, commune_id: int, name: str = "Bà Hoa", **extra):
    data = {
        "new-name": name,
        "new-birth_year": "1950",
        "new-commune": commune_id,
        "new-consent": "y",
    } | extra
    return client.post("/help/register", data=data)


def person_named(app, name: str) -> Person | None:
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.name == name))


def rows(app, model, person_id: int) -> list:
    with app.app_context():
        query = select(model).where(model.person_id == person_id).order_by(model.id)
        return list(db.session.scalars(query))


def open_sessions(app, helper_id: int) -> list[AssistSession]:
    with app.app_context():
        query = select(AssistSession).where(
            AssistSession.helper_id == helper_id, AssistSession.ended_at.is_(None)
        )
        return list(db.session.scalars(query))


def bar_of(page: str) -> str:
    """The text of the 'helping' bar, or '' when there is none."""
    match = re.search(r'<aside class="assist-bar.*?</aside>', page, re.S)
    return text_of(match.group(0)) if match else ""


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def helper(make_person, communes) -> int:
    return make_person("Linh", communes[0], role="helper", birth_year=2003)


@pytest.fixture
def helper_client(app, helper):
    return signed_in_client(app, helper)
