"""No role of one commune can read or change anything of another (Kolibri's manner).

Two communes, A and B, with every role in each. A matrix, one test per (role,
request) so each case reports on its own:

- the learner, helper and trainer of A send every request about B (ids in the URL
  or in the form) and get "not found", with the database unchanged;
- an admin of A sends them too, and reaches B wherever admins act everywhere;
- each role sends the same requests about its own commune and gets through wherever
  its role allows: the positive control that the 404s are not blanket.

A last test walks ``app.url_map``: a route that takes an id and is missing from the
matrix fails it, so a new route cannot escape these checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from app import create_app
from models import (
    Certificate,
    Commune,
    CourseSession,
    DrillAttempt,
    LearnerCard,
    LessonCompletion,
    Participant,
    Person,
    QuizAttempt,
    db,
)
from services.access import OPERATOR, RULES, can_act_on, limit_to

from .factories import signed_in

A, B = 0, 1
ROLES = ("learner", "helper", "trainer")

# Who reaches a request about their own commune's learner, session, attempt…
# ("learner" is the learner the request is about); "admin" reaches it in any commune.
SELF = frozenset({"learner"})
STAFF = frozenset({"helper", "trainer", "admin"})
TRAINERS = frozenset({"trainer", "admin"})
ADMINS = frozenset({"admin"})
SELF_OR_TRAINERS = SELF | TRAINERS
SELF_OR_STAFF = SELF | STAFF
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    """One request about a commune; ``{learner}``, ``{commune}``, ``{session}``,
    ``{participant}`` and ``{attempt}`` in the URL and form stand for its ids."""

    method: str
    url: str
    who: frozenset[str]
    ok: int = 200  # the status when it is allowed
    form: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.url}"

    def send(self, client, ids: dict, side: int):
        values = {name: ids[name, side] for name in IDS}
        form = {key: value.format(**values) for key, value in self.form.items()}
        return getattr(client, self.method)(self.url.format(**values), data=form)


IDS = ("learner", "commune", "session", "participant", "attempt", "drill")
NEW_LEARNER = {"name": "X", "birth_year": "1950", "consent": "y"}
VNEID = {"lesson": "vneid", "language": "vi", "question_count": 10}
NEW_SESSION = {"held_on": "2026-12-05", "place": "Nhà văn hóa", "modules": "vneid"}

CASES = [
    # Personal data: the learner's own, and their communes' trainers.
    Case("get", "/my-data/{learner}", SELF_OR_TRAINERS),
    Case("get", "/my-data/{learner}/export.csv", SELF_OR_TRAINERS),
    Case("get", "/my-data/{learner}/export.json", SELF_OR_TRAINERS),
    Case("get", "/my-data/{learner}/delete", SELF_OR_TRAINERS),
    Case("post", "/my-data/{learner}/delete", SELF_OR_TRAINERS, 303),
    # Cards.
    Case("get", "/cards/learner/{learner}", STAFF),
    Case("post", "/cards/learner/{learner}", STAFF),
    Case("get", "/cards/commune/{commune}", STAFF),
    Case("post", "/cards/commune/{commune}/issue", STAFF, form={"which": "missing"}),
    # Helping: ids in the form, and the commune searched in.
    Case("post", "/help/start", STAFF, 303, {"learner": "{learner}"}),
    Case(
        "post", "/help/register", STAFF, form={"new-commune": "{commune}"} | NEW_LEARNER
    ),
    Case("get", "/help/?commune={commune}&name=X", STAFF),
    # A quiz attempt is its learner's alone (their helper acts as them).
    Case("get", "/lessons/vneid/quiz/{attempt}/1", SELF),
    Case("post", "/lessons/vneid/quiz/{attempt}/1", SELF, 303),
    Case("post", "/lessons/vneid/quiz/{attempt}/finish", SELF, 303),
    Case("get", "/lessons/vneid/quiz/{attempt}/result", SELF, 302),
    # A drill, the same: its learner's alone.
    Case("get", "/drills/vneid/{drill}/1", SELF),
    Case("post", "/drills/vneid/{drill}/1", SELF, 303),
    Case("post", "/drills/vneid/{drill}/finish", SELF, 303),
    Case("get", "/drills/vneid/{drill}/result", SELF, 302),
    # Trainers' pages: dashboards, exports.
    Case("get", "/communes/{commune}", TRAINERS),
    Case("get", "/communes/{commune}/questions", TRAINERS),
    Case("get", "/communes/{commune}/questions/vneid/where-to-install", TRAINERS),
    Case("get", "/communes/{commune}/export/people.xlsx", TRAINERS),
    Case("get", "/communes/{commune}/export/people.csv", TRAINERS),
    Case("get", "/communes/{commune}/export/modules.csv", TRAINERS),
    # Learners who never did anything: the list, the confirmation, the removal (the
    # world's learner is active, so the confirmation finds no one and nothing goes).
    Case("get", "/communes/{commune}/never-active", TRAINERS),
    Case(
        "post",
        "/communes/{commune}/never-active/remove",
        TRAINERS,
        400,
        {"learner": "{learner}"},
    ),
    Case(
        "post",
        "/communes/{commune}/never-active/remove",
        TRAINERS,
        303,
        {"learner": "{learner}", "confirm": "1"},
    ),
    Case("get", "/province", ADMINS),
    Case("get", "/province/export/modules.csv", ADMINS),
    Case("get", "/province/T-01", ADMINS),  # the communes' province (make_communes)
    Case("get", "/province/export/people.csv?province=T-01", ADMINS),
    # Course sessions, their participants and imports.
    Case(
        "post", "/sessions/new", TRAINERS, 303, {"commune": "{commune}"} | NEW_SESSION
    ),
    Case("get", "/sessions/{session}", TRAINERS),
    Case("get", "/sessions/{session}/edit", TRAINERS),
    Case("post", "/sessions/{session}/edit", TRAINERS, form={"commune": "{commune}"}),
    Case("get", "/sessions/{session}/delete", TRAINERS),
    Case("post", "/sessions/{session}/delete", TRAINERS, 303),
    Case(
        "post",
        "/sessions/{session}/attendance",
        TRAINERS,
        303,
        {"attended": "{learner}"},
    ),
    # The old list sent "person", which the form does not read: nobody gets through.
    Case(
        "post", "/sessions/{session}/participants", NOBODY, form={"person": "{learner}"}
    ),
    Case(
        "post",
        "/sessions/{session}/participants",
        TRAINERS,
        303,
        {"learner": "{learner}"},
    ),
    Case(
        "post",
        "/sessions/{session}/participants/new",
        TRAINERS,
        303,
        form={f"new-{key}": value for key, value in NEW_LEARNER.items()},
    ),
    Case(
        "post", "/sessions/{session}/participants/{participant}/remove", TRAINERS, 303
    ),
    Case("get", "/sessions/{session}/import", TRAINERS),
    Case("post", "/sessions/{session}/import", TRAINERS),
    Case("post", "/sessions/{session}/import/confirm", TRAINERS, 303),
    # Certificates.
    Case("get", "/sessions/{session}/certificates", TRAINERS),
    Case("get", "/people/{learner}/certificates", STAFF),
    Case("get", "/certificates/{learner}/vneid", SELF_OR_STAFF),
]


@pytest.fixture
def app(drill_app):
    """HọcSố's content with the test drill banks, so the drill pages answer."""
    return drill_app


