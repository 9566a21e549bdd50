"""Question types. Importing this package registers every type listed below: a new
type is one module here, its name in TYPE_NAMES, and one template."""

from importlib import import_module

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

# Each module registers its types with @register as it is imported; a name that is
# not a module here fails at start-up.
TYPE_NAMES = (
    "choice",
    "ordering",
    "phone_call",
    "qr_payment",
    "red_flag",
    "sms_inbox",
    "web_address",
)
TYPE_MODULES = tuple(import_module(f"{__name__}.{name}") for name in TYPE_NAMES)

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
