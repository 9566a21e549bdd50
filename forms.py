"""WTForms classes. Every label and message goes through the translation layer."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

OLDEST_BIRTH_YEAR = 1900


class LearnerForm(FlaskForm):
    """Who is learning: the minimum needed to keep their progress (no password yet)."""

    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Please write the learner's name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    birth_year = IntegerField(
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
    commune = SelectField(
        _l("Commune or ward"),
        coerce=int,
        validators=[InputRequired(_l("Please choose a commune or ward."))],
    )
