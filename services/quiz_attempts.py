"""A quiz attempt as a state machine: start, answer, finish; and what a question shows.

Each operation changes the attempt and returns an outcome saying where the learner
goes next; the caller commits. Each answer is graded once per request: on the POST
that records it (its correctness is stored), and on the page that shows its feedback
(``feedback``), which also grades the right answer when the learner asked to see it,
so the template never grades anything.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select

from content import Grade, Question, Quiz
from content.questions import FormData
from models import Answer, Person, QuizAttempt, db


def first_unsettled(attempt: QuizAttempt, quiz: Quiz) -> int | None:
    """The number of the first question not answered right nor revealed, if any."""
    for number, question in enumerate(quiz.questions, start=1):
        if not attempt.is_settled(question.id):
            return number
    return None


@dataclass(frozen=True)
class Started:
    """The attempt to carry on with, and the question to show first."""

    attempt: QuizAttempt
    number: int


def start(
    person: Person,
    quiz: Quiz,
    slug: str,
    language: str,
    helper: Person | None = None,
    *,
    restart: bool = False,
    at: int | None = None,
    token: str = "",
) -> Started:
    """Carry on with the open attempt started the same way (with ``helper`` or alone),
    or start a new one (always, if ``restart``); go to question ``at`` if it is one,
    else the first not done yet (the last when all are).

    ``token`` is the start form's one-time token: the attempt that form already made,
    if any, is the one carried on. The caller commits; the same form sent at the same
    moment fails on the unique token, and ``started_by`` then finds the attempt."""
    assisted = helper is not None
    token = token if 8 <= len(token) <= 64 else ""
    attempt = started_by(person, slug, token)
    if attempt is None and not restart:
        attempt = person.open_attempt(slug, assisted)
    if attempt is None:
        attempt = QuizAttempt(
            person=person,
            lesson=slug,
            language=language,
            question_count=len(quiz.questions),
            assisted=assisted,
            assisted_by_id=helper.id if helper else None,
            start_token=token or None,
        )
        db.session.add(attempt)
    return go_to(attempt, quiz, at)


def go_to(attempt: QuizAttempt, quiz: Quiz, at: int | None = None) -> Started:
    """Question ``at`` of ``attempt`` if it is one, else the first not done yet."""
    if at is not None and 1 <= at <= len(quiz.questions):
        return Started(attempt, at)
    return Started(attempt, first_unsettled(attempt, quiz) or len(quiz.questions))


def started_by(person: Person, slug: str, token: str) -> QuizAttempt | None:
    """The attempt of ``person`` on ``slug`` that the start form with ``token`` made."""
    if not token:
        return None
    query = select(QuizAttempt).where(
        QuizAttempt.start_token == token,
        QuizAttempt.person_id == person.id,
        QuizAttempt.lesson == slug,
    )
    return db.session.scalars(query).first()


class Answered(enum.Enum):
    """What became of an answer sent."""

    RECORDED = "recorded"  # stored (the caller commits; a repeated token fails)
    IGNORED = "ignored"  # finished, already settled, or no proper token: show again
    EMPTY = "empty"  # nothing chosen: ask for an answer


def answer(
    attempt: QuizAttempt,
    question: Question,
    form: FormData,
    token: str,
    *,
    reveal: bool = False,
) -> Answered:
    """Record the answer in ``form`` (or, with ``reveal``, "show me the answer"),
    graded once; ``token`` is the form's one-time token."""
    if (
        attempt.finished_at
        or attempt.is_settled(question.id)
        or not 8 <= len(token) <= 64
    ):
        return Answered.IGNORED
    if reveal:
        attempt.record(question.id, [], correct=False, token=token).revealed = True
        return Answered.RECORDED
    response = question.response_from_form(form)
    if response is None:
        return Answered.EMPTY
    attempt.record(question.id, response, question.grade(response).correct, token)
    return Answered.RECORDED


def already_recorded(token: str) -> bool:
    """Is an answer with this token stored (the same form sent twice)?"""
    return db.session.scalar(select(Answer.id).where(Answer.token == token)) is not None


def finish(attempt: QuizAttempt, quiz: Quiz) -> int | None:
    """Close the attempt and keep its score once every question is done; else the
    number of the first question still to do (and nothing changes)."""
    remaining = first_unsettled(attempt, quiz)
    if remaining is None:
        attempt.finish([question.id for question in quiz.questions])
    return remaining


@dataclass(frozen=True)
class Feedback:
    """What a question page shows of what was answered so far."""

    last: Answer | None  # the latest answer to this question
    tries: int
    settled: bool  # answered right, or the answer shown
    grade: Grade | None  # of the latest answer (None if none, or revealed)
    right: Grade | None  # of the right answer, when the learner asked to see it


def feedback(attempt: QuizAttempt, question: Question) -> Feedback:
    """The feedback on ``question`` in ``attempt``: each answer graded once here."""
    answers = attempt.answers_to(question.id)
    last = answers[-1] if answers else None
    revealed = last is not None and last.revealed
    return Feedback(
        last=last,
        tries=len(answers),
        settled=attempt.is_settled(question.id),
        grade=question.grade(last.response) if last and not revealed else None,
        right=question.grade(question.correct_response()) if revealed else None,
    )
