"""Fields and validators more than one form uses."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import TextInput

OLDEST_BIRTH_YEAR = 1900


class SaidOnce:
    """A field whose value could not be read says so once: the validators stay quiet."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(SaidOnce, IntegerField):
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
