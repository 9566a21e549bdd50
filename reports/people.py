"""Per person and per module: what each person counted in a commune has done.

The same people and the same definitions as the dashboard (reports/dashboard.py):
learners and helpers (models.COUNTED_ROLES) of the communes asked for; a module is
*completed* once any completion is recorded, and counts as self-study when it was
done alone at least once (as assisted otherwise); the *first-try score* is the score
of the first finished attempt (by the time it was finished), the *best score* that
of the finished attempt with the best share right; *passed* means the best attempt
reached the quiz's pass mark. A score counts the questions right on the first try.

Four queries grouped by person and lesson, whatever the number of people: the rows
of a 10,000-learner commune come back in a fraction of a second on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from content import Lesson
from models import LessonCompletion, Person, QuizAttempt, StepView, db
from services.names import name_order

from .dashboard import as_date, counted_people, percent
from .dates import local_day

ASSISTED = "assisted"
SELF_STUDY = "self-study"


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
    go (by given name)."""
    ids = list(dict.fromkeys(commune_ids))
    if not ids:
        return []
    query = select(
        Person.id, Person.name, Person.birth_year, Person.role, Person.commune_id
    ).where(counted_people(ids))
    sizes = [(lesson.slug, lesson.step_count) for lesson in lessons]
    people = {
        row.id: PersonFigures(*row, modules=[PersonModule(*size) for size in sizes])
        for row in db.session.execute(query)
    }
    if people and lessons:
        found = {
            (person_id, module.slug): module
            for person_id, person in people.items()
            for module in person.modules
        }
        _steps(ids, lessons, found)
        _completions(ids, lessons, found)
        _attempts(ids, lessons, found)
    position = {commune_id: n for n, commune_id in enumerate(ids)}
    return sorted(
        people.values(),
        key=lambda p: (position[p.commune_id], name_order(p.name), p.id),
    )


def _flag(condition) -> object:
    """1 where ``condition`` holds, else 0: max() of it says "at least once"."""
    return func.max(case((condition, 1), else_=0))


def _steps(ids, lessons, found: dict[tuple[int, str], PersonModule]) -> None:
    counts = {ls.slug: ls.step_count for ls in lessons}
    # Steps of a lesson since shortened are not counted.
    in_lesson = StepView.step <= case(counts, value=StepView.lesson, else_=0)
    query = (
        select(
            Person.id,
            StepView.lesson,
            # A step seen both alone and with a helper is one step.
            func.count(StepView.step.distinct()),
            _flag(StepView.assisted),
        )
        .join(Person, Person.id == StepView.person_id)
        .where(counted_people(ids), StepView.lesson.in_(list(counts)), in_lesson)
        # By Person.id: the rows come in the order of its index, no sorting needed.
        .group_by(Person.id, StepView.lesson)
    )
    for person_id, slug, seen, helped in db.session.execute(query):
        module = found[person_id, slug]
        module.steps_seen = seen
        module.assisted = module.assisted or bool(helped)


def _completions(ids, lessons, found: dict[tuple[int, str], PersonModule]) -> None:
    query = (
        select(
            Person.id,
            LessonCompletion.lesson,
            # 0 as soon as one completion was alone: then it counts as self-study.
            func.min(case((LessonCompletion.assisted, 1), else_=0)),
            _flag(LessonCompletion.assisted),
            local_day(func.min(LessonCompletion.completed_at)),
        )
        .join(Person, Person.id == LessonCompletion.person_id)
        .where(
            counted_people(ids),
            LessonCompletion.lesson.in_([ls.slug for ls in lessons]),
        )
        .group_by(Person.id, LessonCompletion.lesson)
    )
    for person_id, slug, only_helped, helped, first in db.session.execute(query):
        module = found[person_id, slug]
        module.how = ASSISTED if only_helped else SELF_STUDY
        module.completed_on = as_date(first)
        module.assisted = module.assisted or bool(helped)


def _attempts(ids, lessons, found: dict[tuple[int, str], PersonModule]) -> None:
    """Finished attempts, each person's in the order they were finished (the order of
    the index: no sorting), read once: the first, the best, how many, and whether
    passed."""
    pass_marks = {ls.slug: ls.quiz("vi").pass_percent for ls in lessons if ls.quizzes}
    if not pass_marks:
        return
    query = (
        select(
            Person.id,
            QuizAttempt.lesson,
            QuizAttempt.first_try_score,
            QuizAttempt.question_count,
            QuizAttempt.assisted,
        )
        .join(Person, Person.id == QuizAttempt.person_id)
        .where(
            counted_people(ids),
            QuizAttempt.finished_at.is_not(None),
            QuizAttempt.lesson.in_(list(pass_marks)),
        )
        .order_by(Person.id, QuizAttempt.lesson, QuizAttempt.finished_at)
    )
    for person_id, slug, score, count, helped in db.session.execute(query):
        module = found[person_id, slug]
        score = score or 0
        if module.attempts == 0:
            module.first_score, module.first_count = score, count
            module.best_score, module.question_count = score, count
        elif score * module.question_count > module.best_score * count:
            # A better share right (a tie keeps the earlier attempt).
            module.best_score, module.question_count = score, count
        module.attempts += 1
        module.assisted = module.assisted or helped
        # The dashboard's rule, in whole numbers: best share >= the pass mark.
        best, questions = module.best_score, module.question_count
        module.passed = best * 100 >= pass_marks[slug] * questions
