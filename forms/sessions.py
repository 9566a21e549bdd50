"""Forms of course sessions (views/sessions.py): the session, and a participant import.

Adding one participant reuses FindLearnerForm and HelpedLearnerForm (forms/learners.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .fields import CommuneField, SaidOnce

PAST_DAYS = 2 * 366  # a session up to two years back can still be recorded
FUTURE_DAYS = 366  # and one planned up to a year ahead


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; templates/sessions/_fields.html draws them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayField(SaidOnce, DateField):
    """A date picked in the browser's date input (YYYY-MM-DD), with our own message."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None  # empty: InputRequired says what to do
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(
                _l("Please choose the day from the calendar, for example 12/07/2025.")
            ) from None


class SessionForm(FlaskForm):
    """A course session: where and when, which modules, who helps."""

    commune = CommuneField(_l("Commune or ward"))
    held_on = DayField(
        _l("Day of the session"),
        validators=[InputRequired(_l("Please choose the day of the session."))],
    )
    place = StringField(
        _l("Place"),
        description=_l("For example: Commune police headquarters, meeting room"),
        validators=[
            DataRequired(_l("Please write where the session takes place.")),
            Length(max=200, message=_l("The place can have at most 200 characters.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    modules = CheckboxesField(
        _l("Modules taught"),
        description=_l("Tick at least one. They are taught in the course order."),
        validate_choice=False,
    )
    helpers = CheckboxesField(
        _l("Helpers (optional)"),
        coerce=int,
        validate_choice=False,
    )

    def validate_held_on(self, field: DayField) -> None:
        today = date.today()
        first, last = today - timedelta(PAST_DAYS), today + timedelta(FUTURE_DAYS)
        if not first <= field.data <= last:
            raise ValidationError(
                _l(
                    "Please choose a day between %(first)s and %(last)s.",
                    first=format_date(first, "dd/MM/yyyy"),
                    last=format_date(last, "dd/MM/yyyy"),
                )
            )

    def validate_modules(self, field: CheckboxesField) -> None:
        offered = {value for value, _label in field.choices}
        if not field.data:
            raise ValidationError(_l("Please tick at least one module."))
        if not set(field.data) <= offered:
            raise ValidationError(_l("Please tick only the modules listed."))

    def validate_helpers(self, field: CheckboxesField) -> None:
        offered = {value for value, _label in field.choices}
        if not set(field.data or []) <= offered:
            raise ValidationError(
                _l(
                    "A helper you ticked does not help in this commune. Please tick "
                    "the helpers again."
                )
            )


class ImportForm(FlaskForm):
    """The file of participants to import, and the commune of rows without a code."""

    commune = CommuneField(_l("The commune of people without a commune code"))
    file = FileField(
        _l("The file of participants (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Please choose the file to import.")),
            FileAllowed(
                ["csv", "xlsx"],
                _l("Please choose a .csv or .xlsx file (Excel: Save As .xlsx)."),
            ),
        ],
        render_kw={"accept": ".csv,.xlsx"},
    )


class ConfirmImportForm(FlaskForm):
    """Save the previewed rows: they come back signed, with the trainer's consent."""

    rows = HiddenField()
    consent = BooleanField(
        _l(
            "The people in the list have agreed that their name, year of birth and "
            "phone number are kept to follow their learning"
        ),
        validators=[
            DataRequired(
                _l(
                    "Please tick the box: only people who agreed may be saved. If "
                    "someone did not agree, take them out of the file and import it "
                    "again."
                )
            )
        ],
    )
