"""Per person and per module: what each person counted in a commune has done.

The same people and the same definitions as the dashboard (reports/dashboard.py):
learners and helpers (models.COUNTED_ROLES) of the communes asked for; a module is
*completed* once any completion is recorded, and counts as self-study when it was
done alone at least once (as assisted otherwise); the *first-try score* is the score
of the first finished attempt (by the time it was finished), the *best score* that
of the finished attempt with the best share right; *passed* means the best attempt
reached the quiz's pass mark. A score counts the questions right on the first try.

Each person's standing (services/standing.py) is read in one statement for the whole
commune, steps counted in SQL; the figures here are what the exports make of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from content import Lesson
from models import Person, db
from services.names import name_order
from services.standing import (
    ASSISTED,
    COUNTED,
    SEEN,
    SELF_STUDY,
    ModuleStanding,
    standings,
)

from .dashboard import counted_people, percent
from .dates import local_date

__all__ = ["ASSISTED", "SELF_STUDY", "PersonFigures", "PersonModule", "people_figures"]


@dataclass
class PersonModule:
    """One person's progress on one module."""

    slug: str
    step_count: int  # the lesson's steps now
    steps_seen: int = 0  # distinct steps of the lesson seen, alone or with a helper
    how: str | None = None  # ASSISTED or SELF_STUDY once completed, else None
    completed_on: date | None = None  # first completion, either way (Vietnam day)
    attempts: int = 0  # finished quiz attempts
    first_score: int | None = None  # questions right on the first try, first attempt
    first_count: int | None = None  # questions of the first attempt
    best_score: int | None = None  # of the attempt with the best share right
    question_count: int | None = None  # questions of that best attempt
    passed: bool = False
    assisted: bool = False  # a helper was beside them at least once on this module

    @property
    def completed(self) -> bool:
        return self.how is not None

    @property
    def first_percent(self) -> float | None:
        if self.first_score is None or not self.first_count:
            return None
        return percent(self.first_score, self.first_count)

    @property
    def best_percent(self) -> float | None:
        if self.best_score is None or not self.question_count:
            return None
        return percent(self.best_score, self.question_count)


@dataclass
class PersonFigures:
    """A person counted in a commune, with one ``PersonModule`` per module asked for."""

    id: int
    name: str
    birth_year: int
    role: str
    commune_id: int
    modules: list[PersonModule] = field(default_factory=list)

    def module(self, slug: str) -> PersonModule:
        return next(m for m in self.modules if m.slug == slug)


def people_figures(
    commune_ids: Sequence[int], lessons: Sequence[Lesson]
) -> list[PersonFigures]:
    """Everyone counted in ``commune_ids`` with their figures on each of ``lessons``
    (in that order); people by commune (in the order given), then as Vietnamese lists
    go (by given name). Their standing (services/standing.py) is read in one
    statement, whatever the number of people."""
    ids = list(dict.fromkeys(commune_ids))
    if not ids:
        return []
    query = select(
        Person.id, Person.name, Person.birth_year, Person.role, Person.commune_id
    ).where(counted_people(ids))
    people = [PersonFigures(*row) for row in db.session.execute(query)]
    if people and lessons:
        counted = select(Person.id).where(counted_people(ids))
        found = standings(counted, lessons, steps=COUNTED)
        for person in people:
            mine = found[person.id]
            person.modules = [module_figures(mine[ls.slug]) for ls in lessons]
    else:
        sizes = [(lesson.slug, lesson.step_count) for lesson in lessons]
        for person in people:
            person.modules = [PersonModule(*size) for size in sizes]
    position = {commune_id: n for n, commune_id in enumerate(ids)}
    return sorted(
        people, key=lambda p: (position[p.commune_id], name_order(p.name), p.id)
    )


def module_figures(standing: ModuleStanding) -> PersonModule:
    """One person's figures on one module, from their standing there."""
    lesson = standing.lesson
    module = PersonModule(lesson.slug, lesson.step_count)
    module.steps_seen = standing.seen_in_lesson
    completions = standing.completions
    # Finished attempts in the order they were finished (a tie: started first).
    attempts = sorted(standing.attempts, key=lambda a: a.at)
    module.assisted = any(r.assisted for r in standing.rows if r.kind == SEEN) or any(
        r.assisted for r in [*completions, *(attempts if lesson.quizzes else [])]
    )
    if completions:
        module.how = (
            SELF_STUDY if not all(c.assisted for c in completions) else ASSISTED
        )
        module.completed_on = local_date(min(c.at for c in completions))
    if not lesson.quizzes:
        return module
    for attempt in attempts:
        score, count = attempt.score or 0, attempt.question_count
        if module.attempts == 0:
            module.first_score, module.first_count = score, count
            module.best_score, module.question_count = score, count
        elif score * module.question_count > module.best_score * count:
            # A better share right (a tie keeps the earlier attempt).
            module.best_score, module.question_count = score, count
        module.attempts += 1
    if module.attempts:
        # The dashboard's rule, in whole numbers: best share >= the pass mark.
        pass_mark = lesson.quiz("vi").pass_percent
        module.passed = module.best_score * 100 >= pass_mark * module.question_count
    return module
