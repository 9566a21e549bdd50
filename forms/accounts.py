"""Signing in, and a youth member's own account (views/accounts.py, views/register.py)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from services.phones import is_phone, normalise_phone

from .fields import CommuneField, birth_year_field

PASSWORD_MIN_LENGTH = 12
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def new_password_field(label) -> PasswordField:
    """A new password: at least 12 characters."""
    return PasswordField(
        label,
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


def password_again_field(label) -> PasswordField:
    """The new password once more, the same as the field named ``password``."""
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Please write the password a second time.")),
            EqualTo(
                "password",
                _l("The two passwords are not the same. Please write them again."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


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


class RegisterForm(FlaskForm):
    """Self-study: a youth member's own account (phone or email, and a password)."""

    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Please write your name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    birth_year = birth_year_field(_l("For example: 2004"))
    commune = CommuneField(_l("Commune or ward"))
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
    password = new_password_field(_l("Password"))
    confirm = password_again_field(_l("Password again"))
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

    def validate_phone(self, field: TelField) -> None:
        """At least a phone number or an email; a phone number is digits (and a +)."""
        phone = normalise_phone(field.data)
        if not phone:
            if not (self.email.data or "").strip():
                raise ValidationError(
                    _l("Please write a phone number or an email, to sign in with.")
                )
            return
        if not is_phone(phone, shortest=9):
            raise ValidationError(
                _l("Please write the phone number in digits, for example 0912 345 678.")
            )

    def validate_email(self, field: EmailField) -> None:
        email = (field.data or "").strip()
        if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
            raise ValidationError(
                _l("Please write the whole email, for example mai@example.com.")
            )


class ChangePasswordForm(FlaskForm):
    """Someone who signs in with a password chooses a new one, after the current one."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please write your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("New password"))
    confirm = password_again_field(_l("New password again"))
