"""Question types. Importing this package registers every type listed below: a new
type is one module here, one line in that import, and one template."""

from . import (
    choice,
    ordering,
    phone_call,
    qr_payment,
    red_flag,
    sms_inbox,
    web_address,
)
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

# Each module registers its types with @register as it is imported.
TYPE_MODULES = (
    choice,
    ordering,
    phone_call,
    qr_payment,
    red_flag,
    sms_inbox,
    web_address,
)

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
