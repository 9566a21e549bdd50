"""Fields and validators more than one form uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import TextInput

from models import Commune, Person, Province
from services import communes

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


class CommuneField(Field):
    """A commune chosen by id: from the few someone acts in, or found by province and
    a few letters (templates/_commune.html draws it; views call ``prepare`` first)."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.within: Person | None = None
        self.args: Mapping[str, str] = {}
        self.commune: Commune | None = None

    def _value(self) -> str:
        return str(self.data) if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return  # not in the form: the commune given by the view stays
        try:
            self.data = int(valuelist[0]) if valuelist[0] else None
        except ValueError:
            self.data = None

    def prepare(self, args: Mapping[str, str], within: Person | None = None) -> None:
        """Offer the communes ``within`` acts in (None: anyone may choose any), and
        search as ``args`` ask (``province``, ``q``) when the picker is drawn."""
        self.within, self.args = within, args
        self.commune = communes.chosen(self.data, within)

    @cached_property
    def few(self) -> list[Commune] | None:
        """All the communes offered, when they are few; None when a search is needed."""
        return communes.few_of(self.within)

    @property
    def only_one(self) -> bool:
        """Someone acting in one commune only: there is nothing to choose."""
        return self.few is not None and len(self.few) == 1

    @cached_property
    def provinces(self) -> list[Province]:
        return communes.provinces(self.within)

    @cached_property
    def letters(self) -> str:
        return (self.args.get("q") or "").strip()[:60]

    @cached_property
    def province_id(self) -> int | None:
        """The province asked for, or the chosen commune's, ``within``'s own, or the
        only one there is."""
        asked = self.args.get("province", "")
        known = {province.id for province in self.provinces}
        if asked.isdigit() and int(asked) in known:
            return int(asked)
        if self.commune is not None:
            return self.commune.province_id
        if self.within is not None and self.within.commune.province_id in known:
            return self.within.commune.province_id
        return self.provinces[0].id if len(self.provinces) == 1 else None

    @cached_property
    def found(self) -> communes.Found:
        return communes.search(self.province_id, self.letters, self.within)

    @property
    def options(self) -> list[Commune]:
        """The communes offered as choices: the few, or the chosen one and those found."""
        if self.few is not None:
            return self.few
        shown = list(self.found.communes)
        if self.commune is not None and self.commune not in shown:
            shown.insert(0, self.commune)
        return shown

    def pre_validate(self, form: FlaskForm) -> None:
        if self.commune is None or self.commune.id != self.data:
            raise StopValidation(_l("Please choose a commune or ward."))


class CommuneSearchForm(FlaskForm):
    """The picker's search on its own (views/communes.py): ``chosen`` stays listed."""

    class Meta:
        csrf = False  # a search (GET) changes nothing

    chosen = CommuneField(_l("Commune or ward"))
