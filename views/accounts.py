"""Signing in and out for helpers, trainers and admins, with tries limited per account
and per address. The counts live in the database, so every server worker shares them."""

from __future__ import annotations

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

from forms.accounts import SignInForm
from models import SignInAttempt, db
from services.accounts import (
    find_account,
    normalise_login,
    password_matches,
    record_failed_tries,
    too_many_tries,
    window_minutes,
)
from services.assists import end_sessions

from .common import safe_next

bp = Blueprint("accounts", __name__)


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
        if not blocked and password_matches(person, form.password.data):
            SignInAttempt.clear(f"account:{login}")
            db.session.commit()
            login_user(person, remember=True)
            current_app.logger.info("sign-in: person %s", person.id)
            return redirect(next_url, code=303)
        if not blocked:
            record_failed_tries(keys)
            db.session.commit()
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
        minutes=window_minutes(),
    )


@bp.post("/sign-out")
def sign_out():
    """Sign out of this browser; a helper's session beside a learner ends with it
    (nothing is recorded as helped by no one)."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    return redirect(url_for("main.home"), code=303)
