"""Quizzes: one question per page, kind feedback, try again, and a result that points back.

Every question page is drawn from what is recorded, so a reload never loses or repeats
anything; each answer form carries a one-time token and an answer is stored once per token.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from content import Question, Quiz
from models import QuizAttempt, db
from services import quiz_attempts
from services.access import get_or_404
from services.drills import runs as drill_runs
from services.drills import today as drills_today
from services.quiz_attempts import Answered

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


def to_question(slug: str, attempt_id: int, number: int, query: str = ""):
    url = url_for("quiz.question", slug=slug, attempt_id=attempt_id, number=number)
    return redirect(url + query, code=303)


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
        token=secrets.token_urlsafe(16),
    )


@bp.post("/start")
@learner_required(back="quiz.intro")
def start(slug: str):
    """Start (or carry on with) an attempt; go to question ``at`` or the first not done.
    The same form sent twice leads to the same attempt."""
    person, quiz = current_person(), quiz_or_404(slug)
    token = request.form.get("token", "")
    at = request.form.get("at", type=int)
    started = quiz_attempts.start(
        person,
        quiz,
        slug,
        str(get_locale()),
        current_helper(),
        restart=bool(request.form.get("restart")),
        at=at,
        token=token,
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same form at the same moment: it made the attempt
        attempt = quiz_attempts.started_by(person, slug, token)
        if attempt is None:
            raise
        started = quiz_attempts.go_to(attempt, quiz, at)
    return to_question(slug, started.attempt.id, started.number)


@bp.get("/<int:attempt_id>/<int:number>")
@learner_required
def question(slug: str, attempt_id: int, number: int):
    """A question: the form, or the feedback on what was answered last."""
    quiz, attempt, current = question_or_404(slug, attempt_id, number)
    shown = quiz_attempts.feedback(attempt, current)
    return render_template(
        "quiz/question.html",
        lesson=lesson_or_404(slug),
        quiz=quiz,
        attempt=attempt,
        number=number,
        question=current,
        last=shown.last,
        grade=shown.grade,
        right=shown.right,
        tries=shown.tries,
        settled=shown.settled,
        token=secrets.token_urlsafe(16),
        next_number=number + 1 if number < len(quiz.questions) else None,
        finished=attempt.finished_at is not None,
        view=current.view_state(request.args),
    )


@bp.post("/<int:attempt_id>/<int:number>")
@learner_required(back="quiz.question")
def answer(slug: str, attempt_id: int, number: int):
    """Record an answer (or 'show me the answer') once, then show the question's feedback."""
    _quiz, attempt, current = question_or_404(slug, attempt_id, number)
    token = request.form.get("token", "")
    outcome = quiz_attempts.answer(
        attempt, current, request.form, token, reveal=bool(request.form.get("reveal"))
    )
    if outcome is Answered.EMPTY:
        return to_question(slug, attempt_id, number, "?empty=1")
    if outcome is Answered.RECORDED:
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # the same form again: it is already recorded
            if not quiz_attempts.already_recorded(token):
                raise
    # Straight to the feedback, with the answer bar under it (a long question may push it down).
    return to_question(slug, attempt_id, number, "#feedback")


@bp.post("/<int:attempt_id>/finish")
@learner_required(back="quiz.intro")
def finish(slug: str, attempt_id: int):
    """Close the attempt once every question is done, then show the result."""
    quiz = quiz_or_404(slug)
    attempt = get_or_404(QuizAttempt, attempt_id, current_person(), lesson=slug)
    remaining = quiz_attempts.finish(attempt, quiz)
    if remaining is not None:
        return to_question(slug, attempt_id, remaining)
    if quiz.passed(attempt.first_try_score or 0) and not lesson_or_404(slug).practice:
        drill_runs.begin(attempt.person, slug, drills_today())  # first pass: drills
    db.session.commit()
    return redirect(url_for("quiz.result", slug=slug, attempt_id=attempt_id), code=303)


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
        token=secrets.token_urlsafe(16),
    )
