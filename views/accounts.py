"""Signing in and out for helpers, trainers, admins and self-study learners, with tries
limited per account and per address (the counts live in the database, so every server
worker shares them); signing out everywhere, and changing the password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from forms.accounts import ChangePasswordForm, SignInForm
from models import SignInAttempt, db
from services import sign_ins
from services.accounts import (
    change_password,
    find_account,
    normalise_login,
    password_matches,
    record_failed_tries,
    too_many_tries,
    window_minutes,
)
from services.assists import end_sessions

from .common import client_network, private, safe_next, sign_in_here

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
            f"address:{client_network()}": config["SIGN_IN_MAX_PER_ADDRESS"],
        }
        blocked = too_many_tries(keys)
        person = None if blocked else find_account(login)
        if not blocked and password_matches(person, form.password.data):
            SignInAttempt.clear(f"account:{login}")
            sign_in_here(person)
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
    """Sign out of this browser for good (its cookies, even copied, open nothing
    again); a helper's session beside a learner ends with it (nothing is recorded as
    helped by no one)."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        sign_ins.end(current_user)
        db.session.commit()
    logout_user()
    return redirect(url_for("main.home"), code=303)


@bp.post("/sign-out/everywhere")
def sign_out_everywhere():
    """Sign out of every phone and computer this person is signed in on, this one too."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        ended = sign_ins.end_all(current_user)
        db.session.commit()
        current_app.logger.info(
            "signed out everywhere: person %s, %s sign-ins", current_user.id, ended
        )
        logout_user()
        flash(_("You are signed out on every phone and computer."))
    return redirect(url_for("main.home"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change one's password (the current one first): every other browser is signed
    out, this one stays. Card learners have no password (404)."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in", next=url_for("accounts.password")))
    person = current_user._get_current_object()
    if person.password_hash is None:
        abort(404)
    form = ChangePasswordForm()
    blocked = False
    if form.validate_on_submit():
        outcome = change_password(person, form.current.data, form.password.data)
        db.session.commit()
        if outcome == "ok":
            flash(
                _(
                    "Your password is changed. Every other phone and computer is "
                    "signed out; this one stays signed in."
                )
            )
            return redirect(url_for("accounts.password"), code=303)
        blocked = outcome == "blocked"
        if outcome == "wrong":
            form.current.errors.append(
                _(
                    "That is not your current password. Nothing was changed. "
                    "Please try again."
                )
            )
    html = render_template(
        "accounts/password.html", form=form, blocked=blocked, minutes=window_minutes()
    )
    return private(html)
