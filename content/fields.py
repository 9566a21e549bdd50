"""Typed access to a YAML mapping that records a problem (with its line) for each bad field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .problems import ProblemList
from .yamlio import line_of


class Fields:
    """Read fields of one YAML mapping, adding a clear problem for each that is wrong."""

    def __init__(
        self,
        node: Any,
        problems: ProblemList,
        what: str,
        first_line: int = 1,
        image_dir: Path | None = None,
    ):
        self.node = node if isinstance(node, CommentedMap) else CommentedMap()
        self.problems = problems
        self.what = what
        self.first_line = first_line
        self.image_dir = image_dir  # lessons/images/, for fields that name a picture
        if not isinstance(node, CommentedMap):
            problems.add(
                self.line(None, node), f"{what} must be a set of 'key: value' lines"
            )

    def line(self, key: str | int | None = None, node: Any = None) -> int:
        """The file line of ``key`` in this mapping (or of ``node``)."""
        return line_of(self.node if node is None else node, key, self.first_line)

    def problem(self, key: str | None, message: str) -> None:
        self.problems.add(self.line(key), message)

    def given(self, key: str, required: bool = True) -> Any:
        """The raw value of ``key``, or None (a problem if it is ``required``)."""
        value = self.node.get(key)
        if value is None and required:
            self.problem(None, f"{self.what} has no '{key}'")
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        """A non-empty string field."""
        value = self.given(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"'{key}' must be some text")
            return None
        return value.strip()

    def integer(
        self, key: str, low: int, high: int, required: bool = True
    ) -> int | None:
        """A whole number between ``low`` and ``high``."""
        value = self.given(key, required)
        if value is None:
            return None
        if not whole_number(value, low, high):
            self.problem(key, f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    def boolean(self, key: str) -> bool:
        """``true`` or ``false``; missing means false."""
        value = self.node.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, f"'{key}' must be true or false")
            return False
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        """One of a few fixed words."""
        value = self.text(key)
        if value is not None and value not in allowed:
            self.problem(
                key, f"'{key}' must be one of: {', '.join(allowed)} (found '{value}')"
            )
            return None
        return value

    def items(
        self,
        key: str,
        minimum: int = 1,
        maximum: int | None = None,
        too_many: Callable[[int], str] = str,
    ) -> list[tuple[Any, int]]:
        """A list field, as (item, file line) pairs; more than ``maximum`` entries is a
        problem that ``too_many(count)`` words."""
        value = self.node.get(key)
        if not isinstance(value, CommentedSeq):
            where = key if key in self.node else None
            self.problem(
                where, f"{self.what} needs a list '{key}' (lines starting with '- ')"
            )
            return []
        if len(value) < minimum:
            self.problem(
                key, f"'{key}' needs at least {minimum} entries (found {len(value)})"
            )
        if maximum is not None and len(value) > maximum:
            self.problem(key, too_many(len(value)))
        return [
            (item, line_of(value, i, self.first_line)) for i, item in enumerate(value)
        ]

    def unknown(self, known: set[str]) -> None:
        """Report keys this mapping should not have (usually a typo)."""
        for key in self.node:
            if key not in known:
                self.problem(
                    key,
                    f"unknown field '{key}' (expected one of: {', '.join(sorted(known))})",
                )


def whole_number(value: Any, low: int, high: int) -> bool:
    """Whether ``value`` is a whole number from ``low`` to ``high`` (YAML's true is not)."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    )
