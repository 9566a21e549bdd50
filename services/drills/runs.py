"""Taking drills: a schedule begun by a quiz pass, a drill started once per form,
each answer stored once, and the schedule moved on when the drill is finished.

Each operation changes rows and returns what the caller needs; the caller commits.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import select, update

from content import Lesson, Question
from content.questions import FormData
from models import (
    COUNTED_ROLES,
    DrillAnswer,
    DrillAttempt,
    DrillSchedule,
    Person,
    db,
    insert_once,
    utcnow,
)

from . import schedule as rules


def begin(person: Person, slug: str, passed_on: date) -> bool:
    """Start ``person``'s drills on ``slug`` after its quiz was passed, unless they
    have begun already (a later pass changes nothing); True if they begin now."""
    return insert_once(
        DrillSchedule,
        person_id=person.id,
        commune_id=person.commune_id,
        lesson=slug,
        passed_on=passed_on,
        stage=1,
        catch_up=False,
        due_on=rules.first_due(passed_on),
        seen=[],
        wrong=[],
    )


def schedule_of(person: Person, slug: str) -> DrillSchedule | None:
    query = select(DrillSchedule).where(
        DrillSchedule.person_id == person.id, DrillSchedule.lesson == slug
    )
    return db.session.scalars(query).first()


def open_attempt(person: Person, plan: DrillSchedule) -> DrillAttempt | None:
    """The unfinished drill of this schedule's stage, if one was started."""
    query = (
        select(DrillAttempt)
        .where(
            DrillAttempt.person_id == person.id,
            DrillAttempt.lesson == plan.lesson,
            DrillAttempt.stage == plan.stage,
            DrillAttempt.catch_up == plan.catch_up,
            DrillAttempt.finished_at.is_(None),
        )
        .order_by(DrillAttempt.id.desc())
    )
    return db.session.scalars(query).first()


def started_by(person: Person, token: str) -> DrillAttempt | None:
    """The drill of ``person`` that the start form with ``token`` made."""
    if not token:
        return None
    query = select(DrillAttempt).where(
        DrillAttempt.start_token == token, DrillAttempt.person_id == person.id
    )
    return db.session.scalars(query).first()


def start(
    person: Person,
    lesson: Lesson,
    language: str,
    today: date,
    helper: Person | None = None,
    token: str = "",
) -> DrillAttempt | None:
    """The drill to take now: the one this start form made, the one open, or a new
    one with its items chosen; None if no drill is due."""
    token = token if 8 <= len(token) <= 64 else ""
    made = started_by(person, token)
    if made is not None:
        return made
    plan = schedule_of(person, lesson.slug)
    if plan is None or not rules.is_due(plan.due_on, today) or not lesson.drills:
        return None
    attempt = open_attempt(person, plan)
    if attempt is not None:
        return attempt
    choice = rules.choose_items(lesson.drill_ids, plan.seen, plan.wrong)
    plan.seen = choice.seen
    attempt = DrillAttempt(
        person=person,
        lesson=lesson.slug,
        stage=plan.stage,
        catch_up=plan.catch_up,
        language=language,
        items=choice.items,
        assisted=helper is not None,
        assisted_by_id=helper.id if helper else None,
        start_token=token or None,
    )
    db.session.add(attempt)
    return attempt


class Answered(enum.Enum):
    RECORDED = "recorded"  # stored now, or already stored by the same form
    IGNORED = "ignored"  # finished, or this item already answered
    EMPTY = "empty"  # nothing chosen: ask for an answer


def answer(attempt: DrillAttempt, question: Question, form: FormData) -> Answered:
    """Keep the first answer to ``question`` in ``attempt``, graded once; the same
    form sent twice is stored once (one row per attempt and item)."""
    if attempt.finished_at or attempt.answer_to(question.id):
        return Answered.IGNORED
    response = question.response_from_form(form)
    if response is None:
        return Answered.EMPTY
    person = attempt.person
    insert_once(
        DrillAnswer,
        attempt_id=attempt.id,
        item_id=question.id,
        commune_id=person.commune_id if person.role in COUNTED_ROLES else None,
        lesson=attempt.lesson,
        stage=attempt.stage,
        catch_up=attempt.catch_up,
        correct=question.grade(response).correct,
        response=response,
        answered_at=utcnow(),
    )
    return Answered.RECORDED


def first_unanswered(attempt: DrillAttempt) -> int | None:
    """The number (1-based) of the first item not answered yet, if any."""
    answered = {a.item_id for a in attempt.answers}
    for number, item in enumerate(attempt.items, start=1):
        if item not in answered:
            return number
    return None


def finish(attempt: DrillAttempt, today: date) -> int | None:
    """Close the drill once every item is answered and move its schedule on (once,
    even when two finish forms arrive together); else the first item still to do."""
    remaining = first_unanswered(attempt)
    if remaining is not None or attempt.finished_at is not None:
        return remaining
    wrong = [a.item_id for a in attempt.answers if not a.correct]
    closed = db.session.execute(
        update(DrillAttempt)
        .where(DrillAttempt.id == attempt.id, DrillAttempt.finished_at.is_(None))
        .values(finished_at=utcnow(), right=len(attempt.items) - len(wrong))
    )
    if closed.rowcount != 1:
        return None
    plan = schedule_of(attempt.person, attempt.lesson)
    if plan is None or (plan.stage, plan.catch_up) != (attempt.stage, attempt.catch_up):
        return None
    after = rules.after_drill(
        plan.stage, plan.catch_up, plan.passed_on, today, bool(wrong)
    )
    plan.stage, plan.catch_up, plan.due_on = after.stage, after.catch_up, after.due_on
    plan.wrong = wrong
    return None
