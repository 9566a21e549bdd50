"""Shared parts of the "mark each item" practice types (an SMS inbox, web addresses).

Each item (a message, an address) has an id, a right verdict out of two words (scam or
safe; fake or real), a few fixed "note" words (red flags, tricks) and free-text
feedback. A response holds one ``ID=VERDICT`` entry per item, e.g.
``["m1=scam", "m2=safe"]``.

The note words come with an explanation written once, in English, marked with ``N_``
so it is extracted into the interface catalogue (translations/); grades carry them as
``Part.notes`` and the page shows them in the learner's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ruamel.yaml.comments import CommentedSeq

from ..fields import Fields
from .base import FormData, Grade, Part, Question

ITEM_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


@dataclass(frozen=True)
class Item:
    """One thing to judge: its id, its right verdict, its notes and its feedback."""

    id: str
    verdict: str
    feedback: str = ""
    notes: tuple[str, ...] = ()
    line: int = 0

    @property
    def label(self) -> str:
        """How the item is named in the feedback list."""
        return self.id


@dataclass
class MarkingQuestion(Question):
    """A question whose items are each given one of two verdicts."""

    many_right = True
    script = "js/types/marking.js"
    stylesheet = "css/types/marking.css"
    verdicts: ClassVar[tuple[str, str]]  # (the bad one, the good one)
    verdict_labels: ClassVar[Mapping[str, str]]  # verdict → English word (N_)
    note_texts: ClassVar[Mapping[str, str]]  # note word → English explanation (N_)

    items: list[Any] = field(default_factory=list)

    # --- Reading the YAML ---------------------------------------------------------------

    @staticmethod
    def read_items(
        fields: Fields,
        key: str,
        word: str,
        read: Callable[[Fields, str, int], Item | None],
    ) -> list[Any]:
        """Read the list ``key``; ``read(item_fields, id, line)`` builds each item.

        Checks what every item shares: a well-formed id, used once.
        """
        items = []
        seen: dict[str, int] = {}
        for number, (node, line) in enumerate(fields.items(key, minimum=2), start=1):
            item_fields = Fields(
                node, fields.problems, f"{word} {number}", fields.first_line
            )
            item_id = item_fields.text("id")
            if item_id is not None and not ITEM_ID.fullmatch(item_id):
                item_fields.problem(
                    "id",
                    f"'id' must be lower-case letters and digits joined by '-' "
                    f"(found '{item_id}')",
                )
                item_id = None
            if item_id is not None and item_id in seen:
                fields.problems.add(
                    line,
                    f"{word} id '{item_id}' is listed twice "
                    f"(first on line {seen[item_id]})",
                )
                item_id = None
            if item_id is not None:
                seen[item_id] = line
            item = read(item_fields, item_id or "", line)
            if item is not None and item_id is not None:
                items.append(item)
        return items

    @classmethod
    def read_notes(cls, item: Fields, key: str) -> tuple[str, ...]:
        """A list of note words (``[link, otp]``, or one word alone), each known, once."""
        value = item.node.get(key)
        if value is None:
            return ()
        words = value if isinstance(value, CommentedSeq) else [value]
        allowed = ", ".join(cls.note_texts)
        notes: list[str] = []
        for word in words:
            if not isinstance(word, str) or word not in cls.note_texts:
                item.problem(
                    key, f"'{key}' must be words from: {allowed} (found '{word}')"
                )
            elif word in notes:
                item.problem(key, f"'{key}' lists '{word}' twice")
            else:
                notes.append(word)
        return tuple(notes)

    # --- Answering ----------------------------------------------------------------------

    def field_name(self, item: Item) -> str:
        """The form field that carries the learner's verdict on ``item``."""
        return f"mark-{item.id}"

    def ordered(self) -> list[Any]:
        """The items in the order they are shown (and listed in the feedback)."""
        return list(self.items)

    def response_from_form(self, form: FormData) -> list[str] | None:
        response = []
        for item in self.ordered():
            values = set(form.getlist(self.field_name(item)))
            if len(values) != 1 or not values <= set(self.verdicts):
                return None  # an item not marked: the page asks to mark every one
            response.append(f"{item.id}={values.pop()}")
        return response

    def form_for(self, response: Sequence[str]) -> list[tuple[str, str]]:
        by_id = {item.id: item for item in self.items}
        form = []
        for entry in response:
            item_id, _, verdict = entry.partition("=")
            if item_id in by_id:
                form.append((self.field_name(by_id[item_id]), verdict))
        return form

    def marks(self, response: Iterable[Any]) -> dict[str, str]:
        """The verdict given to each item; garbage, unknown ids and clashes are left out."""
        known = {item.id for item in self.items}
        marks: dict[str, str] = {}
        clashing: set[str] = set()
        for entry in response if isinstance(response, list | tuple) else ():
            if not isinstance(entry, str) or entry.count("=") != 1:
                continue
            item_id, verdict = entry.split("=")
            if item_id not in known or verdict not in self.verdicts:
                continue
            if marks.setdefault(item_id, verdict) != verdict:
                clashing.add(item_id)
        return {key: value for key, value in marks.items() if key not in clashing}

    def wrong_ids(self, response: Sequence[str]) -> set[str]:
        """Items the response did not mark rightly (to point at them on the form)."""
        marks = self.marks(response)
        return {item.id for item in self.items if marks.get(item.id) != item.verdict}

    def grade(self, response: Sequence[str]) -> Grade:
        marks = self.marks(response)
        rightly = {item.id: marks.get(item.id) == item.verdict for item in self.items}
        correct = all(rightly.values())
        parts = tuple(
            Part(
                item.label,
                rightly[item.id],
                # All the reasons once it is right; on a wrong try only for the items
                # still wrong, so the list stays short.
                item.feedback if correct or not rightly[item.id] else "",
                notes=self.notes_of(item) if correct or not rightly[item.id] else (),
            )
            for item in self.ordered()
        )
        return Grade(correct, parts=parts)

    def notes_of(self, item: Item) -> tuple[str, ...]:
        """The fixed explanations of the item's notes (English; the page translates)."""
        return tuple(self.note_texts[note] for note in item.notes)

    def correct_response(self) -> list[str]:
        return [f"{item.id}={item.verdict}" for item in self.ordered()]

    def keys(self) -> Sequence[str]:
        return [
            f"{item.id}={verdict}"
            for item in self.ordered()
            for verdict in self.verdicts
        ]

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        item_id, _, verdict = key.partition("=")
        for item in self.items:
            if item.id == item_id and verdict in self.verdicts:
                return f"{item.label}: {translate(self.verdict_labels[verdict])}"
        return key
