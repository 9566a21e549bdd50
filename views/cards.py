"""Learner cards: a QR link and a short typed code that sign a learner in on their own
phone, an optional PIN, and a printable A4 sheet of cards for a commune.

Only hashes are kept. The QR token has 256 random bits, so a plain SHA-256 of it is
enough. The typed code is short (8 characters of 17, about 33 bits), so its hash is an
HMAC keyed with the app's SECRET_KEY: it can be looked up by index, and a copy of the
database alone cannot be searched for codes. A PIN is checked against one known learner,
so it gets werkzeug's salted, slow hash, like a password.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user, user_logged_in
from markupsafe import Markup
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from forms import CardCodeForm, CardPinForm, SetPinForm
from models import Commune, LearnerCard, Person, SignInAttempt, db, utcnow
from services.access import get_or_404, limit_to
from services.codes import CODE_ALPHABET, normalise_code

from .accounts import record_failed_tries, too_many_tries
from .common import role_required, safe_next

bp = Blueprint("cards", __name__)

# No vowels, no D, no W: a Vietnamese keyboard (Telex or VNI) turns "AF" into "À",
# "DD" into "Đ", "W" into "Ư" and "A6" into "Â". No look-alikes (0/O, 1/I/L, 2/Z, 5/S,
# 8/B, 6/G) either.
CODE_LENGTH = 8
TOKEN_IN_PATH = re.compile(r"(/card/)[A-Za-z0-9_-]{16,}")
VIETNAM = timezone(timedelta(hours=7))
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


# --- Codes, tokens and their hashes ------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_code(code: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, b"card-code:" + code.encode(), hashlib.sha256).hexdigest()


# --- Issuing cards ------------------------------------------------------------------------


@dataclass
class IssuedCard:
    """A card just issued: the only time its token and code exist outside a hash."""

    person: Person
    url: str
    code: str
    qr: Markup


def card_url(token: str) -> str:
    """The card's absolute link; PUBLIC_URL, when set, says how phones reach this site."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("cards.token", token=token)
    return url_for("cards.token", token=token, _external=True)


def site_address() -> str:
    """Where to type the code, as printed on a card ("hocso.example.vn/card")."""
    parts = urlsplit(card_url("x"))
    return parts.netloc + url_for("cards.code")