@pytest.fixture
def world(app, communes) -> dict:
    """In each commune: every role, and a learner with a certificate earned, an open
    quiz attempt and a place in a course session. Returns ids by (name, side)."""
    ids: dict = {}
    passed = datetime(2026, 11, 1, 3, tzinfo=UTC)
    with app.app_context():
        for side, commune_id in enumerate(communes):
            ids["commune", side] = commune_id
            for role in [*ROLES, "admin"]:
                person = Person(
                    name=f"{role} {side}",
                    birth_year=1990,
                    commune_id=commune_id,
                    role=role,
                )
                db.session.add(person)
                db.session.flush()
                ids[role, side] = person.id
            learner = ids["learner", side]
            db.session.add_all(
                [
                    LessonCompletion(
                        person_id=learner, lesson="vneid", completed_at=passed
                    ),
                    QuizAttempt(
                        person_id=learner,
                        **VNEID,
                        first_try_score=10,
                        started_at=passed,
                        finished_at=passed,
                    ),
                ]
            )
            attempt = QuizAttempt(person_id=learner, **VNEID)  # open: on question 1
            course = CourseSession(
                commune_id=commune_id,
                held_on=date(2026, 11, 28),
                place="Nhà văn hóa (thử)",
                modules=["vneid"],
            )
            db.session.add_all([attempt, course])
            db.session.flush()
            participant = Participant(session_id=course.id, person_id=learner)
            db.session.add(participant)
            db.session.flush()
            ids["attempt", side] = attempt.id
            ids["session", side] = course.id
            ids["participant", side] = participant.id
            drill = DrillAttempt(
                person_id=learner,
                lesson="vneid",
                stage=1,
                language="vi",
                items=app.extensions["hocso_library"].get("vneid").drill_ids[:3],
            )
            db.session.add(drill)
            db.session.flush()
            ids["drill", side] = drill.id
        db.session.commit()
    return ids


