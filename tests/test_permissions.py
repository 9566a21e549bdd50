"""No role of one commune can read or change anything of another (Kolibri's manner).

Two communes, every role in each; each role of commune A tries every page, form,
export and download about commune B (ids changed in the URL or the form included),
and must get "not found" with nothing changed. Admins act everywhere: they are the
positive control that the same requests do work when the role covers them.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models import (
    AssistSession,
    CourseSession,
    LearnerCard,
    Participant,
    Person,
    QuizAttempt,
    db,
)

ROLES = ["learner", "helper", "trainer"]


@pytest.fixture
def world(app, communes):
    """Every role in each commune, a learner of B with a quiz attempt; returns ids."""
    ids = {}
    with app.app_context():
        for index, commune_id in enumerate(communes):
            for role in [*ROLES, "admin"]:
                person = Person(
                    name=f"{role} {index}",
                    birth_year=1990,
                    commune_id=commune_id,
                    role=role,
                )
                db.session.add(person)
                db.session.flush()
                ids[(role, index)] = person.id
        attempt = QuizAttempt(
            person_id=ids[("learner", 1)],
            lesson="vneid",
            language="vi",
            question_count=10,
        )
        db.session.add(attempt)
        course = CourseSession(
            commune_id=communes[1],
            held_on=date(2026, 11, 28),
            place="Nhà văn hóa (thử)",
            modules=["vneid"],
        )
        db.session.add(course)
        db.session.flush()
        participant = Participant(session_id=course.id, person_id=ids[("learner", 1)])
        db.session.add(participant)
        db.session.commit()
        ids["participant"] = participant.id
        ids["attempt"] = attempt.id
        ids["session"] = course.id
        ids["communes"] = communes
    return ids


def signed_in(app, person_id: int):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(person_id)
        session["_fresh"] = True
    return client


def requests_about_b(ids) -> list[tuple[str, str, dict]]:
    """Every request that reads or changes something of commune B."""
    learner_b, commune_b = ids[("learner", 1)], ids["communes"][1]
    course = ids["session"]
    return [
        ("get", f"/my-data/{learner_b}", {}),
        ("get", f"/my-data/{learner_b}/export.csv", {}),
        ("get", f"/my-data/{learner_b}/export.json", {}),
        ("get", f"/my-data/{learner_b}/delete", {}),
        ("post", f"/my-data/{learner_b}/delete", {}),
        ("get", f"/cards/learner/{learner_b}", {}),
        ("post", f"/cards/learner/{learner_b}", {}),
        ("get", f"/cards/commune/{commune_b}", {}),
        ("post", f"/cards/commune/{commune_b}/issue", {"which": "missing"}),
        ("post", "/help/start", {"learner": learner_b}),
        (
            "post",
            "/help/register",
            {
                "new-commune": commune_b,
                "name": "X",
                "birth_year": "1950",
                "consent": "y",
            },
        ),
        ("get", f"/lessons/vneid/quiz/{ids['attempt']}/1", {}),
        # Trainers' pages: dashboards, exports, sessions, certificates.
        ("get", f"/communes/{commune_b}", {}),
        ("get", f"/communes/{commune_b}/questions", {}),
        ("get", f"/communes/{commune_b}/questions/vneid/where-to-install", {}),
        ("get", f"/communes/{commune_b}/export/people.xlsx", {}),
        ("get", f"/communes/{commune_b}/export/modules.csv", {}),
        ("get", "/province", {}),
        ("get", "/province/export/modules.csv", {}),
        ("get", f"/sessions/{course}", {}),
        ("get", f"/sessions/{course}/edit", {}),
        ("post", f"/sessions/{course}/delete", {}),
        ("post", f"/sessions/{course}/attendance", {"attended": learner_b}),
        ("post", f"/sessions/{course}/participants", {"person": learner_b}),
        ("post", f"/sessions/{course}/participants/{ids['participant']}/remove", {}),
        ("get", f"/sessions/{course}/import", {}),
        ("get", f"/sessions/{course}/certificates", {}),
        ("get", f"/people/{learner_b}/certificates", {}),
        ("get", f"/certificates/{learner_b}/vneid", {}),
    ]


def state(app) -> tuple[int, ...]:
    """What a request could have changed."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (
                Person,
                LearnerCard,
                AssistSession,
                QuizAttempt,
                CourseSession,
                Participant,
            )
        )


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_one_commune_reaches_the_other(app, world, role):
    client = signed_in(app, world[(role, 0)])
    before = state(app)
    for method, url, form in requests_about_b(world):
        response = getattr(client, method)(url, data=form)
        assert response.status_code == 404, (role, method, url, response.status_code)
    assert state(app) == before


def test_an_admin_reaches_every_commune(app, world):
    client = signed_in(app, world[("admin", 0)])
    learner_b = world[("learner", 1)]
    assert client.get(f"/my-data/{learner_b}").status_code == 200
    assert client.get(f"/my-data/{learner_b}/export.json").status_code == 200
    assert client.get(f"/cards/commune/{world['communes'][1]}").status_code == 200
    assert client.post("/help/start", data={"learner": learner_b}).status_code == 303
    for url in [
        f"/communes/{world['communes'][1]}",
        f"/communes/{world['communes'][1]}/export/people.csv",
        f"/sessions/{world['session']}",
        f"/sessions/{world['session']}/certificates",
        "/province",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["helper", "trainer"])
def test_staff_do_reach_their_own_commune(app, world, role):
    """The same requests, about commune A, are allowed: the 404s above are not blanket."""
    client = signed_in(app, world[(role, 0)])
    learner_a = world[("learner", 0)]
    assert client.get(f"/cards/commune/{world['communes'][0]}").status_code == 200
    assert client.post("/help/start", data={"learner": learner_a}).status_code == 303


def test_signed_out_visitors_are_sent_to_sign_in(app, world):
    client = app.test_client()
    for url in ["/help/", "/cards/", f"/cards/commune/{world['communes'][0]}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url
