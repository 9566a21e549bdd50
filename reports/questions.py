"""Difficult questions: per question, the share right on the first try and the wrong
answer chosen most, so a trainer knows what to teach again.

A *first try* is the first answer to a question within a quiz attempt: a person who
takes a quiz twice has two first tries at each question, as the result page counts.
The people counted are the dashboard's: learners and helpers (models.COUNTED_ROLES).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from content import Lesson
from content.questions import Question
from models import Answer, db


@dataclass
class QuestionFigures:
    """How one question went, first tries only."""

    lesson: Lesson
    number: int  # its position in the quiz, from 1
    question: Question
    first_tries: int = 0
    right: int = 0
    top_wrong: list[str] | None = None  # the wrong answer given most (response keys)
    top_wrong_count: int = 0

    @property
    def right_percent(self) -> float | None:
        return None if self.first_tries == 0 else 100.0 * self.right / self.first_tries

    def top_wrong_labels(self, translate: Callable[[str], str] = str) -> list[str]:
        """The most-chosen wrong answer, in the words the learner saw."""
        return [self.question.label_of(key, translate) for key in self.top_wrong or []]


def difficult_questions(
    commune_ids: Sequence[int], lessons: Sequence[Lesson], language: str
) -> list[QuestionFigures]:
    """Every question of ``lessons`` answered at least once, hardest first."""
    figures: dict[tuple[str, str], QuestionFigures] = {}
    for lesson in lessons:
        quiz = lesson.quiz(language)
        for number, question in enumerate(quiz.questions if quiz else [], start=1):
            figures[lesson.slug, question.id] = QuestionFigures(
                lesson, number, question
            )
    if not figures or not commune_ids:
        return []
    # One index holds a commune's first tries in question order (see models/progress.py).
    query = (
        select(
            Answer.lesson,
            Answer.question_id,
            Answer.correct,
            Answer.response,
            func.count(),
        )
        .where(
            Answer.commune_id.in_(list(commune_ids)),
            Answer.try_number == 1,
            Answer.lesson.in_([lesson.slug for lesson in lessons]),
        )
        .group_by(Answer.lesson, Answer.question_id, Answer.correct, Answer.response)
    )
    for slug, question_id, correct, response, times in db.session.execute(query):
        entry = figures.get((slug, question_id))
        if entry is None:  # a question since removed from the quiz
            continue
        entry.first_tries += times
        if correct:
            entry.right += times
            continue
        keys = [str(key) for key in response]
        # Most often first; between equals, the same one every time.
        if (-times, keys) < (-entry.top_wrong_count, entry.top_wrong or []):
            entry.top_wrong, entry.top_wrong_count = keys, times
    answered = [entry for entry in figures.values() if entry.first_tries]
    return sorted(
        answered,
        key=lambda e: (e.right_percent, -e.first_tries, e.lesson.order, e.number),
    )
