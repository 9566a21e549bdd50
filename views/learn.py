"""Lessons: the start page, one step per page, finishing, and the lesson images."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from models import commit_keeping_loaded, db
from services.standing import standing_of

from .common import (
    current_helper,
    current_person,
    language,
    learner_required,
    lesson_or_404,
)

bp = Blueprint("learn", __name__, url_prefix="/lessons")


@bp.get("/<slug>")
def lesson(slug: str):
    """A lesson's start page: what it teaches, how long, its steps, its sources."""
    lesson = lesson_or_404(slug)
    standing = standing_of(current_person(), [lesson])[slug]
    text = lesson.text(language())
    seen = standing.steps_seen
    # Partly done: carry on at the first step not seen yet (the last one if all were seen).
    unseen = [step.number for step in text.steps if step.number not in seen]
    resume = (unseen[0] if unseen else len(text.steps)) if seen else None
    return render_template(
        "learn/lesson.html",
        lesson=lesson,
        text=text,
        seen=seen,
        completed=standing.completed,
        resume=None if standing.completed else resume,
    )


@bp.get("/<slug>/handout")
def handout(slug: str):
    """The whole lesson on one or two A4 pages in large print, to print and hand out."""
    lesson = lesson_or_404(slug)
    return render_template(
        "learn/handout.html", lesson=lesson, text=lesson.text(language())
    )


@bp.get("/<slug>/steps/<int:number>")
@learner_required
def step(slug: str, number: int):
    """One step of a lesson; seeing it is recorded once."""
    lesson = lesson_or_404(slug)
    text = lesson.text(language())
    if not 1 <= number <= len(text.steps):
        abort(404)
    person = current_person()
    person.see_step(slug, number, helper=current_helper())
    commit_keeping_loaded()
    return render_template(
        "learn/step.html",
        lesson=lesson,
        text=text,
        step=text.steps[number - 1],
        total=len(text.steps),
    )


@bp.post("/<slug>/complete")
@learner_required
def complete(slug: str):
    """The learner pressed 'Finish' on the last step."""
    lesson = lesson_or_404(slug)
    current_person().complete_lesson(slug, helper=current_helper())
    db.session.commit()
    flash(
        _(
            "Well done! You have finished the lesson “%(title)s”.",
            title=lesson.text(language()).title,
        )
    )
    if lesson.quizzes:
        return redirect(url_for("quiz.intro", slug=slug), code=303)
    return redirect(url_for("main.home"), code=303)


@bp.get("/images/<name>")
def image(name: str):
    """An SVG mock-up drawn for a lesson (lessons/images/)."""
    if not name.endswith(".svg"):
        abort(404)
    folder = f"{current_app.config['CONTENT_ROOT']}/lessons/images"
    return send_from_directory(folder, name, mimetype="image/svg+xml")
