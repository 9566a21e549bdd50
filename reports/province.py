"""The province view's figures, per province or per commune of one province.

They are read from the summaries kept on write (models/figures.py), never from
each person's progress, so a request costs the same few grouped queries at
1,000,000 learners as at 10,000. The measures are those of a commune's dashboard
(reports/dashboard.py), and a test checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Integer, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from content import Lesson
from models import (
    Commune,
    CommuneCompletions,
    CommuneJoins,
    CommuneResults,
    CommuneTotals,
    db,
)
from models.figures import NO_SCORE

from .dashboard import TREND_WEEKS, CommuneFigures, ModuleFigures, WeekFigures
from .dates import local_today, week_start


def province_figures(
    province_ids: Sequence[int], lessons: Sequence[Lesson], today: date | None = None
) -> dict[int, CommuneFigures]:
    """The measures of each province (by id), its communes summed."""
    where = Commune.province_id.in_(list(province_ids))
    return _figures(Commune.province_id, where, province_ids, lessons, today)


def kept_figures(
    commune_ids: Sequence[int], lessons: Sequence[Lesson], today: date | None = None
) -> dict[int, CommuneFigures]:
    """The measures of each commune (by id), as its dashboard shows them."""
    where = Commune.id.in_(list(commune_ids))
    return _figures(Commune.id, where, commune_ids, lessons, today)


def _figures(key, where, areas, lessons, today) -> dict[int, CommuneFigures]:
    def grouped(summary, *columns):
        return (
            select(key, *columns)
            .select_from(summary)
            .join(Commune, Commune.id == summary.commune_id)
            .where(where)
        )

    figures: dict[int, CommuneFigures] = {}
    first_week = week_start(today or local_today()) - timedelta(weeks=TREND_WEEKS - 1)

    def of(area: int) -> CommuneFigures:
        if area not in figures:
            modules = [ModuleFigures(lesson.slug) for lesson in lessons]
            weeks = [
                WeekFigures(first_week + timedelta(weeks=n)) for n in range(TREND_WEEKS)
            ]
            figures[area] = CommuneFigures(area, modules=modules, weeks=weeks)
        return figures[area]

    for area in areas:
        of(area)

    totals = CommuneTotals
    sums = (func.sum(totals.registered), func.sum(totals.reached))
    query = grouped(totals, *sums, func.sum(totals.helped)).group_by(key)
    for area, registered, reached, helped in db.session.execute(query):
        area_figures = of(area)
        area_figures.registered, area_figures.reached = registered, reached
        area_figures.assisted = helped
    _modules(grouped, key, lessons, of)
    _weeks(grouped, key, lessons, first_week, of)
    for area_figures in figures.values():
        for module in area_figures.modules:
            module.reached = area_figures.reached
    return figures


def _modules(grouped, key, lessons, of) -> None:
    results = CommuneResults
    marks = {ls.slug: ls.quiz("vi").pass_percent for ls in lessons if ls.quiz("vi")}
    # A module without a quiz: nobody passes it.
    none = literal(101.0)
    pass_mark = case(marks, value=results.lesson, else_=none) if marks else none
    took = results.best_percent > NO_SCORE
    query = grouped(
        results,
        results.lesson,
        func.sum(results.completed),
        func.sum(results.completed_alone),
        func.sum(_when(took, results.people)),
        func.sum(results.first_sum),
        func.sum(_when(took, results.best_percent * results.people)),
        func.sum(_when(results.best_percent >= pass_mark, results.people)),
    )
    query = query.where(results.lesson.in_([ls.slug for ls in lessons]))
    for area, slug, completed, alone, takers, first, best, passed in db.session.execute(
        query.group_by(key, results.lesson)
    ):
        module = of(area).module(slug)
        module.completed, module.completed_alone = completed, alone
        module.completed_assisted = completed - alone
        module.quiz_takers, module.passed = takers, passed
        if takers:
            module.first_try_percent = float(first) / takers
            module.best_percent = float(best) / takers


def _weeks(grouped, key, lessons, first_week: date, of) -> None:
    """New people and modules completed per week, grouped in SQL over the last
    TREND_WEEKS weeks only."""
    slugs = [lesson.slug for lesson in lessons]
    for summary, count, where, field in (
        (CommuneJoins, CommuneJoins.people, True, "new_people"),
        (
            CommuneCompletions,
            CommuneCompletions.completions,
            CommuneCompletions.lesson.in_(slugs),
            "completions",
        ),
    ):
        week = _week_number(summary.day, first_week)
        query = (
            grouped(summary, week, func.sum(count))
            .where(summary.day >= first_week, where)
            .group_by(key, week)
        )
        for area, number, total in db.session.execute(query):
            weeks = of(area).weeks
            if 0 <= number < TREND_WEEKS:
                setattr(weeks[number], field, getattr(weeks[number], field) + total)


def _week_number(day: ColumnElement, first_week: date) -> ColumnElement:
    """SQL: how many whole weeks ``day`` is after ``first_week`` (a Monday)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(day - first_week, Integer) // 7
    return (
        cast(func.julianday(day) - func.julianday(first_week.isoformat()), Integer) // 7
    )


def _when(condition, value):
    return case((condition, value), else_=0)
