"""QR payment rehearsal: scan a (sample) VietQR sticker, read YOUR screen, confirm or refuse.

A person-to-person VietQR holds only the bank and the account, never a name: the name
the banking app shows comes from the bank. So the learner checks the name and the
amount on the app's screen against the shop and the bill, not the sticker (content
brief §2.2). Each question is one payment: a swapped sticker, a wrong amount, an app
warning (SIMO, §2.6) or a genuine payment to confirm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..fields import Fields, whole_number
from ..vietqr import (
    PayloadError,
    check_account,
    check_bin,
    format_vnd,
    qr_svg,
    vietqr_payload,
)
from .base import Grade, Part, Question, register

CONFIRM, REFUSE = "confirm", "refuse"
MAX_VND = 1_000_000_000
STICKER_FIELDS = {"shop", "bin", "account", "amount", "message"}
SCREEN_FIELDS = {"bank", "name", "warning"}


@dataclass(frozen=True)
class Sticker:
    """The QR code at the counter: the shop's name as printed, and what the code holds."""

    shop: str
    bin: str
    account: str
    amount: int | None
    message: str | None
    payload: str
    svg: str


@dataclass(frozen=True)
class Screen:
    """What the banking app shows after scanning: the name comes from the bank."""

    name: str
    bank: str | None = None
    warning: str | None = None


@register
@dataclass
class QrPayment(Question):
    """Look at the banking app's screen after scanning, then confirm or refuse."""

    name = "qr_payment"
    template = "quiz/types/qr_payment.html"
    stylesheet = "css/types/qr_payment.css"
    script = "js/types/qr_payment.js"
    extra_fields = {
        "situation",
        "price",
        "sticker",
        "screen",
        "answer",
        "feedback",
        "reason",
    }

    situation: str | None = None
    price: int = 0
    sticker: Sticker | None = None
    screen: Screen | None = None
    answer: str = REFUSE
    feedback: str = ""
    reason: str = ""

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        situation = fields.text("situation", required=False)
        price = _amount(fields, "price", required=True)
        sticker = _sticker(fields)
        screen = _screen(fields)
        answer = fields.choice("answer", (CONFIRM, REFUSE)) or REFUSE
        feedback = fields.text("feedback") or ""
        reason = fields.text("reason") or ""
        if answer == CONFIRM and sticker and price:
            shown = sticker.amount or price
            if shown != price:
                fields.problem(
                    "answer",
                    f"'answer: confirm' but the QR code asks for {format_vnd(shown)} "
                    f"and the price is {format_vnd(price)}: a wrong amount is refused",
                )
        if answer == CONFIRM and screen and screen.warning:
            fields.problem(
                "answer",
                "'answer: confirm' but the screen shows a 'warning': when the banking "
                "app warns, the learner stops (answer: refuse)",
            )
        return cls(
            situation=situation,
            price=price or 0,
            sticker=sticker,
            screen=screen,
            answer=answer,
            feedback=feedback,
            reason=reason,
            **common,
        )

    @property
    def amount(self) -> int:
        """The amount on the app's screen: the QR code's, or the price the learner types."""
        if self.sticker and self.sticker.amount:
            return self.sticker.amount
        return self.price

    @property
    def amount_typed(self) -> bool:
        """True when the QR code holds no amount, so the learner typed it in the app."""
        return not (self.sticker and self.sticker.amount)

    def amount_text(self) -> str:
        return format_vnd(self.amount)

    def price_text(self) -> str:
        return format_vnd(self.price)

    def keys(self) -> Sequence[str]:
        return [CONFIRM, REFUSE]

    def response_from_form(self, form: Any) -> list[str] | None:
        """["confirm"] or ["refuse"], from the button the learner pressed."""
        chosen = {value for value in form.getlist("answer") if value in self.keys()}
        return [chosen.pop()] if len(chosen) == 1 else None

    def grade(self, response: Sequence[str]) -> Grade:
        correct = list(response) == [self.answer]
        name = self.screen.name if self.screen else ""
        part = Part(f"{name} · {self.amount_text()}", correct, self.reason)
        return Grade(correct, () if correct else (self.feedback,), parts=(part,))

    def correct_response(self) -> list[str]:
        return [self.answer]

    def shape(self) -> tuple[Any, ...]:
        return (
            *super().shape(),
            self.price,
            self.sticker.payload if self.sticker else None,
            bool(self.screen and self.screen.warning),
        )


def _amount(fields: Fields, key: str, required: bool = False) -> int | None:
    """A sum of money in whole đồng, written as digits only (180000)."""
    value = fields.given(key, required)
    if value is None:
        return None
    if not whole_number(value, 1, MAX_VND):
        fields.problem(
            key,
            f"'{key}' must be a whole number of đồng from 1 to {MAX_VND}, written "
            f"with digits only: 180000, not 180.000",
        )
        return None
    return value


def _section(fields: Fields, key: str, what: str) -> Fields | None:
    """A nested 'key: value' block (the sticker, the screen), or None with a problem."""
    node = fields.given(key)
    if node is None:
        return None
    if not isinstance(node, CommentedMap):
        fields.problem(
            key, f"'{key}' must be a set of 'key: value' lines, indented under it"
        )
        return None
    return Fields(node, fields.problems, what, fields.first_line)


def _code(section: Fields, key: str, check: Any) -> str | None:
    """A bank BIN or account number, in quotes so that leading zeros are kept."""
    value = section.given(key)
    if value is None:
        return None
    if not isinstance(value, str):
        section.problem(
            key,
            f"'{key}' must be written in quotes, e.g. {key}: \"{value}\" "
            f"(a number loses its leading zeros)",
        )
        return None
    try:
        return check(value.strip())
    except PayloadError as error:
        section.problem(key, str(error))
        return None


def _sticker(fields: Fields) -> Sticker | None:
    section = _section(fields, "sticker", "the sticker")
    if section is None:
        return None
    section.unknown(STICKER_FIELDS)
    shop = section.text("shop")
    bin_ = _code(section, "bin", check_bin)
    account = _code(section, "account", check_account)
    amount = _amount(section, "amount")
    message = section.text("message", required=False)
    if None in (shop, bin_, account) or (amount is None and "amount" in section.node):
        return None
    try:
        payload = vietqr_payload(bin_, account, amount, message, one_time=bool(amount))
    except PayloadError as error:
        section.problem(error.field, str(error))
        return None
    return Sticker(shop, bin_, account, amount, message, payload, qr_svg(payload))


def _screen(fields: Fields) -> Screen | None:
    section = _section(fields, "screen", "the banking app screen")
    if section is None:
        return None
    section.unknown(SCREEN_FIELDS)
    name = section.text("name")
    bank = section.text("bank", required=False)
    warning = section.text("warning", required=False)
    return Screen(name, bank, warning) if name else None
