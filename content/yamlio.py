"""YAML reading that keeps line numbers, so every problem can name its line.

ruamel.yaml is used instead of PyYAML because it speaks YAML 1.2 (``no`` stays the
word "no", not False) and records where each key and item stood in the file.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .problems import ContentError


def parse_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text; ``first_line`` is the file line the text starts on."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        reason = error.problem or error.context or "not valid YAML"
        raise ContentError(path, line, f"cannot read YAML: {reason}") from None


def line_of(node: Any, key: str | int | None = None, first_line: int = 1) -> int:
    """The 1-based file line of a mapping key, a list item, or the node itself."""
    try:
        if key is None:
            return first_line + node.lc.line
        if isinstance(node, CommentedMap) and key in node:
            return first_line + node.lc.key(key)[0]
        if isinstance(node, CommentedSeq) and isinstance(key, int):
            return first_line + node.lc.item(key)[0]
        return first_line + node.lc.line
    except (AttributeError, KeyError, IndexError, TypeError):
        return first_line
