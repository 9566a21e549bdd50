"""Lessons: the start page, one step per page, finishing, and the lesson images."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import escape
from werkzeug.security import safe_join

from models import commit_keeping_loaded, db
from models.people import GuestAtStep
from services.standing import standing_of

from .common import (
    current_helper,
    current_person,
    language,
    lesson_or_404,
)
from .page_cache import cached_page

bp = Blueprint("learn", __name__, url_prefix="/lessons")

# The pictures are drawn with their label in Vietnamese; other languages get theirs.
DRAWN_IN = "vi"
DRAWN_LABEL = ">HÌNH MINH HỌA</text>"


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
def step(slug: str, number: int):
    """One step of a lesson; seeing it is recorded once. A guest reads it all the same
    (nothing recorded) with a quiet offer to save their progress."""
    lesson = lesson_or_404(slug)
    text = lesson.text(language())
    if not 1 <= number <= len(text.steps):
        abort(404)
    learner = record_view(slug, number)

    def render(**names):
        return render_template(
            "learn/step.html",
            lesson=lesson,
            text=text,
            step=text.steps[number - 1],
            total=len(text.steps),
            **names,
        )

    return cached_page("learn.step", (slug, number), render, learner) or render()


def record_view(slug: str, number: int) -> str | None:
    """Record the step as seen by whoever is learning; their name (None: a guest,
    nothing recorded). A learner remembered in this browser without signing in, the
    usual case, is read with one statement and written only on a first view."""
    if not current_user.is_authenticated:
        person_id = session.get("person_id")
        guest = (
            GuestAtStep.find(person_id, slug, number)
            if isinstance(person_id, int)
            else None
        )
        if guest is not None and not guest.seen:
            guest.see(slug, number)
            db.session.commit()
        return guest.name if guest else None
    person = current_person()  # signed in: themselves, or the learner a helper sits by
    person.see_step(slug, number, helper=current_helper())
    commit_keeping_loaded()
    return person.name


@bp.post("/<slug>/complete")
def complete(slug: str):
    """The learner pressed 'Finish' on the last step; a guest goes on unrecorded (the
    quiz asks who is learning)."""
    lesson = lesson_or_404(slug)
    title = lesson.text(language()).title
    person = current_person()
    if person is None:
        flash(_("Well done! You have read the whole lesson “%(title)s”.", title=title))
    else:
        person.complete_lesson(slug, helper=current_helper())
        db.session.commit()
        flash(_("Well done! You have finished the lesson “%(title)s”.", title=title))
    if lesson.quizzes:
        return redirect(url_for("quiz.intro", slug=slug), code=303)
    return redirect(url_for("main.home"), code=303)


@bp.get("/images/<name>")
def image(name: str):
    """An SVG mock-up drawn for a lesson (lessons/images/)."""
    if not name.endswith(".svg"):
        abort(404)
    folder = f"{current_app.config['CONTENT_ROOT']}/lessons/images"
    shown_in = request.args.get("lang", DRAWN_IN)
    if shown_in == DRAWN_IN or shown_in not in current_app.config["LANGUAGES"]:
        return send_from_directory(folder, name, mimetype="image/svg+xml")
    path = safe_join(folder, name)
    try:
        with open(path or "", encoding="utf-8") as file:
            svg = file.read()
    except OSError:
        abort(404)
    with force_locale(shown_in):
        # Translators: the label on every lesson picture, saying it is only an example.
        label = _("EXAMPLE")
    response = current_app.response_class(
        svg.replace(DRAWN_LABEL, f">{escape(label)}</text>"), mimetype="image/svg+xml"
    )
    response.cache_control.public = True
    response.cache_control.max_age = int(
        current_app.config["SEND_FILE_MAX_AGE_DEFAULT"].total_seconds()
    )
    return response


def image_address(name: str, language: str) -> str:
    """The address of a lesson picture labelled in ``language``."""
    shown_in = None if language == DRAWN_IN else language
    return url_for("learn.image", name=name, lang=shown_in)
