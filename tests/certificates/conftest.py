"""What the certificate tests share: hand-built progress rows and people of two communes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models import (
    Certificate,
    db,
)

from ..factories import add_attempt, add_completion, make_person

CODE_ON_PAGE = re.compile(r'class="cert-code">([A-Z0-9-]+)<')


# The vneid quiz has 10 questions and the default pass mark, 75 %: 8 right passes, 7 not.
PASS, FAIL = 8, 7


def at(day: int, month: int = 1, hour: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


def complete(app, person_id, when, helper_id=None, lesson="vneid") -> None:
    with app.app_context():
        add_completion(person_id, when, helper_id, lesson)
        db.session.commit()


def attempt(app, person_id, score, when, helper_id=None, lesson="vneid") -> None:
    """A finished quiz attempt of 10 questions with ``score`` right on the first try."""
    with app.app_context():
        add_attempt(person_id, score, when, helper_id, lesson)
        db.session.commit()


@pytest.fixture
def people(app, communes) -> dict[str, int]:
    """Learners, a helper and a trainer in each commune, and an admin."""
    ids = {}
    for index, commune in enumerate(communes):
        side = "ab"[index]
        ids[f"learner_{side}"] = make_person(app, f"Bà Nga {side}", commune, born=1946)
        ids[f"other_{side}"] = make_person(app, f"Ông Tâm {side}", commune, born=1950)
        for role in ("helper", "trainer"):
            ids[f"{role}_{side}"] = make_person(
                app, f"Linh {role} {side}", commune, role, 2000
            )
    ids["admin"] = make_person(app, "Quản trị", communes[0], "admin", 1980)
    return ids


def as_guest_learner(app, person_id: int):
    """The guest learner remembered in this browser (no sign-in), as /learner/start does."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["person_id"] = person_id
    return client


def self_study_vneid(app, person_id) -> None:
    complete(app, person_id, at(10, hour=18))
    attempt(app, person_id, PASS, at(9))


def certificate_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Certificate.id)))


def printed_code(app, person_id: int, slug: str = "vneid") -> str:
    """The verification code printed on ``person_id``'s certificate for ``slug``."""
    page = (
        as_guest_learner(app, person_id)
        .get(f"/certificates/{person_id}/{slug}")
        .get_data(as_text=True)
    )
    return CODE_ON_PAGE.search(page).group(1)
