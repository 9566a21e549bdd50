"""Quiz attempts as a state machine (services/quiz_attempts.py): the outcome of each
operation, and each answer graded once per request."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from models import Commune, Person, Province, db
from services import quiz_attempts
from services.quiz_attempts import Answered

from .conftest import answer_token, start_quiz


def vneid(app):
    return app.extensions["hocso_library"].get("vneid").quiz("vi")


def wrong_key(question) -> str:
    return next(o.key for o in question.options if not o.correct)


def right_form(question, token: str = "t" * 16) -> MultiDict:
    form = MultiDict(question.form_for(question.correct_response()))
    form["token"] = token
    return form


@pytest.fixture
def person(app):
    """A learner in the database; the test runs inside an app context."""
    with app.app_context():
        province = Province(code="Q-01", name="Tỉnh Thử")
        commune = Commune(code="Q-0101", name="Xã Một", province=province)
        learner = Person(name="Bà Nga", birth_year=1946, commune=commune)
        db.session.add(learner)
        db.session.commit()
        yield learner


def test_start_carries_on_and_answers_say_what_became_of_them(app, person):
    quiz = vneid(app)
    first, second = quiz.question(1), quiz.question(2)
    started = quiz_attempts.start(person, quiz, "vneid", "vi")
    assert started.number == 1
    attempt = started.attempt
    assert (
        quiz_attempts.answer(attempt, first, MultiDict(), "short") is Answered.IGNORED
    )
    assert quiz_attempts.answer(attempt, first, MultiDict(), "t" * 16) is Answered.EMPTY
    wrong = MultiDict({"answer": wrong_key(first)})
    assert quiz_attempts.answer(attempt, first, wrong, "w" * 16) is Answered.RECORDED
    right = right_form(first, "r" * 16)
    assert quiz_attempts.answer(attempt, first, right, "r" * 16) is Answered.RECORDED
    again = right_form(first, "a" * 16)
    assert quiz_attempts.answer(attempt, first, again, "a" * 16) is Answered.IGNORED
    db.session.commit()
    assert quiz_attempts.start(person, quiz, "vneid", "vi").attempt is attempt
    assert quiz_attempts.start(person, quiz, "vneid", "vi").number == 2
    assert quiz_attempts.start(person, quiz, "vneid", "vi", at=3).number == 3
    assert quiz_attempts.finish(attempt, quiz) == 2 and attempt.finished_at is None
    revealed = quiz_attempts.answer(attempt, second, MultiDict(), "s" * 16, reveal=True)
    assert revealed is Answered.RECORDED
    shown = quiz_attempts.feedback(attempt, second)
    assert shown.settled and shown.grade is None and shown.right.correct
    assert quiz_attempts.already_recorded("r" * 16)
    assert not quiz_attempts.already_recorded("x" * 16)
    restarted = quiz_attempts.start(person, quiz, "vneid", "vi", restart=True)
    assert restarted.attempt is not attempt


def test_finishing_keeps_the_first_try_score(app, person):
    quiz = vneid(app)
    attempt = quiz_attempts.start(person, quiz, "vneid", "vi").attempt
    for n, question in enumerate(quiz.questions):
        token = f"token-{n:04d}"
        quiz_attempts.answer(attempt, question, right_form(question, token), token)
    assert quiz_attempts.finish(attempt, quiz) is None
    assert attempt.first_try_score == len(quiz.questions)
    assert attempt.finished_at is not None


def test_each_answer_is_graded_once_per_request(client, learner, monkeypatch):
    question = vneid(client.application).question(1)
    grade = type(question).grade
    calls: list[tuple] = []

    def counted(self, response):
        calls.append(tuple(response))
        return grade(self, response)

    monkeypatch.setattr(type(question), "grade", counted)
    url = start_quiz(client)
    form = {"token": answer_token(client, url), "answer": wrong_key(question)}
    calls.clear()
    client.post(url, data=form)
    assert len(calls) == 1  # recording it
    client.get(url)
    assert len(calls) == 2  # its feedback
    client.post(url, data={"token": answer_token(client, url), "reveal": "1"})
    calls.clear()
    page = client.get(url).get_data(as_text=True)
    assert "Câu trả lời đúng:" in page
    assert calls == [tuple(question.correct_response())]  # the right answer, once
