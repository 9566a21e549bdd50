"""People's names as Vietnamese lists treat them: matched without accents, sorted
by the given name. No Flask here: imports, reports and pages all use it."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so "nguyen thi nga" finds "Nguyễn Thị Nga"."""
    text = text.replace("đ", "d").replace("Đ", "D")  # đ is a letter of its own
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return " ".join(bare.casefold().split())


def name_order(name: str) -> tuple[str, str]:
    """Vietnamese lists go by the given name, the last word: Nga before Tâm."""
    folded = fold(name)
    return (folded.rsplit(" ", 1)[-1], folded)
