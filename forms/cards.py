"""Signing in with a learner card, and the optional PIN (views/cards.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Regexp


def _digits_only(text: str | None) -> str | None:
    """A PIN typed with spaces ("12 34") is still the PIN."""
    return "".join((text or "").split()) or None


_PIN_RENDER = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}


def _card_pin() -> PasswordField:
    """The PIN typed after a card, by a learner who set one."""
    return PasswordField(
        _l("Your PIN"),
        description=_l("The 4 to 6 digits you chose."),
        filters=[_digits_only],
        render_kw=_PIN_RENDER,
    )


class CardCodeForm(FlaskForm):
    """Sign in with the code printed on a learner card (and the PIN, if they set one)."""

    code = StringField(
        _l("The code on your card"),
        description=_l(
            "8 letters and numbers, for example KMN4-7RTX. Small or capital letters "
            "both work."
        ),
        validators=[DataRequired(_l("Please type the code on your card."))],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "autocorrect": "off",
            "spellcheck": "false",
        },
    )
    pin = _card_pin()


class CardPinForm(FlaskForm):
    """Confirm a sign-in from a card's QR link (with the PIN, if they set one)."""

    pin = _card_pin()


class SetPinForm(FlaskForm):
    """A learner chooses a PIN of 4 to 6 digits."""

    pin = PasswordField(
        _l("New PIN"),
        description=_l("4 to 6 digits, for example 2580. Not your bank PIN."),
        filters=[_digits_only],
        validators=[
            DataRequired(_l("Please type 4 to 6 digits.")),
            Regexp(r"^[0-9]{4,6}$", message=_l("A PIN is 4 to 6 digits.")),
        ],
        render_kw={**_PIN_RENDER, "autocomplete": "new-password"},
    )
    pin_again = PasswordField(
        _l("The same PIN again"),
        filters=[_digits_only],
        validators=[
            DataRequired(_l("Please type the PIN a second time.")),
            EqualTo(
                "pin", _l("The two PINs are not the same. Please type them again.")
            ),
        ],
        render_kw={**_PIN_RENDER, "autocomplete": "new-password"},
    )
