"""Choice questions: one right answer, several right answers, and "scam or safe"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..fields import Fields
from .base import N_, Grade, Option, Question, options_from, register


@register
@dataclass
class SingleChoice(Question):
    """Pick the one right answer."""

    name = "single"
    template = "quiz/types/single.html"
    extra_fields = {"options"}

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        options = options_from(fields)
        right = sum(option.correct for option in options)
        if options and (right == 0 or (right > 1 and not cls.many_right)):
            need = "at least one option" if cls.many_right else "exactly one option"
            fields.problem(
                "options", f"a '{cls.name}' question needs {need} with 'correct: true'"
            )
        if not common["prompt"]:
            fields.problem(None, "the question has no 'prompt'")
        return cls(options=options, **common)

    def grade(self, response: Sequence[str]) -> Grade:
        chosen = {o.key for o in self.options if o.key in response}
        right = set(self.correct_response())
        feedback = tuple(
            o.feedback for o in self.options if o.key in chosen - right and o.feedback
        )
        missed = len(right - chosen) if self.many_right else 0
        return Grade(chosen == right, feedback, missed)

    def correct_response(self) -> list[str]:
        return [o.key for o in self.options if o.correct]


@register
@dataclass
class MultipleChoice(SingleChoice):
    """Tick every right answer."""

    name = "multiple"
    template = "quiz/types/multiple.html"
    many_right = True


SCAM, SAFE = "scam", "safe"


@register
@dataclass
class ScamOrSafe(Question):
    """Read a message or a call and say: scam, or safe?"""

    name = "scam_or_safe"
    template = "quiz/types/scam_or_safe.html"
    extra_fields = {"situation", "answer", "feedback"}

    situation: str = ""
    answer: str = SCAM
    feedback: str = ""

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        situation = fields.text("situation") or ""
        answer = fields.choice("answer", (SCAM, SAFE)) or SCAM
        feedback = fields.text("feedback") or ""
        options = [
            Option(
                SCAM,
                SCAM,
                correct=answer == SCAM,
                feedback=None if answer == SCAM else feedback,
            ),
            Option(
                SAFE,
                SAFE,
                correct=answer == SAFE,
                feedback=None if answer == SAFE else feedback,
            ),
        ]
        return cls(
            options=options,
            situation=situation,
            answer=answer,
            feedback=feedback,
            **common,
        )

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        words = {SCAM: N_("Scam"), SAFE: N_("Safe")}
        return translate(words[key]) if key in words else key

    def grade(self, response: Sequence[str]) -> Grade:
        correct = list(response) == [self.answer]
        return Grade(correct, () if correct else (self.feedback,))

    def correct_response(self) -> list[str]:
        return [self.answer]

    def summary(self) -> str:
        return self.prompt or self.situation
