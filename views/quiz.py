"""Quizzes: one question per page, kind feedback, try again, and a result that points back.

Every question page is drawn from what is recorded, so a reload never loses or repeats
anything; each answer form carries a one-time token and an answer is stored once per token.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from content import Question, Quiz
from models import Answer, QuizAttempt, db
from services.access import get_or_404

from .common import current_helper, current_person, learner_required, lesson_or_404

bp = Blueprint("quiz", __name__, url_prefix="/lessons/<slug>/quiz")


def quiz_or_404(slug: str) -> Quiz:
    quiz = lesson_or_404(slug).quiz(str(get_locale()))
    if quiz is None:
        abort(404)
    return quiz


def question_or_404(
    slug: str, attempt_id: int, number: int
) -> tuple[Quiz, QuizAttempt, Question]:
    """The quiz, the learner's attempt and the question at ``number``, or 404."""
    quiz = quiz_or_404(slug)
    attempt = get_or_404(QuizAttempt, attempt_id, current_person(), lesson=slug)
    if not 1 <= number <= len(quiz.questions):
        abort(404)
    return quiz, attempt, quiz.question(number)


def to_question(slug: str, attempt: QuizAttempt, number: int, query: str = ""):
    url = url_for("quiz.question", slug=slug, attempt_id=attempt.id, number=number)
    return redirect(url + query, code=303)


def first_unsettled(attempt: QuizAttempt, quiz: Quiz) -> int | None:
    for number, question in enumerate(quiz.questions, start=1):
        if not attempt.is_settled(question.id):
            return number
    return None


@bp.get("/")
def intro(slug: str):
    """What the quiz is like before starting: how many questions, no time limit."""
    lesson = lesson_or_404(slug)
    quiz = quiz_or_404(slug)
    person = current_person()
    return render_template(
        "quiz/intro.html",
        lesson=lesson,
        text=lesson.text(str(get_locale())),
        quiz=quiz,
        open_attempt=person.open_attempt(slug, current_helper() is not None)
        if person
        else None,
    )


@bp.post("/start")
@learner_required
def start(slug: str):
    """Start (or carry on with) an attempt; go to question ``at`` or the first not done."""
    quiz = quiz_or_404(slug)
    person = current_person()
    helper = current_helper()
    assisted = helper is not None
    attempt = (
        None if request.form.get("restart") else person.open_attempt(slug, assisted)
    )
    if attempt is None:
        attempt = QuizAttempt(
            person=person,
            lesson=slug,
            language=str(get_locale()),
            question_count=len(quiz.questions),
            assisted=assisted,
            assisted_by_id=helper.id if helper else None,
        )
        db.session.add(attempt)
        db.session.commit()
    chosen = request.form.get("at", type=int)
    if chosen is not None and 1 <= chosen <= len(quiz.questions):
        return to_question(slug, attempt, chosen)
    number = first_unsettled(attempt, quiz) or len(quiz.questions)
    return to_question(slug, attempt, number)


@bp.get("/<int:attempt_id>/<int:number>")
@learner_required
def question(slug: str, attempt_id: int, number: int):
    """A question: the form, or the feedback on what was answered last."""
    quiz, attempt, current = question_or_404(slug, attempt_id, number)
    answers = attempt.answers_to(current.id)
    last = answers[-1] if answers else None
    return render_template(
        "quiz/question.html",
        lesson=lesson_or_404(slug),
        quiz=quiz,
        attempt=attempt,
        number=number,
        question=current,
        last=last,
        grade=current.grade(last.response) if last and not last.revealed else None,
        tries=len(answers),
        settled=attempt.is_settled(current.id),
        token=secrets.token_urlsafe(16),
        next_number=number + 1 if number < len(quiz.questions) else None,
        finished=attempt.finished_at is not None,
        view=current.view_state(request.args),
    )


@bp.post("/<int:attempt_id>/<int:number>")
@learner_required
def answer(slug: str, attempt_id: int, number: int):
    """Record an answer (or 'show me the answer') once, then show the question's feedback."""
    _quiz, attempt, current = question_or_404(slug, attempt_id, number)
    token = request.form.get("token", "")
    if (
        attempt.finished_at
        or attempt.is_settled(current.id)
        or not 8 <= len(token) <= 64
    ):
        return to_question(slug, attempt, number)
    if request.form.get("reveal"):
        attempt.record(current.id, [], correct=False, token=token).revealed = True
    else:
        response = current.response_from_form(request.form)
        if response is None:
            return to_question(slug, attempt, number, "?empty=1")
        attempt.record(current.id, response, current.grade(response).correct, token)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same form again: it is already recorded
        if db.session.scalar(select(Answer.id).where(Answer.token == token)) is None:
            raise
    return to_question(slug, attempt, number)


@bp.post("/<int:attempt_id>/finish")
@learner_required
def finish(slug: str, attempt_id: int):
    """Close the attempt once every question is done, then show the result."""
    quiz = quiz_or_404(slug)
    attempt = get_or_404(QuizAttempt, attempt_id, current_person(), lesson=slug)
    remaining = first_unsettled(attempt, quiz)
    if remaining is not None:
        return to_question(slug, attempt, remaining)
    attempt.finish([q.id for q in quiz.questions])
    db.session.commit()
    return redirect(url_for("quiz.result", slug=slug, attempt_id=attempt.id), code=303)


@bp.get("/<int:attempt_id>/result")
@learner_required
def result(slug: str, attempt_id: int):
    """The score on first tries, and the steps to look at again for each question missed."""
    lesson = lesson_or_404(slug)
    quiz = quiz_or_404(slug)
    attempt = get_or_404(QuizAttempt, attempt_id, current_person(), lesson=slug)
    if attempt.finished_at is None:
        return redirect(url_for("quiz.intro", slug=slug))
    text = lesson.text(str(get_locale()))
    missed = [q for q in quiz.questions if not attempt.first_try_right(q.id)]
    return render_template(
        "quiz/result.html",
        lesson=lesson,
        text=text,
        quiz=quiz,
        attempt=attempt,
        missed=missed,
        passed=quiz.passed(attempt.first_try_score or 0),
    )
