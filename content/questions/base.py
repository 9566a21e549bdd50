"""The question-type registry: each type is one class that reads, checks and grades its data.

A new practice type is one module in this package holding a subclass decorated with
``@register``, plus one template named by its ``template`` attribute (in the manner of
CTFd's challenge classes). A type may also name a stylesheet and a script under static/,
loaded only on its own question pages so lesson pages stay small.

The contract every type keeps:
- ``from_fields`` reads its YAML and adds a problem (with its line) for anything wrong;
- ``response_from_form`` turns a submitted form into a list of strings, or None;
- ``grade`` accepts ANY list of strings (an edited form, stored demo data) and never fails;
- ``correct_response`` is a response that ``grade`` finds right;
- ``form_for`` is the form a learner sends to give a response (the inverse of
  ``response_from_form``), for tests and for checking the two agree;
- ``shape`` is what must be the same in every language's version of the question.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..fields import Fields

QUESTION_TYPES: dict[str, type[Question]] = {}

COMMON_FIELDS = {"id", "type", "prompt", "explanation", "hint", "review_step"}
OPTION_KEYS = string.ascii_lowercase


class FormData(Protocol):
    """What a question needs of a submitted form (a werkzeug MultiDict fits)."""

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class Part:
    """How one item of a many-part answer went (a message, an address, a step…)."""

    label: str
    correct: bool
    feedback: str = ""
    # Fixed explanations (red flags, tricks) as English source strings marked with N_:
    # the page translates them, so content/ needs no translations of its own.
    notes: tuple[str, ...] = ()
    # For ordering: where the learner put the item and where it belongs (1-based).
    # The page words these in the learner's language; content/ has no translations.
    placed: int | None = None
    expected: int | None = None


@dataclass(frozen=True)
class Grade:
    """The result of one answer: right or not, and what to say about it."""

    correct: bool
    feedback: tuple[str, ...] = ()
    missed: int = 0  # right options the learner did not choose (several-choice)
    parts: tuple[Part, ...] = ()  # one entry per item, for the many-part practice types


@dataclass
class Question:
    """One question of a quiz. Subclasses add their own data and grading."""

    name: ClassVar[str]
    template: ClassVar[str]
    extra_fields: ClassVar[set[str]] = set()
    many_right: ClassVar[bool] = False  # may a response hold several keys?
    stylesheet: ClassVar[str | None] = None  # e.g. "css/types/sms_inbox.css" in static/
    script: ClassVar[str | None] = None  # e.g. "js/types/ordering.js" in static/

    id: str
    prompt: str
    explanation: str
    line: int
    hint: str | None = None
    review_step: int | None = None
    options: list[Option] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: Fields, common: dict[str, Any]) -> Question:
        """Build the question from its YAML fields; add a problem for anything wrong."""
        raise NotImplementedError

    def response_from_form(self, form: FormData) -> list[str] | None:
        """The learner's answer as a sorted list of keys, or None when nothing was chosen."""
        keys = self.keys()
        chosen = sorted({value for value in form.getlist("answer") if value in keys})
        if not chosen or (len(chosen) > 1 and not self.many_right):
            return None
        return chosen

    def form_for(self, response: Sequence[str]) -> list[tuple[str, str]]:
        """The form fields a learner sends to give ``response``."""
        return [("answer", key) for key in response]

    def keys(self) -> Sequence[str]:
        """Every key a response may contain."""
        return [option.key for option in self.options]

    def grade(self, response: Sequence[str]) -> Grade:
        raise NotImplementedError

    def correct_response(self) -> list[str]:
        """The answer that is right (shown when a learner asks to see it)."""
        raise NotImplementedError

    def shape(self) -> tuple[Any, ...]:
        """What must be the same in every language's version of this question."""
        return (
            self.name,
            self.review_step,
            tuple(self.correct_response()),
            tuple(self.keys()),
        )

    def view_state(self, args: Any) -> dict[str, Any]:
        """Extra template values from the page's query string (e.g. a dialogue's path)."""
        return {}

    def summary(self) -> str:
        """One line that names the question on the result page and in reports."""
        return self.prompt

    def label_of(self, key: str, translate: Callable[[str], str] = str) -> str:
        """The text shown for a response key (for reports and the result page).

        ``translate`` turns the fixed English words some types use (Scam, Safe, Fake,
        Real) into the reader's language; the content's own words stay as written.
        """
        for option in self.options:
            if option.key == key:
                return option.text
        return key


@dataclass(frozen=True)
class Option:
    """One answer a learner can pick."""

    key: str
    text: str
    correct: bool = False
    feedback: str | None = None


def N_(text: str) -> str:
    """Mark an English sentence for the interface catalogue; the page translates it."""
    return text


def register(cls: type[Question]) -> type[Question]:
    """Class decorator: make a question type available to quiz files."""
    QUESTION_TYPES[cls.name] = cls
    return cls


def common_fields(fields: Fields) -> dict[str, Any]:
    """Fields every question type has."""
    return {
        "prompt": fields.text("prompt", required=False),
        "explanation": fields.text("explanation") or "",
        "hint": fields.text("hint", required=False),
        "review_step": fields.integer("review_step", 1, 99, required=False),
    }


def options_from(fields: Fields, key: str = "options") -> list[Option]:
    """Read a list of options (text, correct, feedback), lettered a, b, c…"""
    options = []
    entries = fields.items(key, minimum=2)
    if len(entries) > len(OPTION_KEYS):
        fields.problem(key, f"too many options ({len(entries)})")
        return []
    for index, (node, line) in enumerate(entries):
        option = Fields(node, fields.problems, f"option {index + 1}", fields.first_line)
        option.unknown({"text", "correct", "feedback"})
        text = option.text("text") or ""
        correct = option.boolean("correct")
        feedback = option.text("feedback", required=False)
        if not correct and not feedback:
            fields.problems.add(
                line, f"option {index + 1} is wrong, so it needs its own 'feedback'"
            )
        options.append(Option(OPTION_KEYS[index], text, correct, feedback))
    return options


def parse_question(fields: Fields, line: int) -> Question | None:
    """Build one question of any registered type from its YAML fields."""
    kind = fields.choice("type", tuple(sorted(QUESTION_TYPES)))
    question_id = fields.text("id")
    if kind is None or question_id is None:
        return None
    cls = QUESTION_TYPES[kind]
    fields.unknown(COMMON_FIELDS | cls.extra_fields)
    common = common_fields(fields) | {"id": question_id, "line": line}
    return cls.from_fields(fields, common)
