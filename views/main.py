"""Home page, the learner's progress page, and display settings (language, text size)."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from models import db
from services.drills import today as drills_today
from services.drills.schedule import SIZE, is_due
from services.standing import standing_of

from .common import current_person, library, safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """The modules as large tiles, with this learner's progress on each."""
    person = current_person()
    course, rooms = library().course(), library().practice_rooms()
    standing = standing_of(person, [*course, *rooms])
    tiles = [(lesson, standing[lesson.slug]) for lesson in course]
    rooms = [(lesson, standing[lesson.slug]) for lesson in rooms]
    now = drills_today()
    due = [
        (lesson, standing[lesson.slug])
        for lesson in course
        if lesson.drills and is_due(standing[lesson.slug].drill_due, now)
    ]
    return render_template(
        "main/home.html",
        tiles=tiles,
        rooms=rooms,
        person=person,
        due=due,
        drill_size=SIZE,
        token=secrets.token_urlsafe(16) if due else "",
    )


@bp.get("/progress")
def progress():
    """Everything recorded for the current learner, one row per module."""
    person = current_person()
    if person is None:
        return redirect(url_for("learners.start", next=request.full_path.rstrip("?")))
    lessons = library().ordered()
    standing = standing_of(person, lessons)
    rows = [(lesson, standing[lesson.slug]) for lesson in lessons]
    return render_template("main/progress.html", rows=rows, person=person)


@bp.post("/language")
def language():
    """Remember the chosen language for this browser."""
    return remember_setting("language", request.form.get("language"), "LANGUAGES")


@bp.post("/text-size")
def text_size():
    """Remember the chosen text size for this browser."""
    return remember_setting("text_size", request.form.get("size"), "TEXT_SIZES")


def remember_setting(key: str, chosen: str | None, allowed: str):
    """Keep a display setting in the session if it is one of config[allowed]; go back."""
    if chosen in current_app.config[allowed]:
        session.permanent = True
        session[key] = chosen
    return redirect(safe_next(request.form.get("next"), url_for("main.home")), code=303)


@bp.get("/practice")
def practice():
    """The practice room: one question of each practice type, each playable at once."""
    rooms = library().practice_rooms()
    if not rooms:
        abort(404)
    return redirect(url_for("quiz.intro", slug=rooms[0].slug))


@bp.get("/healthz")
def healthz():
    """For a load balancer: the app answers and reaches its database."""
    db.session.execute(select(1))
    return {"status": "ok", "lessons": len(library().lessons)}
