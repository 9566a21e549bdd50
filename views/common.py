"""What every blueprint needs: the content library, the current learner, safe redirects."""

from __future__ import annotations

import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_user
from sqlalchemy.orm import joinedload

from content import Lesson, Library
from models import AssistSession, LearnerCard, Person, db
from services import sign_ins
from services.addresses import network_of

PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def private(html: str, status: int = 200):
    """A page with a learner's name, code or token on it: never cached or indexed."""
    response = make_response(html, status)
    response.headers.update(PRIVATE)
    return response


def language() -> str:
    """The language pages are shown in now (the learner's choice, Vietnamese first)."""
    return str(get_locale())


def text_size() -> str:
    """The text size chosen in this browser (one of TEXT_SIZES; normal by default)."""
    size = session.get("text_size")
    return size if size in current_app.config["TEXT_SIZES"] else "normal"


def library() -> Library:
    return current_app.extensions["hocso_library"]


def lesson_or_404(slug: str) -> Lesson:
    lesson = library().get(slug)
    if lesson is None:
        abort(404)
    return lesson


def current_assist() -> AssistSession | None:
    """The open session of the signed-in helper sitting beside a learner, if any."""
    if "assist" not in g:
        g.assist = None
        assist_id = session.get("assist_id")
        if current_user.is_authenticated and isinstance(assist_id, int):
            # With the learner: every page a helper opens shows whose progress it is.
            assist = db.session.get(
                AssistSession, assist_id, options=[joinedload(AssistSession.learner)]
            )
            if (
                assist
                and assist.ended_at is None
                and assist.helper_id == current_user.id
            ):
                g.assist = assist
    return g.assist


def current_helper() -> Person | None:
    """Who is assisting the current learner (None when they learn alone)."""
    assist = current_assist()
    return assist.helper if assist else None


def current_person() -> Person | None:
    """The learner whose progress is recorded now.

    A helper running an assisted session: the learner beside them. Someone signed in
    (with a card, a PIN or a password): themselves. Otherwise the guest learner
    remembered in this browser's session, if any.
    """
    if "person" not in g:
        assist = current_assist()
        if assist is not None:
            g.person = assist.learner
        elif current_user.is_authenticated:
            g.person = current_user._get_current_object()
        else:
            person_id = session.get("person_id")
            g.person = Person.find(person_id) if isinstance(person_id, int) else None
    return g.person


def sign_in_here(person: Person, card: LearnerCard | None = None) -> None:
    """Sign ``person`` in on this browser with a sign-in of its own (opened with
    ``card``, if any) that the server can end; commits."""
    sign_ins.start(person, card)  # the person now carries its token, for Flask-Login
    db.session.commit()
    login_user(person, remember=True, duration=sign_ins.lifetime(person))


def remember_person(person: Person) -> None:
    """Remember a guest learner in this browser (no sign-in)."""
    session.permanent = True
    session["person_id"] = person.id
    g.person = person


def forget_person() -> None:
    session.pop("person_id", None)
    g.person = None


def learner_required(view=None, *, back: str | None = None):
    """Send visitors who have not said who is learning to the short 'who are you' form,
    which brings them back to this page; from a form (a POST), back to the ``back``
    endpoint (with the same arguments), since the form's address serves no page."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_person() is None:
                if request.method == "GET" or back is None:
                    here = request.full_path.rstrip("?")
                else:
                    rule = next(current_app.url_map.iter_rules(back))
                    here = url_for(back, **{k: kwargs[k] for k in rule.arguments})
                return redirect(url_for("learners.start", next=here))
            return view(*args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def role_required(role: str, start_again: str):
    """Only ``role`` and above. Visitors sign in first (coming back to the page, or to
    the ``start_again`` endpoint after a form); anyone else signed in gets 404."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                back = (
                    request.full_path.rstrip("?")
                    if request.method == "GET"
                    else url_for(start_again)
                )
                return redirect(url_for("accounts.sign_in", next=back))
            if not current_user.has_role(role):
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorate


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


def client_network() -> str:
    """This request's address as the limiters count it (IPv6 by its /64)."""
    return network_of(request.remote_addr)


def browser() -> str:
    """This browser's own name among those registering learners (kept in its cookie)."""
    if "browser" not in session:
        session["browser"] = secrets.token_urlsafe(12)
    return session["browser"]