def only_this_computer() -> bool:
    """Card links to 127.0.0.1 or localhost cannot be opened on a learner's phone."""
    host = urlsplit(card_url("x")).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def issue_card(person: Person) -> IssuedCard:
    """Revoke the learner's cards and make a new one; the caller commits."""
    db.session.execute(
        update(LearnerCard)
        .where(LearnerCard.person_id == person.id, LearnerCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    token = new_token()
    while True:  # a code used before, even on a revoked card, is not given again
        code = new_code()
        code_hash = hash_code(code)
        used = select(LearnerCard.id).where(LearnerCard.code_hash == code_hash)
        if db.session.scalar(used) is None:
            break
    card = LearnerCard(
        person_id=person.id,
        token_hash=hash_token(token),
        code_hash=code_hash,
        issued_by_id=current_user.id,
    )
    db.session.add(card)
    db.session.flush()
    current_app.logger.info(
        "card %s issued: person %s by %s", card.id, person.id, current_user.id
    )
    url = card_url(token)
    qr = segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="qr-code"
    )
    return IssuedCard(person=person, url=url, code=show_code(code), qr=Markup(qr))


def active_card(*conditions) -> LearnerCard | None:
    """The unrevoked card matching ``conditions``, if it still belongs to a learner."""
    query = (
        select(LearnerCard)
        .join(Person, LearnerCard.person_id == Person.id)
        .where(*conditions, LearnerCard.revoked_at.is_(None), Person.role == "learner")
    )
    return db.session.scalars(query).first()


# --- Who may do what --------------------------------------------------------------------


staff_required = role_required("helper", start_again="cards.index")


def learners_with_cards(commune: Commune) -> list[tuple[Person, LearnerCard | None]]:
    """The commune's learners by name, each with their card in use (or None)."""
    query = (
        select(Person, LearnerCard)
        .outerjoin(
            LearnerCard,
            (LearnerCard.person_id == Person.id) & LearnerCard.revoked_at.is_(None),
        )
        .where(Person.commune_id == commune.id, Person.role == "learner")
        .order_by(Person.name, Person.id, LearnerCard.id.desc())
    )
    rows: dict[int, tuple[Person, LearnerCard | None]] = {}
    for person, card in db.session.execute(query):
        rows.setdefault(person.id, (person, card))
    return list(rows.values())


@bp.app_template_filter("card_date")
def card_date(moment: datetime) -> str:
    """The day a card was issued, as people in Vietnam write it (UTC+7)."""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")


def private(html: str, status: int = 200):
    """A page showing a code, a token or a name behind a card: never cached or indexed."""
    response = make_response(html, status)
    response.headers.update(PRIVATE)
    return response


# --- Pages for helpers, trainers and admins ------------------------------------------------


@bp.get("/cards/")
@staff_required
def index():
    """The communes whose learner cards this person may issue and print."""
    query = limit_to(current_user, select(Commune).order_by(Commune.name), Commune)
    return render_template("cards/index.html", communes=db.session.scalars(query))


@bp.get("/cards/commune/<int:commune_id>")
@staff_required
def commune(commune_id: int):
    """A commune's learners, who has a card, and the buttons that print a sheet of cards."""
    commune = get_or_404(Commune, commune_id, current_user)
    rows = learners_with_cards(commune)
    return render_template(
        "cards/commune.html",
        commune=commune,
        rows=rows,
        missing=sum(card is None for _person, card in rows),
        can_reissue_all=current_user.has_role("trainer"),
    )


@bp.post("/cards/commune/<int:commune_id>/issue")
@staff_required
def issue_sheet(commune_id: int):
    """Issue cards for learners with none, for the ones ticked, or (trainers) for all;
    show them once, 8 to an A4 page."""
    commune = get_or_404(Commune, commune_id, current_user)
    rows = learners_with_cards(commune)
    which = request.form.get("which")
    back = redirect(url_for("cards.commune", commune_id=commune.id), code=303)
    if which == "missing":
        people = [person for person, card in rows if card is None]
    elif which == "selected":
        ticked = request.form.getlist("learner")
        if not all(value.isdigit() for value in ticked):
            abort(404)
        wanted = {int(value) for value in ticked}
        if not wanted <= {person.id for person, _card in rows}:
            abort(404)  # not a learner of this commune: reveal nothing
        people = [person for person, _card in rows if person.id in wanted]
    elif which == "all":
        if not current_user.has_role("trainer"):
            abort(404)
        if request.form.get("confirm") != "yes":
            flash(_("Nothing was changed. To replace every card, tick the box first."))
            return back
        people = [person for person, _card in rows]
    else:
        abort(400)
    if not people:
        if which == "missing":
            flash(_("Every learner of this commune already has a card."))
        else:
            flash(_("Please tick at least one learner."))
        return back
    cards = [issue_card(person) for person in people]
    db.session.commit()
    pages = [cards[start : start + 8] for start in range(0, len(cards), 8)]
    html = render_template(
        "cards/sheet.html",
        commune=commune,
        pages=pages,
        count=len(cards),
        site=site_address(),
        only_this_computer=only_this_computer(),
    )
    return private(html)


@bp.route("/cards/learner/<int:person_id>", methods=["GET", "POST"])
@staff_required
def issue(person_id: int):
    """Issue a learner's card (a new one replaces the old) and show it once, to print."""
    person = get_or_404(Person, person_id, current_user)
    if request.method == "POST":
        if request.form.get("forget_pin") == "yes":
            person.pin_hash = None
        card = issue_card(person)
        db.session.commit()
        html = render_template(
            "cards/card.html",
            card=card,
            site=site_address(),
            only_this_computer=only_this_computer(),
        )
        return private(html)
    current = active_card(LearnerCard.person_id == person.id)
    return render_template("cards/issue.html", person=person, current=current)


# --- Signing in with a card ----------------------------------------------------------------


def address_key() -> str:
    return f"address:{request.remote_addr}"


def check_pin(person: Person, pin: str | None) -> str:
    """'ok', or why not: 'missing', 'wrong' or 'blocked' (tries counted per learner)."""
    if person.pin_hash is None:
        return "ok"
    if not pin:
        return "missing"
    config = current_app.config
    keys = {
        f"pin:{person.id}": config["SIGN_IN_MAX_PER_ACCOUNT"],
        address_key(): config["SIGN_IN_MAX_PER_ADDRESS"],
    }
    if too_many_tries(keys):
        return "blocked"
    if check_password_hash(person.pin_hash, pin):
        SignInAttempt.clear(f"pin:{person.id}")
        return "ok"
    record_failed_tries(keys)
    return "wrong"


def sign_in_with(card: LearnerCard) -> None:
    """Sign the card's learner in on this phone for a long while (no password)."""
    login_user(card.person, remember=True)
    session.permanent = True
    session["card_id"] = card.id  # so that revoking the card signs this phone out
    db.session.commit()
    current_app.logger.info("card sign-in: person %s, card %s", card.person_id, card.id)


def window_minutes() -> int:
    return int(current_app.config["SIGN_IN_WINDOW"].total_seconds() // 60)


def pin_message(outcome: str, form) -> None:
    """A wrong PIN is an error; a missing one only asks for it (the page says so)."""
    if outcome == "wrong":
        form.pin.errors.append(_("That PIN is not right. Please try again."))


@bp.route("/card", methods=["GET", "POST"])
def code():
    """Sign in by typing the code printed on the card (and the PIN, if one was set)."""
    form = CardCodeForm()
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    blocked = needs_pin = False
    if form.validate_on_submit():
        code = normalise_code(form.code.data)
        code_hash = hash_code(code)
        config = current_app.config
        keys = {
            f"card:{code_hash[:16]}": config["SIGN_IN_MAX_PER_ACCOUNT"],
            address_key(): config["SIGN_IN_MAX_PER_ADDRESS"],
        }
        blocked = too_many_tries(keys)
        card = None
        if not blocked and len(code) == CODE_LENGTH:
            card = active_card(LearnerCard.code_hash == code_hash)
        if card is not None:
            outcome = check_pin(card.person, form.pin.data)
            if outcome == "ok":
                SignInAttempt.clear(f"card:{code_hash[:16]}")
                sign_in_with(card)
                flash(_("Welcome, %(name)s! You are signed in.", name=card.person.name))
                return redirect(next_url, code=303)
            needs_pin, blocked = True, outcome == "blocked"
            pin_message(outcome, form)
            form.pin.render_kw = {**form.pin.render_kw, "autofocus": True}
        elif not blocked:
            record_failed_tries(keys)
            form.code.errors.append(
                _(
                    "This code does not work. Please check the letters and numbers "
                    "on your card and try again."
                )
            )
    html = render_template(
        "cards/code.html",
        form=form,
        next_url=next_url,
        blocked=blocked,
        needs_pin=needs_pin,
        minutes=window_minutes(),
    )
    return private(html)


@bp.route("/card/<token>", methods=["GET", "POST"])
def token(token: str):
    """A card's QR link: GET asks "Sign in as …?", only POST signs in (link previews
    and scanners only GET)."""
    card = None
    if len(token) <= 100:
        card = active_card(LearnerCard.token_hash == hash_token(token))
    if card is None:
        # A real token cannot be guessed, so only unknown ones are counted and limited.
        keys = {address_key(): current_app.config["SIGN_IN_MAX_PER_ADDRESS"]}
        if too_many_tries(keys):
            html = render_template(
                "cards/unknown.html", blocked=True, minutes=window_minutes()
            )
            return private(html, 429)
        record_failed_tries(keys)
        return private(render_template("cards/unknown.html", blocked=False), 404)
    form = CardPinForm()
    person = card.person
    blocked = False
    if request.method == "POST" and form.validate_on_submit():
        outcome = check_pin(person, form.pin.data)
        if outcome == "ok":
            sign_in_with(card)
            flash(_("Welcome, %(name)s! You are signed in.", name=person.name))
            return redirect(url_for("main.home"), code=303)
        blocked = outcome == "blocked"
        pin_message(outcome, form)
    already = current_user.is_authenticated and current_user.id == person.id
    html = render_template(
        "cards/confirm.html",
        form=form,
        person=person,
        token=token,
        already=already,
        needs_pin=person.pin_hash is not None,
        blocked=blocked,
        minutes=window_minutes(),
    )
    return private(html)


# --- The optional PIN ------------------------------------------------------------------


def signed_in_learner():
    """The learner signed in here, or a response: sign in first (visitors), 404 (staff)."""
    if not current_user.is_authenticated:
        next_url = url_for("cards.pin")
        return None, redirect(url_for("cards.code", next=next_url))
    if current_user.role != "learner":
        abort(404)
    return current_user._get_current_object(), None


@bp.route("/card/pin", methods=["GET", "POST"])
def pin():
    """A signed-in learner chooses (or changes) a PIN of 4 to 6 digits."""
    person, response = signed_in_learner()
    if response is not None:
        return response
    form = SetPinForm()
    if form.validate_on_submit():
        person.pin_hash = generate_password_hash(form.pin.data)
        db.session.commit()
        current_app.logger.info("PIN set: person %s", person.id)
        flash(_("Your PIN is saved. From now on, type it after your card."))
        return redirect(url_for("cards.pin"), code=303)
    has_pin = person.pin_hash is not None
    return private(render_template("cards/pin.html", form=form, has_pin=has_pin))


@bp.post("/card/pin/remove")
def remove_pin():
    """A signed-in learner goes back to signing in with the card alone."""
    person, response = signed_in_learner()
    if response is not None:
        return response
    person.pin_hash = None
    db.session.commit()
    current_app.logger.info("PIN removed: person %s", person.id)
    flash(_("Your PIN is removed. Your card alone signs you in again."))
    return redirect(url_for("cards.pin"), code=303)


# --- A revoked card signs its phones out; tokens stay out of the logs ---------------------


@bp.before_app_request
def sign_out_revoked_card():
    """A phone signed in with a card that was since replaced (or a learner who became a
    helper) is signed out: a lost card stops working, even where it was already used."""
    card_id = session.get("card_id")
    if card_id is None or request.endpoint == "static":
        return
    if not current_user.is_authenticated:
        session.pop("card_id", None)
        return
    card = db.session.get(LearnerCard, card_id) if isinstance(card_id, int) else None
    if (
        card is None
        or card.revoked_at is not None
        or card.person_id != current_user.id
        or current_user.role != "learner"
    ):
        logout_user()
        session.pop("card_id", None)


def _forget_card(_sender, **_extra) -> None:
    """Someone signing in (a helper with a password, say) no longer holds a card here."""
    session.pop("card_id", None)


class RedactCardTokens(logging.Filter):
    """Access logs (werkzeug, gunicorn) and error logs write "/card/[token]" instead of
    the secret in a card's link."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = TOKEN_IN_PATH.sub(r"\1[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


REDACT = RedactCardTokens()


@bp.record_once
def _install(state) -> None:
    user_logged_in.connect(_forget_card, state.app)
    for logger in (
        logging.getLogger("werkzeug"),
        logging.getLogger("gunicorn.access"),
        logging.getLogger("gunicorn.error"),
        state.app.logger,
    ):
        logger.addFilter(REDACT)
