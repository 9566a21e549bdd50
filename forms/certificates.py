"""The public form that checks a certificate's verification code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired


class VerifyForm(FlaskForm):
    """Type the code printed on a certificate. Sent with GET (it changes nothing), so
    it carries no CSRF token and the result has an address of its own."""

    class Meta:
        csrf = False

    code = StringField(
        _l("The code on the certificate"),
        description=_l(
            "10 letters and numbers, for example KMN47-RTX9C. Small or capital "
            "letters both work."
        ),
        validators=[
            DataRequired(_l("Please type the code printed on the certificate."))
        ],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "autocorrect": "off",
            "spellcheck": "false",
        },
    )
