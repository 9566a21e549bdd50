"""Learner cards: the pages that issue and print them for a commune, and the pages a
learner signs in with on their own phone (services/cards.py does the work)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
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
from markupsafe import Markup
from sqlalchemy import select

from forms.cards import CardCodeForm, CardPinForm, SetPinForm
from models import Commune, LearnerCard, Person, db
from services.access import get_or_404, limit_to
from services.accounts import record_failed_tries, too_many_tries, window_minutes
from services.cards import (
    NewCard,
    active_card,
    card_by_token,
    check_pin,
    issue_card,
    learners_with_cards,
    set_pin,
    show_code,
    sign_in_by_code,
)
from services.codes import normalise_code

from .common import client_network, private, role_required, safe_next, sign_in_here

bp = Blueprint("cards", __name__)


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


def printed(new: NewCard) -> IssuedCard:
    """What the printed card shows: its link, as a QR code too, and its code."""
    url = card_url(new.token)
    qr = segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="qr-code"
    )
    return IssuedCard(
        person=new.card.person, url=url, code=show_code(new.code), qr=Markup(qr)
    )


def issue_for(person: Person) -> IssuedCard:
    """A new card for ``person``, issued by whoever is signed in (the caller commits)."""
    new = issue_card(person, current_user._get_current_object())
    return printed(new)


# --- Who may do what --------------------------------------------------------------------


staff_required = role_required("helper", start_again="cards.index")


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
    cards = [issue_for(person) for person in people]
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
            set_pin(person, None)
        card = issue_for(person)
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
    return f"address:{client_network()}"


def sign_in_with(card: LearnerCard) -> None:
    """Sign the card's learner in on this phone for a long while (no password)."""
    sign_in_here(card.person, card)  # replacing the card signs this phone out
    session.permanent = True
    current_app.logger.info("card sign-in: person %s, card %s", card.person_id, card.id)


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
        card, outcome = sign_in_by_code(
            normalise_code(form.code.data), form.pin.data, address_key()
        )
        if outcome == "ok":
            sign_in_with(card)
            flash(_("Welcome, %(name)s! You are signed in.", name=card.person.name))
            return redirect(next_url, code=303)
        blocked = outcome == "blocked"
        if card is not None:
            needs_pin = True
            pin_message(outcome, form)
            form.pin.render_kw = {**form.pin.render_kw, "autofocus": True}
        elif outcome == "unknown":
            form.code.errors.append(
                _(
                    "This code does not work. Please check the letters and numbers "
                    "on your card and try again."
                )
            )
        db.session.commit()  # the failed tries counted above
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
    card = card_by_token(token)
    if card is None:
        # A real token cannot be guessed, so only unknown ones are counted and limited.
        keys = {address_key(): current_app.config["SIGN_IN_MAX_PER_ADDRESS"]}
        if too_many_tries(keys):
            html = render_template(
                "cards/unknown.html", blocked=True, minutes=window_minutes()
            )
            return private(html, 429)
        record_failed_tries(keys)
        db.session.commit()
        return private(render_template("cards/unknown.html", blocked=False), 404)
    form = CardPinForm()
    person = card.person
    blocked = False
    if request.method == "POST" and form.validate_on_submit():
        outcome = check_pin(person, form.pin.data, address_key())
        if outcome == "ok":
            sign_in_with(card)
            flash(_("Welcome, %(name)s! You are signed in.", name=person.name))
            return redirect(url_for("main.home"), code=303)
        blocked = outcome == "blocked"
        pin_message(outcome, form)
        db.session.commit()  # the failed tries counted
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
        set_pin(person, form.pin.data)
        db.session.commit()
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
    set_pin(person, None)
    db.session.commit()
    flash(_("Your PIN is removed. Your card alone signs you in again."))
    return redirect(url_for("cards.pin"), code=303)
