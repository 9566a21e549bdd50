"""Who may see or change a course session: one commune's staff never reach another's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Participant, db

from ..factories import make_person, signed_in
from .conftest import add_session, page, participants, session_form, sessions, state


def requests_about(session_id: int, participant_id: int, learner_id: int):
    """Every request that reads or changes a session."""
    sid = session_id
    return [
        ("get", f"/sessions/{sid}", {}),
        ("get", f"/sessions/{sid}?name=nga", {}),
        ("get", f"/sessions/{sid}/edit", {}),
        ("post", f"/sessions/{sid}/edit", {"place": "X", "modules": ["vneid"]}),
        ("get", f"/sessions/{sid}/delete", {}),
        ("post", f"/sessions/{sid}/delete", {}),
        ("post", f"/sessions/{sid}/attendance", {"attended": [participant_id]}),
        ("post", f"/sessions/{sid}/participants", {"learner": learner_id}),
        ("post", f"/sessions/{sid}/participants/new",
         {"new-name": "X", "new-birth_year": "1950", "new-consent": "y"}),
        ("post", f"/sessions/{sid}/participants/{participant_id}/remove", {}),
        ("get", f"/sessions/{sid}/import", {}),
        ("post", f"/sessions/{sid}/import", {}),
        ("post", f"/sessions/{sid}/import/confirm", {"rows": "x", "consent": "y"}),
    ]  # fmt: skip


@pytest.fixture
def session_b(app, communes):
    """A session of commune B with one participant; returns (session, participant, learner)."""
    learner = make_person(app, "Bà Nga", communes[1])
    session_id = add_session(app, communes[1], people=[learner])
    with app.app_context():
        participant = db.session.scalar(select(Participant.id))
    return session_id, participant, learner


def test_a_trainer_of_commune_a_finds_nothing_of_commune_b(
    app, communes, trainer_client, session_b
):
    before = state(app)
    for method, url, data in requests_about(*session_b):
        response = getattr(trainer_client, method)(url, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert "Bà Nga" not in page(trainer_client, "/sessions/")
    assert state(app) == before


def test_a_trainer_cannot_create_a_session_in_another_commune(
    app, communes, trainer_client
):
    response = trainer_client.post("/sessions/new", data=session_form(communes[1]))
    assert response.status_code == 404 and sessions(app) == []


def test_a_trainer_cannot_add_a_learner_of_another_commune(
    app, communes, trainer_client, session_b
):
    session_id = add_session(app, communes[0])
    before = state(app)
    response = trainer_client.post(
        f"/sessions/{session_id}/participants", data={"learner": session_b[2]}
    )
    assert response.status_code == 404 and state(app) == before
    # Nor register someone into commune B through an edited form.
    trainer_client.post(
        f"/sessions/{session_id}/participants/new",
        data={"new-name": "X", "new-birth_year": "1950", "new-consent": "y",
              "new-commune": communes[1]},
    )  # fmt: skip
    assert state(app) == before


@pytest.mark.parametrize("role", ["learner", "helper"])
def test_helpers_and_learners_find_no_sessions(app, communes, session_b, role):
    person = make_person(app, f"Người {role}", communes[1], role=role)
    client = signed_in(app, person)
    before = state(app)
    extra = [("get", "/sessions/", {}), ("get", "/sessions/new", {}),
             ("post", "/sessions/new", session_form(communes[1])),
             ("get", "/sessions/import-template.csv", {})]  # fmt: skip
    for method, url, data in [*extra, *requests_about(*session_b)]:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, (role, method, url)
    assert state(app) == before


def test_visitors_are_sent_to_sign_in(app, communes, session_b):
    client = app.test_client()
    session_id = session_b[0]
    response = client.get(f"/sessions/{session_id}")
    assert response.status_code == 302
    assert response.location == f"/sign-in?next=/sessions/{session_id}"
    response = client.post(f"/sessions/{session_id}/attendance")
    assert response.location == "/sign-in?next=/sessions/"


def test_an_admin_reaches_every_commune(app, communes, session_b):
    admin = make_person(app, "Quản trị", communes[0], role="admin")
    client = signed_in(app, admin)
    session_id, participant, _learner = session_b
    assert "Bà Nga" in page(client, f"/sessions/{session_id}")
    response = client.post(
        f"/sessions/{session_id}/attendance", data={"attended": [participant]}
    )
    assert response.status_code == 303
    assert participants(app, session_id) == [("Bà Nga", True)]
