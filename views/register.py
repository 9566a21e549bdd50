"""Self-study registration for youth members: an account with a phone or an email and a
password, in their commune. The progress made as a guest in this browser comes along."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forms.accounts import RegisterForm
from models import (
    AssistSession,
    LearnerCard,
    Person,
    db,
    utcnow,
)
from services import self_registration
from services.accounts import (
    login_taken,
    move_progress,
    normalise_login,
    record_failed_tries,
    too_many_tries,
    window_minutes,
)

from .common import browser, client_network, forget_person, sign_in_here

bp = Blueprint("register", __name__)


def guest_in_session() -> Person | None:
    """The guest learner this browser remembers, if it is only a guest.

    A guest has no password, PIN, card or assisted session: a learner a helper
    registered (with a card or beside them) stays their own record and is not merged.
    """
    person_id = session.get("person_id")
    if not isinstance(person_id, int):
        return None
    guest = db.session.get(Person, person_id)
    if (
        guest is None
        or guest.role != "learner"
        or guest.password_hash is not None
        or guest.pin_hash is not None
    ):
        return None
    has_card = select(LearnerCard.id).where(LearnerCard.person_id == guest.id)
    assisted = select(AssistSession.id).where(AssistSession.learner_id == guest.id)
    if db.session.scalar(has_card.limit(1)) or db.session.scalar(assisted.limit(1)):
        return None
    return guest


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a self-study account, sign in, and keep what the guest had learned here."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    form.commune.prepare(request.args)
    guest = guest_in_session()
    if guest is not None:
        form.carry_over.label.text = _(
            "Keep what %(name)s has learned on this phone in my new account",
            name=guest.name,
        )
    config = current_app.config
    address_key = f"register:{client_network()}"
    blocked = too_many_tries({address_key: config["SIGN_IN_MAX_PER_ADDRESS"]})
    submitted = not blocked and form.validate_on_submit()
    # Accounts count against the same limits as learners registering themselves.
    paused = (
        self_registration.blocked(request.remote_addr, browser()) if submitted else None
    )
    if submitted and paused is None:
        phone = normalise_login(form.phone.data or "") or None
        email = normalise_login(form.email.data or "") or None
        phone_taken, email_taken = login_taken(phone, email)
        if not (phone_taken or email_taken):
            person = create_account(form, phone, email, guest)
            if person is not None:
                return welcome(
                    person, carried=guest is not None and form.carry_over.data
                )
            phone_taken, email_taken = bool(phone), bool(email)  # lost a race
        if phone_taken:
            form.phone.errors.append(
                _(
                    "This phone number already has an account. Sign in with it, or write another one."
                )
            )
        if email_taken:
            form.email.errors.append(
                _(
                    "This email already has an account. Sign in with it, or write another one."
                )
            )
        # Counted, so the form cannot be used to test many numbers for an account.
        record_failed_tries([address_key])
        db.session.commit()
    html = render_template(
        "register/register.html",
        form=form,
        guest=guest,
        blocked=blocked,
        paused=paused.value if paused else None,
        minutes=window_minutes(),
    )
    return html, 429 if paused else 200


def create_account(
    form: RegisterForm, phone: str | None, email: str | None, guest: Person | None
) -> Person | None:
    """The new learner, with the guest's progress if asked (one transaction); None if
    the phone number or email was taken meanwhile."""
    person = Person(
        name=form.name.data.strip(),
        birth_year=form.birth_year.data,
        commune_id=form.commune.data,
        phone=phone,
        email=email,
        role="learner",
        consent_at=utcnow(),
    )
    person.set_password(form.password.data)
    db.session.add(person)
    self_registration.count(request.remote_addr, browser())
    try:
        db.session.flush()
        if guest is not None and form.carry_over.data:
            move_progress(guest, person)
            db.session.delete(guest)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return person


def welcome(person: Person, carried: bool):
    """Signed in on this browser from now on; the guest is no longer remembered."""
    forget_person()
    sign_in_here(person)
    current_app.logger.info("register: person %s", person.id)
    flash(_("Welcome, %(name)s! Your account is ready.", name=person.name))
    if carried:
        flash(_("Your earlier progress has been kept."))
    return redirect(url_for("main.home"), code=303)
