"""Question types. Importing this package registers every built-in type."""

from . import choice  # noqa: F401  (registers the types)
from .base import (
    QUESTION_TYPES,
    FormData,
    Grade,
    Option,
    Question,
    parse_question,
    register,
)

__all__ = [
    "QUESTION_TYPES",
    "FormData",
    "Grade",
    "Option",
    "Question",
    "parse_question",
    "register",
]
