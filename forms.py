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
    birth_year = WholeNumberField(
        _l("Year of birth"),
        description=_l("For example: 1950"),
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
