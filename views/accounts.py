"""Signing in and out for helpers, trainers and admins, with tries limited per account
and per address. The counts live in the database, so every server worker shares them."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, or_, select

from forms import SignInForm
from models import Person, SignInAttempt, db, utcnow

from .common import safe_next

bp = Blueprint("accounts", __name__)


def normalise_login(text: str) -> str:
    """Emails compare in lower case; phone numbers without spaces, dots or dashes."""
    text = text.strip()
    if "@" in text:
        return text.lower()
    return "".join(ch for ch in text if ch not in " .-")


def find_account(login: str) -> Person | None:
    """The person who may sign in with this phone number or email."""
    query = select(Person).where(
        Person.password_hash.is_not(None),
        or_(func.lower(Person.email) == login, Person.phone == login),
    )
    return db.session.scalars(query).first()


def record_failed_tries(keys) -> None:
    """Count one failed try for each key (shared by every worker) and commit."""
    window = current_app.config["SIGN_IN_WINDOW"]
    SignInAttempt.record(list(keys), forget_before=utcnow() - window)
    db.session.commit()


def too_many_tries(keys: dict[str, int]) -> bool:
    since = utcnow() - current_app.config["SIGN_IN_WINDOW"]
    return any(SignInAttempt.recent(key, since) >= limit for key, limit in keys.items())


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in with a phone number or an email and a password."""
    form = SignInForm()
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url)
    blocked = False
    if form.validate_on_submit():
        login = normalise_login(form.login.data)
        config = current_app.config
        keys = {
            f"account:{login}": config["SIGN_IN_MAX_PER_ACCOUNT"],
            f"address:{request.remote_addr}": config["SIGN_IN_MAX_PER_ADDRESS"],
        }
        blocked = too_many_tries(keys)
        person = None if blocked else find_account(login)
        if person is not None and person.check_password(form.password.data):
            SignInAttempt.clear(f"account:{login}")
            db.session.commit()
            login_user(person, remember=True)
            current_app.logger.info("sign-in: person %s", person.id)
            return redirect(next_url, code=303)
        if not blocked:
            record_failed_tries(keys)
            form.password.errors.append(
                _(
                    "That phone number or email and password do not match. Please try again."
                )
            )
    return render_template(
        "accounts/sign_in.html",
        form=form,
        next_url=next_url,
        blocked=blocked,
        minutes=int(current_app.config["SIGN_IN_WINDOW"] / timedelta(minutes=1)),
    )


@bp.post("/sign-out")
def sign_out():
    """Sign out of this browser."""
    logout_user()
    return redirect(url_for("main.home"), code=303)
