"""Drill banks: a module's practice scenarios for spaced review, read as quizzes.

A drill file (``drills/<slug>.<lang>.yaml``) is a quiz file with only ``questions:``,
restricted to the practice types; ``read_drills`` reads it with the quiz parser and
adds the drill rules. The checks between files (every language, same items) are the
quizzes' own, in library.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .problems import ProblemList
from .quizzes import DEFAULT_PASS_PERCENT, Quiz, read_quiz

PRACTICE_TYPES = (
    "sms_inbox",
    "web_address",
    "qr_payment",
    "phone_call",
    "red_flag",
    "scam_or_safe",
)
DRILL_PREFIX = "drill-"
MIN_ITEMS = 10  # items per drill file
MIN_TYPES = 4  # different practice types per drill file


def read_drills(
    file: Path,
    shown_path: str,
    image_dir: Path | None = None,
    quiz_ids: Iterable[str] = (),
    min_items: int = MIN_ITEMS,
    min_types: int = MIN_TYPES,
) -> tuple[Quiz | None, ProblemList]:
    """Parse and check one drill file; ``quiz_ids`` are the module's quiz question
    ids, which no drill item may reuse."""
    bank, problems = read_quiz(file, shown_path, image_dir)
    if bank is None:
        return None, problems
    if bank.pass_percent != DEFAULT_PASS_PERCENT:
        problems.add(1, "a drill file has only 'questions:' (no 'pass_percent')")
    taken = set(quiz_ids)
    for question in bank.questions:
        if question.name not in PRACTICE_TYPES:
            problems.add(
                question.line,
                f"drill '{question.id}' has type '{question.name}': a drill uses "
                f"only the practice types {', '.join(PRACTICE_TYPES)}",
            )
        if not question.id.startswith(DRILL_PREFIX):
            problems.add(
                question.line,
                f"drill id '{question.id}' must start with '{DRILL_PREFIX}'",
            )
        if question.id in taken:
            problems.add(
                question.line,
                f"drill id '{question.id}' is also a question of the quiz: "
                "give the drill its own id",
            )
        if not question.review_step:
            problems.add(
                question.line,
                f"drill '{question.id}' needs 'review_step': the lesson step to look "
                "at again",
            )
    if len(bank.questions) < min_items:
        problems.add(
            1,
            f"a drill file needs at least {min_items} items; this one has "
            f"{len(bank.questions)}",
        )
    types = {question.name for question in bank.questions}
    if len(types) < min_types:
        problems.add(
            1,
            f"a drill file needs at least {min_types} different practice types; "
            f"this one has {len(types)} ({', '.join(sorted(types))})",
        )
    return bank, problems
