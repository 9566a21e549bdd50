"""Split a Markdown file into its YAML front matter and its body (as mkdocs does)."""

from __future__ import annotations

from typing import Any

from .problems import ContentError
from .yamlio import parse_yaml

FENCE = "---"


def split_front_matter(text: str, path: str) -> tuple[Any, list[str], int]:
    """Return (front matter, body lines, file line number of the first body line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(
            path, 1, "the file must start with front matter between two '---' lines"
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            meta_text = "\n".join(lines[1:index])
            meta = parse_yaml(meta_text, path, first_line=2)
            return meta, lines[index + 1 :], index + 2
    raise ContentError(
        path, 1, "the front matter is never closed: add a '---' line after it"
    )
