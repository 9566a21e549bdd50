"""Put the steps in order: a position (1…N) for each step, with or without dragging.

The quiz file lists the steps in the right order; the page shows them shuffled (the
same way every time for one question) with a "Position" list beside each, so no script
is needed. The answer is the step ids in the learner's order: ``["s3", "s1", "s2"]``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..fields import Fields
from .base import Grade, Part, Question, register

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MIN_STEPS, MAX_STEPS = 3, 10


@dataclass(frozen=True)
class OrderStep:
    """One step to put in its place."""

    id: str
    text: str
    line: int = 0


@register
@dataclass
class Ordering(Question):
    """Put the steps of a task (e.g. activating VNeID) in the right order."""

    name = "ordering"
    template = "quiz/types/ordering.html"
    stylesheet = "css/types/ordering.css"
    script = "js/types/ordering.js"
    extra_fields = {"steps"}

    steps: list[OrderStep] = field(default_factory=list)  # in the right order

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        entries = fields.items(
            "steps",
            MIN_STEPS,
            MAX_STEPS,
            lambda count: (
                f"'steps' has {count} entries: give at most {MAX_STEPS}"
                " (more do not fit on a phone screen)"
            ),
        )
        steps: list[OrderStep] = []
        ids: dict[str, int] = {}
        texts: dict[str, tuple[str, int]] = {}
        for index, (node, line) in enumerate(entries, start=1):
            step = Fields(node, fields.problems, f"step {index}", fields.first_line)
            step.unknown({"id", "text"})
            step_id = step.text("id")
            text = step.text("text")
            if step_id is not None:
                if not ID_PATTERN.fullmatch(step_id):
                    step.problem(
                        "id",
                        f"step id '{step_id}' may only use letters, digits, '-' and '_'",
                    )
                    step_id = None
                elif step_id in ids:
                    fields.problems.add(
                        line,
                        f"step '{step_id}' is listed twice (first on line {ids[step_id]})",
                    )
                    step_id = None
                else:
                    ids[step_id] = line
            if text is not None:
                same = " ".join(text.split()).casefold()
                if same in texts:
                    first_id, first_line = texts[same]
                    fields.problems.add(
                        line,
                        f"step {index} is listed twice: its text is the same as step"
                        f" '{first_id}' on line {first_line}",
                    )
                else:
                    texts[same] = (step_id or str(index), line)
            if step_id is not None and text is not None:
                steps.append(OrderStep(step_id, text, line))
        return cls(steps=steps, **common)

    def shuffled(self) -> list[OrderStep]:
        """The steps as first shown: mixed up, the same way every time for this question."""
        order = list(self.steps)
        random.Random(f"ordering:{self.id}").shuffle(order)
        if len(order) > 1 and order == self.steps:
            order = order[1:] + order[:1]
        return order

    def display_order(self, response: Sequence[str] | None = None) -> list[OrderStep]:
        """The learner's last order (to fix after a wrong try), or the shuffled one."""
        by_id = {step.id: step for step in self.steps}
        if response and sorted(response) == sorted(by_id):
            return [by_id[step_id] for step_id in response]
        return self.shuffled()

    def response_from_form(self, form: Any) -> list[str] | None:
        """Step ids ordered by the positions chosen, or None unless each has its own."""
        chosen: dict[str, int] = {}
        for step in self.steps:
            values = form.getlist(f"position-{step.id}")
            if len(values) != 1 or not re.fullmatch(r"[0-9]{1,3}", values[0].strip()):
                return None
            chosen[step.id] = int(values[0])
        if sorted(chosen.values()) != list(range(1, len(self.steps) + 1)):
            return None
        return sorted(chosen, key=chosen.__getitem__)

    def form_for(self, response: Sequence[str]) -> list[tuple[str, str]]:
        return [
            (f"position-{step_id}", str(n)) for n, step_id in enumerate(response, 1)
        ]

    def keys(self) -> Sequence[str]:
        return [step.id for step in self.steps]

    def grade(self, response: Sequence[str]) -> Grade:
        given: dict[str, int] = {}
        for entry in response:
            if isinstance(entry, str) and entry in self.keys() and entry not in given:
                given[entry] = len(given) + 1
        right = {step.id: number for number, step in enumerate(self.steps, start=1)}
        by_id = {step.id: step for step in self.steps}
        parts = []
        for step_id in [*given, *(s.id for s in self.steps if s.id not in given)]:
            place, should = given.get(step_id), right[step_id]
            text = by_id[step_id].text
            parts.append(Part(text, place == should, placed=place, expected=should))
        correct = list(response) == self.correct_response()
        return Grade(correct, parts=tuple(parts))

    def correct_response(self) -> list[str]:
        return [step.id for step in self.steps]

    def shape(self) -> tuple[Any, ...]:
        return (self.name, self.review_step, tuple(self.correct_response()))

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        return next((step.text for step in self.steps if step.id == key), key)