def snapshot(app) -> dict[str, list]:
    """Every row of every table: what a request could have changed."""
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
        }


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_one_commune_reaches_the_other(app, world, role, case):
    client = signed_in(app, world[role, A])
    before = snapshot(app)
    response = case.send(client, world, B)
    assert response.status_code == 404
    assert snapshot(app) == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_an_admin_reaches_every_commune(app, world, case):
    """Admins act everywhere, except in a learner's own quiz attempt (and where nobody
    may)."""
    client = signed_in(app, world["admin", A])
    before = snapshot(app)
    response = case.send(client, world, B)
    if "admin" in case.who:
        assert response.status_code == case.ok
    else:
        assert response.status_code == 404
        assert snapshot(app) == before


@pytest.mark.parametrize(
    ("role", "case"),
    [(role, case) for role in ROLES for case in CASES if role in case.who],
    ids=str,
)
def test_every_role_reaches_its_own_commune(app, world, role, case):
    """The same requests, about commune A, do work: the 404s above are not blanket."""
    client = signed_in(app, world[role, A])
    assert case.send(client, world, A).status_code == case.ok


def test_signed_out_visitors_are_sent_to_sign_in(app, world):
    client = app.test_client()
    for url in ["/help/", "/cards/", f"/cards/commune/{world['commune', A]}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.location, url


# --- The two questions, one answer --------------------------------------------------------


def test_may_act_on_and_may_see_agree(app, world):
    """For every person (and nobody, and the operator) and every row of every kind,
    ``can_act_on`` says yes exactly when ``limit_to`` keeps the row (Kolibri's
    ``user_can_read_object`` and ``readable_by_user_filter``)."""
    with app.app_context():
        for side in (A, B):
            learner = world["learner", side]
            db.session.add_all(
                [
                    LearnerCard(
                        person_id=learner, token_hash=f"t{side}", code_hash=f"c{side}"
                    ),
                    Certificate(person_id=learner, lesson="vneid", code=f"CODE{side}"),
                    Certificate(
                        person_id=world["helper", side],
                        lesson="vneid",
                        code=f"HELP{side}",
                    ),
                ]
            )
        db.session.commit()
        people = [*db.session.scalars(select(Person)), None, OPERATOR]
        for model in RULES:
            rows = db.session.scalars(select(model)).all()
            assert rows, model
            for person in people:
                kept = db.session.scalars(limit_to(person, select(model.id), model))
                allowed = {row.id for row in rows if can_act_on(person, row)}
                assert set(kept) == allowed, (
                    model.__name__,
                    getattr(person, "name", person),
                )


def test_who_may_act_on_what_in_their_own_commune(app, world):
    """The rules themselves, for each role of commune A and the objects of A."""
    with app.app_context():
        objects = {
            "commune": db.session.get(Commune, world["commune", A]),
            "learner": db.session.get(Person, world["learner", A]),
            "helper": db.session.get(Person, world["helper", A]),
            "session": db.session.get(CourseSession, world["session", A]),
            "attempt": db.session.get(QuizAttempt, world["attempt", A]),
        }
        reached = {
            role: {
                name
                for name, obj in objects.items()
                if can_act_on(db.session.get(Person, world[role, A]), obj)
            }
            for role in [*ROLES, "admin"]
        }
    assert reached == {
        "learner": {"attempt"},  # their own, and nothing of anyone else
        "helper": {"commune", "learner"},  # only learners are acted on by others
        "trainer": {"commune", "learner", "session"},
        "admin": {"commune", "learner", "session"},  # an attempt is its learner's
    }


# --- No route that takes an id escapes the matrix ---------------------------------------

# Routes whose id-like arguments name nothing private, so no commune owns them.
PUBLIC = {
    "/card/<token>",  # the token is the learner's card itself: whoever holds it is them
    "/verify/<code>",  # the public check of a printed certificate's code
    "/lessons/<slug>/steps/<int:number>",  # a step of a lesson, the same for everyone
    "/lessons/<slug>/present/<int:step>",  # the same step, projected
}
ID_LIKE = re.compile(r"(^|_)id$|^code$|^token$")


def takes_an_id(rule) -> bool:
    return any(
        isinstance(converter, IntegerConverter) or ID_LIKE.search(name)
        for name, converter in rule._converters.items()
    )


def test_every_route_that_takes_an_id_is_in_the_matrix():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    adapter = app.url_map.bind("localhost")
    covered = set()
    for case in CASES:
        path = case.url.format(**dict.fromkeys(IDS, 7)).split("?")[0]
        rule, _args = adapter.match(path, method=case.method.upper(), return_rule=True)
        covered.add((rule.rule, case.method.upper()))
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if takes_an_id(rule) and rule.rule not in PUBLIC
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.rule, method) not in covered
    ]
    assert not missing, "routes that take an id but are not in CASES"
