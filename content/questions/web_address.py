"""Web address judge: several addresses; pick the real one, or mark each fake or real.

``mode: pick_real`` asks for the one real address (exactly one has ``real: true``);
``mode: mark_each`` (the default) asks for a verdict on every address. Each fake
address names its ``trick`` with a fixed word, explained in the learner's language by the page;
``feedback`` adds the question's own words (and says how to tell a real one).

A response is ``["ID"]`` (pick_real) or ``["ID=fake", "ID=real", …]`` (mark_each).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..fields import Fields
from .base import N_, FormData, Grade, Part, Question, register
from .marking import Item, MarkingQuestion

FAKE, REAL = "fake", "real"
MARK_EACH, PICK_REAL = "mark_each", "pick_real"
ADDRESS_FIELDS = {"id", "address", "real", "trick", "feedback"}

# The tricks of look-alike addresses, each with what the learner is told about it.
TRICKS = {
    "extra_letter": N_("An extra letter has been slipped into the real name."),
    "swapped_letter": N_(
        "Letters have been swapped or changed, so it only looks like the real name."
    ),
    "zero_for_o": N_("The number 0 (zero) stands where the letter o should be."),
    "one_for_l": N_("The number 1 (one) stands where the letter l should be."),
    "odd_ending": N_(
        "The ending is not the real one: fake sites use endings such as .xyz, .top "
        "or .vip. Real government sites end in .gov.vn."
    ),
    "name_in_front": N_(
        "The real name is put in front, but what counts is the end of the address: "
        "this one belongs to another site."
    ),
}


@dataclass(frozen=True)
class Address(Item):
    """One web address to judge."""

    address: str = ""

    @property
    def label(self) -> str:
        return self.address


@register
@dataclass
class WebAddress(MarkingQuestion):
    """Which web address is real, and what trick does each fake one use?"""

    name = "web_address"
    template = "quiz/types/web_address.html"
    extra_fields = {"mode", "addresses"}
    verdicts = (FAKE, REAL)
    verdict_labels = {FAKE: N_("Fake"), REAL: N_("Real")}
    note_texts = TRICKS

    mode: str = MARK_EACH

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        mode = MARK_EACH
        if "mode" in fields.node:
            mode = fields.choice("mode", (MARK_EACH, PICK_REAL)) or MARK_EACH
        items = cls.read_items(fields, "addresses", "address", cls.read_address)
        seen: dict[str, int] = {}
        for item in items:
            if item.address in seen:
                fields.problems.add(
                    item.line,
                    f"address '{item.address}' is listed twice "
                    f"(first on line {seen[item.address]})",
                )
            seen.setdefault(item.address, item.line)
        real = sum(item.verdict == REAL for item in items)
        if mode == PICK_REAL and items and real != 1:
            fields.problem(
                "addresses",
                "a 'pick_real' question needs exactly one address with 'real: true' "
                f"(found {real})",
            )
        return cls(items=items, mode=mode, **common)

    @classmethod
    def read_address(cls, item: Fields, item_id: str, line: int) -> Address:
        """One address of the list; a problem for each field that is wrong."""
        item.unknown(ADDRESS_FIELDS)
        address = item.text("address") or ""
        if any(character.isspace() for character in address):
            item.problem("address", f"an address has no spaces (found '{address}')")
        real = item.boolean("real")
        trick = item.choice("trick", tuple(TRICKS)) if "trick" in item.node else None
        feedback = item.text("feedback", required=False) or ""
        if real and "trick" in item.node:
            item.problem("trick", f"{item.what} is real, so it cannot have a 'trick'")
        if real and not feedback:
            item.problem(
                None,
                f"{item.what} is real, so it needs its own 'feedback' saying how to "
                "tell",
            )
        if not real and "trick" not in item.node:
            item.problem(
                None,
                f"{item.what} is fake, so it needs a 'trick' "
                f"(one of: {', '.join(TRICKS)})",
            )
        notes = (trick,) if trick and not real else ()
        return Address(
            id=item_id,
            verdict=REAL if real else FAKE,
            feedback=feedback,
            notes=notes,
            line=line,
            address=address,
        )

    # --- pick_real: one choice among the addresses ---------------------------------------

    def real_item(self) -> Address | None:
        return next((item for item in self.items if item.verdict == REAL), None)

    def chosen(self, response: Sequence[Any]) -> Address | None:
        """The one address a pick_real response chose (None if none, or several)."""
        entries = list(response) if isinstance(response, list | tuple) else []
        if (
            not all(isinstance(entry, str) for entry in entries)
            or len(set(entries)) != 1
        ):
            return None
        return next((item for item in self.items if item.id == entries[0]), None)

    def response_from_form(self, form: FormData) -> list[str] | None:
        if self.mode == MARK_EACH:
            return super().response_from_form(form)
        picked = self.chosen(form.getlist("answer"))
        return [picked.id] if picked else None

    def form_for(self, response: Sequence[str]) -> list[tuple[str, str]]:
        if self.mode == MARK_EACH:
            return super().form_for(response)
        return [("answer", key) for key in response]

    def grade(self, response: Sequence[str]) -> Grade:
        if self.mode == MARK_EACH:
            return super().grade(response)
        picked = self.chosen(response)
        if picked is not None and picked.verdict == REAL:
            parts = tuple(
                Part(i.label, True, i.feedback, notes=self.notes_of(i))
                for i in self.items
            )
            return Grade(True, parts=parts)
        if picked is None:
            return Grade(False)
        part = Part(picked.label, False, picked.feedback, notes=self.notes_of(picked))
        return Grade(False, parts=(part,))

    def correct_response(self) -> list[str]:
        if self.mode == MARK_EACH:
            return super().correct_response()
        real = self.real_item()
        return [real.id] if real else []

    def wrong_ids(self, response: Sequence[str]) -> set[str]:
        if self.mode == MARK_EACH:
            return super().wrong_ids(response)
        picked = self.chosen(response)
        return {picked.id} if picked and picked.verdict != REAL else set()

    def keys(self) -> Sequence[str]:
        if self.mode == MARK_EACH:
            return super().keys()
        return [item.id for item in self.items]

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        if self.mode == MARK_EACH:
            return super().label_of(key, translate)
        return next((i.address for i in self.items if i.id == key), key)

    def shape(self) -> tuple[Any, ...]:
        return (
            self.name,
            self.review_step,
            self.mode,
            tuple((i.id, i.address, i.verdict, i.notes) for i in self.items),
        )
