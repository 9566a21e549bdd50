"""The measures of a commune's dashboard, computed for many communes at once.

Who is counted: the learners and helpers whose commune it is (trainers and admins
try the lessons out, and that is not teaching). A person is *reached* once they
have seen a step or finished a quiz.

Per module, for the people reached:

- *completed*: went through every step of the lesson (with a helper or alone; a
  person who did both counts once, as self-study, the way certificates do);
- *first-try score*: the score of the first quiz attempt a person finished;
- *best score*: the best of their finished attempts; each attempt's score counts
  the questions right on the first try, as the result page does;
- *passed*: their best attempt reached the quiz's pass mark.

Scores are averaged over the people who finished the quiz at least once. Every
query groups by commune, so the province view costs the same few queries as one
commune's dashboard. Completions and scores are read from each person's module
results (models/results.py), which the progress rows keep up to date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, func, literal, select

from content import Lesson
from models import (
    COUNTED_ROLES,
    ModuleResult,
    Person,
    db,
)

from .dates import local_day, local_today, start_of_local_day, week_start

TREND_WEEKS = 8


@dataclass
class ModuleFigures:
    """One module's measures in one commune."""

    slug: str
    reached: int = 0  # people reached in the commune: the base of the rates
    completed: int = 0
    completed_assisted: int = 0
    completed_alone: int = 0
    quiz_takers: int = 0
    first_try_percent: float | None = None
    best_percent: float | None = None
    passed: int = 0

    @property
    def completion_percent(self) -> float | None:
        return percent(self.completed, self.reached)

    @property
    def pass_percent(self) -> float | None:
        return percent(self.passed, self.quiz_takers)


@dataclass
class WeekFigures:
    """What happened in one week (Monday to Sunday, Vietnam time)."""

    starts: date
    new_people: int = 0
    completions: int = 0


@dataclass
class CommuneFigures:
    """Everything a commune's dashboard and the province view show."""

    commune_id: int
    registered: int = 0
    reached: int = 0
    assisted: int = 0  # reached people who learned with a helper at least once
    modules: list[ModuleFigures] = field(default_factory=list)
    weeks: list[WeekFigures] = field(default_factory=list)

    @property
    def alone(self) -> int:
        """Reached people who only ever learned on their own."""
        return self.reached - self.assisted

    def module(self, slug: str) -> ModuleFigures:
        return next(m for m in self.modules if m.slug == slug)

    @property
    def completions(self) -> int:
        return sum(module.completed for module in self.modules)

    @property
    def pass_percent(self) -> float | None:
        """Of the quiz takers of every module, how many passed."""
        takers = sum(module.quiz_takers for module in self.modules)
        return percent(sum(module.passed for module in self.modules), takers)


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def commune_figures(
    commune_ids: Sequence[int],
    lessons: Sequence[Lesson],
    today: date | None = None,
) -> dict[int, CommuneFigures]:
    """The dashboard measures of each commune in ``commune_ids``, for ``lessons``."""
    figures = {
        cid: CommuneFigures(cid, modules=[ModuleFigures(ls.slug) for ls in lessons])
        for cid in commune_ids
    }
    if not figures:
        return figures
    first_week = week_start(today or local_today()) - timedelta(weeks=TREND_WEEKS - 1)
    _count_people(figures)
    completions_per_day = _count_modules(figures, lessons, first_week)
    _count_weeks(figures, completions_per_day, first_week)
    return figures


def counted_people(commune_ids: Iterable[int]):
    """SQL condition on Person: the people counted in these communes (learners and
    helpers, models.COUNTED_ROLES). Shared with reports/people.py."""
    return and_(
        Person.commune_id.in_(list(commune_ids)), Person.role.in_(COUNTED_ROLES)
    )


