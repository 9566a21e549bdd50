"""What the red_flag tests share: a form as the question page sends it."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict


def form(**fields: str) -> MultiDict:
    return MultiDict({name.replace("_", "."): value for name, value in fields.items()})
