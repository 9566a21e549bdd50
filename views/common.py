"""What every blueprint needs: the content library, the current learner, safe redirects."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from content import Lesson, Library
from models import Person, db


def library() -> Library:
    return current_app.extensions["hocso_library"]


def lesson_or_404(slug: str) -> Lesson:
    lesson = library().get(slug)
    if lesson is None:
        abort(404)
    return lesson


def current_person() -> Person | None:
    """The learner remembered in this browser's session, if any."""
    if "person" not in g:
        person_id = session.get("person_id")
        g.person = (
            db.session.get(Person, person_id) if isinstance(person_id, int) else None
        )
    return g.person


def remember_person(person: Person) -> None:
    session.permanent = True
    session["person_id"] = person.id
    g.person = person


def forget_person() -> None:
    session.pop("person_id", None)
    g.person = None


def learner_required(view):
    """Send visitors who have not said who is learning to the short 'who are you' form."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_person() is None:
            return redirect(
                url_for("learners.start", next=request.full_path.rstrip("?"))
            )
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None, default: str) -> str:
    """Only follow a 'next' address that stays on this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return default
    return target.rstrip("?") or default
