"""Drills: a few practice items, weeks after a module's quiz was passed.

One item per page as in the quiz, with the quiz's own question templates and
grading; the first answer to each item is kept (once, however often the form is
sent), and its feedback shows at once with the right answer and the step to look
at again. Finishing moves the learner's schedule on (services/drills/runs.py).
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from content import Lesson, Quiz
from models import DrillAttempt, db
from services.access import get_or_404
from services.drills import runs, today
from services.drills.runs import Answered

from .common import (
    current_helper,
    current_person,
    language,
    learner_required,
    lesson_or_404,
)

bp = Blueprint("drills", __name__, url_prefix="/drills/<slug>")


def drilled_or_404(slug: str) -> tuple[Lesson, Quiz]:
    """The lesson and its drill bank in the page's language, or 404."""
    lesson = lesson_or_404(slug)
    bank = lesson.drill_bank(language())
    if bank is None:
        abort(404)
    return lesson, bank


def attempt_or_404(slug: str, attempt_id: int) -> DrillAttempt:
    return get_or_404(DrillAttempt, attempt_id, current_person(), lesson=slug)


def to_item(slug: str, attempt_id: int, number: int, query: str = ""):
    url = url_for("drills.item", slug=slug, attempt_id=attempt_id, number=number)
    return redirect(url + query, code=303)


@bp.get("/")
@learner_required
def intro(slug: str):
    """What today's drill is: the module, how many items, one button to start."""
    lesson, _bank = drilled_or_404(slug)
    plan = runs.schedule_of(current_person(), slug)
    return render_template(
        "drills/intro.html",
        lesson=lesson,
        plan=plan,
        due=plan is not None and plan.due_on is not None and plan.due_on <= today(),
        token=secrets.token_urlsafe(16),
    )


@bp.post("/start")
@learner_required
def start(slug: str):
    """Start today's drill (or carry on with it); the same form twice: the same drill."""
    lesson, _bank = drilled_or_404(slug)
    person, token = current_person(), request.form.get("token", "")
    attempt = runs.start(
        person, lesson, language(), today(), current_helper(), token=token
    )
    if attempt is None:
        return redirect(url_for("drills.intro", slug=slug), code=303)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same form at the same moment made it
        attempt = runs.started_by(person, token)
        if attempt is None:
            raise
    if attempt.finished_at is not None:
        return redirect(url_for("drills.result", slug=slug, attempt_id=attempt.id))
    return to_item(slug, attempt.id, runs.first_unanswered(attempt) or 1)


def item_or_404(slug: str, attempt_id: int, number: int):
    lesson, bank = drilled_or_404(slug)
    attempt = attempt_or_404(slug, attempt_id)
    if not 1 <= number <= len(attempt.items):
        abort(404)
    by_id = {question.id: question for question in bank.questions}
    question = by_id.get(attempt.items[number - 1])
    if question is None:  # an item taken out of the bank since: skip it kindly
        abort(404)
    return lesson, attempt, question


@bp.get("/<int:attempt_id>/<int:number>")
@learner_required
def item(slug: str, attempt_id: int, number: int):
    """One drill item: the question, or the feedback on the answer given."""
    lesson, attempt, question = item_or_404(slug, attempt_id, number)
    given = attempt.answer_to(question.id)
    total = len(attempt.items)
    return render_template(
        "drills/item.html",
        lesson=lesson,
        text=lesson.text(language()),
        attempt=attempt,
        number=number,
        total=total,
        question=question,
        last=given,
        grade=question.grade(given.response) if given else None,
        right=question.grade(question.correct_response()) if given else None,
        tries=0,
        next_number=number + 1 if number < total else None,
        view=question.view_state(request.args),
        question_endpoint="drills.item",
    )


@bp.post("/<int:attempt_id>/<int:number>")
@learner_required
def answer(slug: str, attempt_id: int, number: int):
    """Keep the first answer to this item (once), then show its feedback."""
    _lesson, attempt, question = item_or_404(slug, attempt_id, number)
    outcome = runs.answer(attempt, question, request.form)
    if outcome is Answered.EMPTY:
        return to_item(slug, attempt_id, number, "?empty=1")
    db.session.commit()
    return to_item(slug, attempt_id, number)


@bp.post("/<int:attempt_id>/finish")
@learner_required
def finish(slug: str, attempt_id: int):
    """Close the drill once every item is answered, then show how it went."""
    attempt = attempt_or_404(slug, attempt_id)
    remaining = runs.finish(attempt, today())
    if remaining is not None:
        return to_item(slug, attempt_id, remaining)
    db.session.commit()
    return redirect(url_for("drills.result", slug=slug, attempt_id=attempt_id), 303)


@bp.get("/<int:attempt_id>/result")
@learner_required
def result(slug: str, attempt_id: int):
    """Right on the first try, the steps worth another look, and the next drill."""
    lesson, bank = drilled_or_404(slug)
    attempt = attempt_or_404(slug, attempt_id)
    if attempt.finished_at is None:
        return redirect(url_for("drills.intro", slug=slug))
    by_id = {question.id: question for question in bank.questions}
    missed = [
        by_id[a.item_id]
        for a in attempt.answers
        if not a.correct and a.item_id in by_id
    ]
    return render_template(
        "drills/result.html",
        lesson=lesson,
        text=lesson.text(language()),
        attempt=attempt,
        missed=missed,
        plan=runs.schedule_of(current_person(), slug),
    )
