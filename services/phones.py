"""Phone numbers as HọcSố keeps them: digits (and a leading +), nothing else.

One normaliser for every way a number comes in: the sign-in box, the registration
and helper forms, spreadsheets of learners, and ``flask users create``.
"""

from __future__ import annotations

import re

SEPARATORS = " .-()"
SHORTEST = 8  # a landline without its area code is 8 digits
LONGEST = 15  # the longest international number (E.164)


def normalise_phone(text: str | None) -> str:
    """The number without spaces, dots, dashes or brackets ("" if nothing is left)."""
    return "".join(ch for ch in (text or "").strip() if ch not in SEPARATORS)


def is_phone(digits: str, shortest: int = SHORTEST) -> bool:
    """Whether a normalised number is ``shortest`` to 15 digits, with an optional +."""
    return re.fullmatch(rf"\+?[0-9]{{{shortest},{LONGEST}}}", digits) is not None
