"""WTForms classes. Every label and message goes through the translation layer."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import TextInput

OLDEST_BIRTH_YEAR = 1900


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" message is ours, translated, and said once."""

    widget = (
        TextInput()
    )  # not type=number: its arrows change the year at a stray scroll

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None  # empty: InputRequired says what to write
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(
                _l("Please write only digits, for example 1950.")
            ) from None

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:
            raise StopValidation()


def birth_year_field(example) -> WholeNumberField:
    """A year of birth: digits only, from 1900 to this year, with an example."""
    return WholeNumberField(
        _l("Year of birth"),
        description=example,
        validators=[
            InputRequired(_l("Please write the year of birth, for example 1950.")),
            NumberRange(
                OLDEST_BIRTH_YEAR,
                date.today().year,
                _l("The year of birth must be between %(min)s and %(max)s."),
            ),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year"},
    )


class LearnerForm(FlaskForm):
    """Who is learning: the minimum needed to keep their progress (no password yet)."""

    name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Please write the learner's name.")),
            Length(max=120),
        ],
        render_kw={"autocomplete": "name"},
    )
    birth_year = birth_year_field(_l("For example: 1950"))
    commune = SelectField(_l("Commune or ward"), coerce=int, validate_choice=False)

    def validate_commune(self, field: SelectField) -> None:
        """The placeholder, or an id not offered (an edited form), is no choice."""
        offered = {value for value, _label in field.choices if value}
        if field.data not in offered:
            raise ValidationError(_l("Please choose a commune or ward."))


