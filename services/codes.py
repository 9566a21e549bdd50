"""Short codes people type from paper (learner cards, certificates).

The alphabet has no vowels, D or W: on a Vietnamese Telex or VNI keyboard "AF",
"DD", "W" or "A6" turn into accented letters as they are typed.
"""

from __future__ import annotations

import secrets
import unicodedata

CODE_ALPHABET = "CFHJKMNPRTVX34679"


def normalise_code(text: str) -> str:
    """Capitals, letters and digits only: "kmn4 7rtx" and "KMN4-7RTX" are one code."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def new_code(length: int) -> str:
    """A random code of ``length`` characters from ``CODE_ALPHABET``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
