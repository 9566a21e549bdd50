"""SQL statements per request, for a learner with progress in several modules.

An N+1 is a bug: these limits hold whatever the number of lessons. Every statement the
request sends through the engine counts (the SQLite PRAGMAs run on connect, straight
on the driver's cursor, and never reach the engine's events).
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from werkzeug.datastructures import MultiDict

from models import Person, StepView, db

from .conftest import answer_token, start_quiz
from .factories import signed_in

# A step: the learner, then one INSERT that records a first view and skips a repeat.
# Helping, the helper's own row and their open session come first.
LIMITS = {
    "home": 6,
    "progress": 8,
    "step": 2,
    "guest step": 0,
    "helped step": 3,
    "question": 5,
    "answer": 5,
}


@contextmanager
def counting(app):
    """Collect the statements the engine runs inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def quiz_of(app, slug: str):
    return app.extensions["hocso_library"].get(slug).quiz("vi")


def finish_quiz(client, slug: str) -> None:
    """Answer every question of ``slug``'s quiz right, then finish the attempt."""
    quiz = quiz_of(client.application, slug)
    base = start_quiz(client, slug).rsplit("/", 1)[0]
    for number, question in enumerate(quiz.questions, start=1):
        url = f"{base}/{number}"
        right = MultiDict(question.form_for(question.correct_response()))
        right["token"] = answer_token(client, url)
        client.post(url, data=right)
    assert client.post(f"{base}/finish").status_code == 303


@pytest.fixture
def busy(client, learner):
    """The learner has seen steps of three modules, finished one lesson, and finished
    the quizzes of two modules."""
    for slug in ("vneid", "scam-calls", "strange-links"):
        for number in (1, 2):
            assert client.get(f"/lessons/{slug}/steps/{number}").status_code == 200
    assert client.post("/lessons/vneid/complete").status_code == 303
    finish_quiz(client, "vneid")
    finish_quiz(client, "scam-calls")
    return client


@pytest.fixture
def helping(busy, learner, communes):
    """A helper signed in on another phone helps the same learner: steps of one
    module, and the lesson of another finished with them."""
    app = busy.application
    with app.app_context():
        helper = Person(name="Chị Lan", birth_year=1990, commune_id=communes[0])
        helper.role = "helper"
        db.session.add(helper)
        db.session.commit()
        helper_id = helper.id
    client = signed_in(app, helper_id)
    assert client.post("/help/start", data={"learner": learner}).status_code == 303
    for number in (3, 4):
        assert client.get(f"/lessons/vneid/steps/{number}").status_code == 200
    assert client.post("/lessons/scam-calls/complete").status_code == 303
    return client


def measure(client, method: str, url: str, **kwargs) -> tuple[int, list[str]]:
    with counting(client.application) as statements:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 303), url
    return len(statements), statements


def test_home_and_progress(busy):
    for name, url in (("home", "/"), ("progress", "/progress")):
        count, statements = measure(busy, "get", url)
        assert count <= LIMITS[name], (name, count, statements)


def test_a_step_page_seen_first_and_again(busy):
    for url in ("/lessons/vneid/steps/3", "/lessons/vneid/steps/3"):
        count, statements = measure(busy, "get", url)
        assert count <= LIMITS["step"], (url, count, statements)
    # Seen again: one read (who is learning, and whether they saw it), no write.
    assert count == 1 and statements[0].lstrip().startswith("SELECT"), statements
    count, statements = measure(busy, "get", "/lessons/qr-payment/steps/1")
    assert count <= LIMITS["step"], ("another module", count, statements)


def test_a_guest_reads_a_step_without_a_statement(client, communes):
    """Reading needs no registration and records nothing: no SQL at all."""
    client.get("/lessons/vneid/steps/2")  # the step's parts rendered once
    count, statements = measure(client, "get", "/lessons/vneid/steps/2")
    assert count <= LIMITS["guest step"], (count, statements)


def test_a_step_seen_again_uses_no_id(busy, learner):
    """On PostgreSQL an INSERT that meets a conflict still draws an id; repeated views
    must not use the ids up."""
    for _again in range(3):
        busy.get("/lessons/vneid/steps/1")
    busy.get("/lessons/vneid/steps/5")
    with busy.application.app_context():
        ids = db.session.scalars(
            select(StepView.id)
            .where(StepView.person_id == learner)
            .order_by(StepView.id.desc())
            .limit(2)
        ).all()
    assert ids[0] == ids[1] + 1


def test_a_question_page_and_an_answer(busy):
    quiz = quiz_of(busy.application, "strange-links")
    url = start_quiz(busy, "strange-links")
    count, statements = measure(busy, "get", url)
    assert count <= LIMITS["question"], ("question", count, statements)
    question = quiz.question(1)
    right = MultiDict(question.form_for(question.correct_response()))
    right["token"] = answer_token(busy, url)
    count, statements = measure(busy, "post", url, data=right)
    assert count <= LIMITS["answer"], ("answer", count, statements)
    count, statements = measure(busy, "get", url)  # the feedback, graded once
    assert count <= LIMITS["question"], ("feedback", count, statements)


def test_the_pages_a_helper_sees_while_helping(helping):
    for name, url in (
        ("home", "/"),
        ("progress", "/progress"),
        ("helped step", "/lessons/vneid/steps/4"),
    ):
        count, statements = measure(helping, "get", url)
        assert count <= LIMITS[name], (name, count, statements)


def test_a_step_page_for_a_learner_signed_in_on_her_own_phone(app, learner):
    """Her sign-in and her row come in one statement (a join), so a card or a password
    costs the step page nothing more than a guest's."""
    phone = signed_in(app, learner)
    phone.get(
        "/lessons/vneid/steps/1"
    )  # her very first step also counts her as reached
    for url in ("/lessons/vneid/steps/2", "/lessons/vneid/steps/2"):
        count, statements = measure(phone, "get", url)
        assert count <= LIMITS["step"], (url, count, statements)
