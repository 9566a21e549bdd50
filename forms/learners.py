"""Who is learning: a guest learner, and learners a helper finds or registers
(views/learners.py, views/helpers.py, views/sessions.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from services.phones import is_phone, normalise_phone

from .fields import (
    OLDEST_BIRTH_YEAR,
    CommuneField,
    WholeNumberField,
    birth_year_field,
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
    commune = CommuneField(_l("Commune or ward"))


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
        """Keep digits only (spaces, dots, dashes and brackets dropped), 8 to 15."""
        digits = normalise_phone(field.data)
        if digits and not is_phone(digits):
            raise ValidationError(
                _l("Please write only the digits, for example 0912 345 678.")
            )
        field.data = digits or None
