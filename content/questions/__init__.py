"""Question types. Importing this package registers every type module in it."""

import importlib
import pkgutil

from .base import (
    QUESTION_TYPES,
    FormData,
    Grade,
    Option,
    Part,
    Question,
    parse_question,
    register,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "QUESTION_TYPES",
    "FormData",
    "Grade",
    "Option",
    "Part",
    "Question",
    "parse_question",
    "register",
]
