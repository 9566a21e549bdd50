"""Learners who never did anything: registered (by themselves, a helper or a script),
then never saw a step, took a quiz, finished a lesson, held a card, joined a course
session or sat with a helper. Trainers see them page by page and may remove them; a
removal takes only those still never active at that moment, in one transaction.

People with a password (an account they sign in with) are left out: they delete their
account themselves, or a trainer does from their personal data page, one at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, exists, func, select

from models import (
    AssistSession,
    Certificate,
    Commune,
    CommuneJoins,
    CommuneTotals,
    LearnerCard,
    LessonCompletion,
    Participant,
    Person,
    QuizAttempt,
    StepView,
    db,
    refresh_communes,
)

from .access import limit_to

PAGE_SIZE = 100

# Whatever a person did or was given: one row of any of these and they are active.
TRACES = (
    StepView.person_id,
    LessonCompletion.person_id,
    QuizAttempt.person_id,
    Certificate.person_id,
    LearnerCard.person_id,
    Participant.person_id,
    AssistSession.learner_id,
)


def never_active() -> ColumnElement[bool]:
    """SQL on Person: a learner without an account who has done nothing at all (the
    ``reached`` flag first: most active people are ruled out without a subquery)."""
    return and_(
        Person.role == "learner",
        Person.password_hash.is_(None),
        Person.reached.is_(False),
        *(~exists().where(column == Person.id) for column in TRACES),
    )


@dataclass(frozen=True)
class NeverActivePage:
    people: list[Person]
    count: int
    page: int
    pages: int


def never_active_page(trainer: Person, commune: Commune, page: int) -> NeverActivePage:
    """One page of ``commune``'s never-active learners, newest first (two statements,
    whatever the size of the commune)."""
    mine = limit_to(
        trainer,
        select(Person).where(Person.commune_id == commune.id, never_active()),
        Person,
    )
    count = db.session.scalar(select(func.count()).select_from(mine.subquery()))
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    people = db.session.scalars(
        mine.order_by(Person.created_at.desc(), Person.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return NeverActivePage(list(people), count, page, pages)


def chosen_never_active(
    trainer: Person, commune: Commune, ids: Iterable[int]
) -> list[Person]:
    """Those of ``ids`` that are never-active learners of ``commune`` the trainer may
    act on (the confirmation page lists them)."""
    query = select(Person).where(
        Person.id.in_(sorted(set(ids))),
        Person.commune_id == commune.id,
        never_active(),
    )
    return list(
        db.session.scalars(limit_to(trainer, query.order_by(Person.name), Person))
    )


def remove_never_active(trainer: Person, commune: Commune, ids: Iterable[int]) -> int:
    """Delete those of ``ids`` still never active now, and keep the commune's figures;
    how many went (the caller commits: one transaction)."""
    query = select(Person.id).where(
        Person.id.in_(sorted(set(ids))), Person.commune_id == commune.id
    )
    # PostgreSQL: lock them first, so nothing can be recorded for them meanwhile (a
    # step seen waits, then finds them gone); the check below then sees all that was.
    locked = list(
        db.session.scalars(limit_to(trainer, query, Person).with_for_update())
    )
    if not locked:
        return 0
    gone = db.session.scalars(
        delete(Person)
        .where(Person.id.in_(locked), never_active())
        .returning(Person.id)
        .execution_options(synchronize_session=False)
    ).all()
    if gone:
        # Never-active people have no results: only the people and joins sums move.
        connection = db.session.connection()
        refresh_communes(connection, [commune.id], [CommuneTotals, CommuneJoins])
    return len(gone)