def _count_people(figures: dict[int, CommuneFigures]) -> None:
    """Registered, reached and helped, from the flags kept on each person as progress
    is written (models/figures.py): one pass over the commune's people, where asking
    each person's progress live cost a quarter of the dashboard at 10,000 learners."""
    query = (
        select(
            Person.commune_id,
            func.count(),
            func.sum(case((Person.reached, 1), else_=0)),
            func.sum(case((and_(Person.reached, Person.helped), 1), else_=0)),
        )
        .where(counted_people(figures))
        .group_by(Person.commune_id)
    )
    for commune_id, registered, reached_count, assisted in db.session.execute(query):
        commune = figures[commune_id]
        commune.registered, commune.reached = registered, reached_count or 0
        commune.assisted = assisted or 0
        for module in commune.modules:
            module.reached = commune.reached


def _count_modules(
    figures: dict[int, CommuneFigures], lessons: Sequence[Lesson], first_week: date
) -> dict[int, dict[date, int]]:
    """Per module: completed (helped or alone), quiz takers, mean scores, passed; and
    modules completed per day since ``first_week``, for the trend. One row per person
    and module is read (models/results.py), not every completion and attempt."""
    slugs = [ls.slug for ls in lessons]
    pass_marks = {
        ls.slug: ls.quiz("vi").pass_percent for ls in lessons if ls.quiz("vi")
    }
    result = ModuleResult
    pass_mark = case(pass_marks, value=result.lesson, else_=literal(101))
    done = result.completed_at.is_not(None)
    query = (
        select(
            Person.commune_id,
            result.lesson,
            func.count(result.completed_at),
            func.sum(case((and_(done, result.completed_alone), 1), else_=0)),
            func.count(result.best_percent),
            func.avg(result.first_percent),
            func.avg(result.best_percent),
            func.sum(case((result.best_percent >= pass_mark, 1), else_=0)),
        )
        .join(Person, Person.id == result.person_id)
        .where(counted_people(figures), result.lesson.in_(slugs))
        .group_by(Person.commune_id, result.lesson)
    )
    for (
        commune_id,
        slug,
        completed,
        alone,
        takers,
        first,
        best,
        passed,
    ) in db.session.execute(query):
        module = figures[commune_id].module(slug)
        module.completed, module.completed_alone = completed, alone or 0
        module.completed_assisted = completed - module.completed_alone
        module.quiz_takers, module.passed = takers, passed or 0
        if takers:
            module.first_try_percent, module.best_percent = float(first), float(best)
    day = local_day(result.completed_at)
    query = (
        select(Person.commune_id, day, func.count())
        .join(Person, Person.id == result.person_id)
        .where(
            counted_people(figures),
            result.lesson.in_(slugs),
            result.completed_at >= start_of_local_day(first_week),
        )
        .group_by(Person.commune_id, day)
    )
    per_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for commune_id, moment, count in db.session.execute(query):
        per_day[commune_id][as_date(moment)] += count
    return per_day


def _count_weeks(
    figures: dict[int, CommuneFigures],
    completions_per_day: dict[int, dict[date, int]],
    first_week: date,
) -> None:
    """New people and modules completed, per week, for TREND_WEEKS weeks from
    ``first_week``."""
    joined = local_day(Person.created_at)
    query = (
        select(Person.commune_id, joined, func.count())
        .where(
            counted_people(figures), Person.created_at >= start_of_local_day(first_week)
        )
        .group_by(Person.commune_id, joined)
    )
    new_per_day: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for commune_id, day, count in db.session.execute(query):
        new_per_day[commune_id][as_date(day)] += count
    for commune_id, commune in figures.items():
        weeks = {
            start: WeekFigures(start)
            for start in (first_week + timedelta(weeks=n) for n in range(TREND_WEEKS))
        }
        for day, count in new_per_day[commune_id].items():
            if week_start(day) in weeks:
                weeks[week_start(day)].new_people += count
        for day, count in completions_per_day.get(commune_id, {}).items():
            if week_start(day) in weeks:
                weeks[week_start(day)].completions += count
        commune.weeks = list(weeks.values())


def as_date(value: date | str) -> date:
    """SQLite's date() answers text; PostgreSQL answers a date."""
    return value if isinstance(value, date) else date.fromisoformat(value)