class SignInForm(FlaskForm):
    """Helpers, trainers and admins: phone or email, and a password."""

    login = StringField(
        _l("Phone number or email"),
        validators=[DataRequired(_l("Please write your phone number or email."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please write your password."))],
        render_kw={"autocomplete": "current-password"},
    )


# --- Self-study registration (views/register.py) ------------------------------------

import re  # noqa: E402

from wtforms import BooleanField, EmailField, TelField  # noqa: E402
from wtforms.validators import EqualTo  # noqa: E402

PASSWORD_MIN_LENGTH = 12
_PHONE = re.compile(r"\+?\d{9,15}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _without_separators(text: str | None) -> str:
    """A phone number as views/accounts.normalise_login keeps it: no spaces, dots, dashes."""
    return "".join(ch for ch in (text or "").strip() if ch not in " .-")


class RegisterForm(FlaskForm):
    """Self-study: a youth member's own account (phone or email, and a password)."""

    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Please write your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    birth_year = birth_year_field(_l("For example: 2004"))
    commune = SelectField(_l("Commune or ward"), coerce=int, validate_choice=False)
    phone = TelField(
        _l("Phone number"),
        description=_l(
            "You will sign in with your phone number or your email: write at least one."
        ),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    email = EmailField(
        _l("Email"),
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Password"),
        description=_l(
            "At least 12 characters. A short sentence you will remember is a good password."
        ),
        validators=[
            DataRequired(_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN_LENGTH,
                message=_l("The password must have at least 12 characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Please write the password a second time.")),
            EqualTo(
                "password",
                _l("The two passwords are not the same. Please write them again."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    consent = BooleanField(
        _l(
            "I agree that HọcSố keeps my name, year of birth, commune, phone number or "
            "email, and what I learn, to record my progress."
        ),
        validators=[
            DataRequired(
                _l("Please tick the box to agree, so that we can keep your progress.")
            )
        ],
    )
    # Shown only when this browser has a guest learner: keep their progress (ticked).
    carry_over = BooleanField(default=True)

    def validate_commune(self, field: SelectField) -> None:
        offered = {value for value, _label in field.choices if value}
        if field.data not in offered:
            raise ValidationError(_l("Please choose a commune or ward."))

    def validate_phone(self, field: TelField) -> None:
        """At least a phone number or an email; a phone number is digits (and a +)."""
        phone = _without_separators(field.data)
        if not phone:
            if not (self.email.data or "").strip():
                raise ValidationError(
                    _l("Please write a phone number or an email, to sign in with.")
                )
            return
        if not _PHONE.fullmatch(phone):
            raise ValidationError(
                _l("Please write the phone number in digits, for example 0912 345 678.")
            )

    def validate_email(self, field: EmailField) -> None:
        email = (field.data or "").strip()
        if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
            raise ValidationError(
                _l("Please write the whole email, for example mai@example.com.")
            )


# --- Helper-assisted sessions (views/helpers.py) -------------------------------------

import re as _re  # noqa: E402

from wtforms import BooleanField  # noqa: E402
from wtforms.validators import Optional  # noqa: E402


class FindLearnerForm(FlaskForm):
    """Find a learner of the helper's communes by name, year of birth, or both."""

    class Meta:
        csrf = False  # a search (GET) changes nothing

    name = StringField(
        _l("Name"),
        description=_l("With or without accents, for example: nga"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    born = WholeNumberField(
        _l("Year of birth"),
        validators=[
            Optional(),
            NumberRange(
                OLDEST_BIRTH_YEAR,
                date.today().year,
                _l("The year of birth must be between %(min)s and %(max)s."),
            ),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    commune = SelectField(_l("Commune or ward"), coerce=int, validate_choice=False)


class HelpedLearnerForm(LearnerForm):
    """A learner registered by a helper: who they are, a phone if they like, consent."""

    phone = StringField(
        _l("Phone number (optional)"),
        validators=[Optional(), Length(max=30)],
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )
    consent = BooleanField(
        _l("The learner has heard this and agrees"),
        validators=[
            DataRequired(
                _l(
                    "Please read the text above to the learner, and tick the box "
                    "only if they agree."
                )
            )
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Typed on the helper's phone: its autofill would offer the helper's own details.
        for field in (self.name, self.birth_year):
            field.render_kw = {**(field.render_kw or {}), "autocomplete": "off"}

    def validate_phone(self, field: StringField) -> None:
        """Keep digits only (spaces, dots and dashes dropped), 8 to 15 of them."""
        digits = "".join(ch for ch in field.data or "" if ch not in " .-")
        if digits and not _re.fullmatch(r"\+?[0-9]{8,15}", digits):
            raise ValidationError(
                _l("Please write only the digits, for example 0912 345 678.")
            )
        field.data = digits or None


# --- Learner cards and the optional PIN (views/cards.py) -----------------------------

from wtforms.validators import EqualTo as _EqualTo  # noqa: E402
from wtforms.validators import Regexp as _Regexp  # noqa: E402


def _digits_only(text: str | None) -> str | None:
    """A PIN typed with spaces ("12 34") is still the PIN."""
    return "".join((text or "").split()) or None


_PIN_RENDER = {"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}


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
    pin = PasswordField(
        _l("Your PIN"),
        description=_l("The 4 to 6 digits you chose."),
        filters=[_digits_only],
        render_kw=_PIN_RENDER,
    )


class CardPinForm(FlaskForm):
    """Confirm a sign-in from a card's QR link (with the PIN, if they set one)."""

    pin = PasswordField(
        _l("Your PIN"),
        description=_l("The 4 to 6 digits you chose."),
        filters=[_digits_only],
        render_kw=_PIN_RENDER,
    )


class SetPinForm(FlaskForm):
    """A learner chooses a PIN of 4 to 6 digits."""

    pin = PasswordField(
        _l("New PIN"),
        description=_l("4 to 6 digits, for example 2580. Not your bank PIN."),
        filters=[_digits_only],
        validators=[
            DataRequired(_l("Please type 4 to 6 digits.")),
            _Regexp(r"^[0-9]{4,6}$", message=_l("A PIN is 4 to 6 digits.")),
        ],
        render_kw={**_PIN_RENDER, "autocomplete": "new-password"},
    )
    pin_again = PasswordField(
        _l("The same PIN again"),
        filters=[_digits_only],
        validators=[
            DataRequired(_l("Please type the PIN a second time.")),
            _EqualTo(
                "pin", _l("The two PINs are not the same. Please type them again.")
            ),
        ],
        render_kw={**_PIN_RENDER, "autocomplete": "new-password"},
    )
