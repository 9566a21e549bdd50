"""What the learner-card tests share: people of two communes, staff signed in, a card issued with known secrets."""

from __future__ import annotations

import re

import pytest
from werkzeug.security import generate_password_hash

import services.cards
from models import Person, db

from ..factories import PASSWORD, make_person

CODE_SHOWN = re.compile(r'class="card-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')


@pytest.fixture
def people(app, communes) -> dict[str, int]:
    """A learner, a helper and a trainer in each commune, and an admin in the first."""
    ids = {}
    for index, commune in enumerate(communes):
        side = "ab"[index]
        ids[f"learner_{side}"] = make_person(app, f"Bà Nga {side}", commune)
        for role in ("helper", "trainer"):
            email = f"{role}_{side}@example.org"
            ids[f"{role}_{side}"] = make_person(
                app,
                f"Linh {role}_{side}",
                commune,
                role,
                email=email,
                password=PASSWORD,
            )
    ids["admin"] = make_person(
        app, "Admin", communes[0], "admin", email="admin@example.org", password=PASSWORD
    )
    return ids


def sign_in(client, who: str) -> None:
    response = client.post(
        "/sign-in", data={"login": f"{who}@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303, who


@pytest.fixture
def secrets_made(monkeypatch) -> dict[str, list[str]]:
    """Every token and code the app makes, so a test can use them like a printed card."""
    made = {"token": [], "code": []}
    for kind in made:
        original = getattr(services.cards, f"new_{kind}")

        def record(*args, original=original, kind=kind):
            value = original(*args)
            made[kind].append(value)
            return value

        monkeypatch.setattr(services.cards, f"new_{kind}", record)
    return made


def issue(client, person_id: int) -> tuple[str, str]:
    """Issue a card as whoever is signed in on ``client``; returns (page, shown code)."""
    response = client.post(f"/cards/learner/{person_id}")
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    return page, CODE_SHOWN.search(page).group(1)


@pytest.fixture
def staff(app, people):
    """A client signed in as the trainer of the first commune."""
    client = app.test_client()
    sign_in(client, "trainer_a")
    return client


@pytest.fixture
def card(staff, people, secrets_made) -> dict[str, str]:
    """A card just issued to the first commune's learner: its token and code."""
    page, code = issue(staff, people["learner_a"])
    return {"token": secrets_made["token"][-1], "code": code, "page": page}


def signed_in_as(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"Đã đăng nhập: <strong>([^<]+)</strong>", page)
    return match.group(1) if match else None


def type_code(client, code, pin=None, address="10.0.0.1", next_url=None):
    data = {"code": code}
    if pin is not None:
        data["pin"] = pin
    if next_url:
        data["next"] = next_url
    return client.post("/card", data=data, environ_base={"REMOTE_ADDR": address})


def set_pin(app, person_id: int, pin: str) -> None:
    with app.app_context():
        db.session.get(Person, person_id).pin_hash = generate_password_hash(
            pin, "pbkdf2:sha256:1"
        )
        db.session.commit()


def signed_in_learner(app, card):
    client = app.test_client()
    assert client.post(f"/card/{card['token']}").status_code == 303
    return client
