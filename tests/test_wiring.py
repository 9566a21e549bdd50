"""App-wide wiring (app.py), and the one place kept for times and phone numbers."""

from __future__ import annotations

import pkgutil
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

import content.questions
import views
from app import BLUEPRINTS
from models import Person, db
from services.accounts import normalise_login
from services.phones import is_phone, normalise_phone


def test_every_blueprint_module_is_listed():
    found = {
        module.name
        for module in pkgutil.iter_modules(views.__path__)
        if hasattr(__import__(f"views.{module.name}", fromlist=["bp"]), "bp")
    }
    assert found == set(BLUEPRINTS)


def test_every_question_type_module_is_listed():
    found = {module.name for module in pkgutil.iter_modules(content.questions.__path__)}
    listed = {
        module.__name__.rsplit(".", 1)[1] for module in content.questions.TYPE_MODULES
    }
    assert found - {"base", "marking"} == listed


def test_times_are_read_back_aware_and_in_utc(app, communes):
    hanoi_morning = datetime(2025, 11, 25, 16, 30, tzinfo=timezone(timedelta(hours=7)))
    with app.app_context():
        person = Person(
            name="Lan", birth_year=1950, commune_id=communes[0], role="learner"
        )
        person.consent_at = hanoi_morning
        db.session.add(person)
        db.session.commit()
        person_id = person.id
        db.session.expunge_all()
        query = select(Person.consent_at).where(Person.id == person_id)
        stored = db.session.scalar(query)
        assert stored.tzinfo is not None
        assert stored == datetime(2025, 11, 25, 9, 30, tzinfo=UTC)


def test_one_phone_normaliser():
    assert normalise_phone(" 0912.345-678 ") == "0912345678"
    assert normalise_phone("(024) 3825 1234") == "02438251234"
    assert normalise_login(" 0912 345 678") == "0912345678"
    assert normalise_login(" Mai@Example.com ") == "mai@example.com"
    assert is_phone("0912345678") and is_phone("+84912345678")
    assert not is_phone("12345678", shortest=9) and is_phone("12345678")
    assert not is_phone("0912abc678")


def test_a_remembered_browser_gets_its_cookie_again_once_a_day(client, learner):
    """Not re-signed on every page, yet a learner who comes back daily stays in."""
    client.get("/lessons/vneid/steps/1")  # shows (and forgets) the welcome message
    assert "Set-Cookie" not in client.get("/lessons/vneid/steps/1").headers
    with client.session_transaction() as session:
        session["renewed_on"] = "2020-01-01"  # as if last seen on another day
    renewed = client.get("/lessons/vneid/steps/1")
    cookie = renewed.headers["Set-Cookie"]
    assert "session=" in cookie and "Expires=" in cookie
    assert "Set-Cookie" not in client.get("/lessons/vneid/steps/2").headers
