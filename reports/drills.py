"""Drill figures: who is due for a drill, and how much people remember.

- *due*: the next drill's date has come (due_on <= today); *overdue*: more than
  OVERDUE_DAYS (7) days late. Read from one range of the (commune, due date) index.
- *retention*, per module: the share of drill answers right on the first try at
  each stage (1 week, 1 month, 3 months after the quiz was passed), against the
  original quiz's first-try share (the mean first-try score of each person's first
  finished quiz, as the dashboard shows it). Catch-up drills (after a wrong answer)
  are left out: they measure practice, not memory. One grouped query over the
  answers' own (commune, lesson, stage) index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, false, func, select

from models import DrillAnswer, DrillSchedule, Person, db
from services.drills.schedule import LAST_STAGE, OVERDUE_DAYS, days_late

STAGES = tuple(range(1, LAST_STAGE + 1))
PAGE = 50  # due drills listed per page


@dataclass(frozen=True)
class DueDrill:
    """One learner's drill that has come due."""

    person_id: int
    name: str
    birth_year: int | None
    phone: str | None
    lesson: str
    stage: int
    catch_up: bool
    due_on: date
    late: int  # days late (0: due today)

    @property
    def overdue(self) -> bool:
        return self.late > OVERDUE_DAYS


def _due_where(commune_ids: Sequence[int], today: date, slugs: Sequence[str]):
    return (
        DrillSchedule.commune_id.in_(list(commune_ids)),
        DrillSchedule.due_on <= today,
        DrillSchedule.lesson.in_(list(slugs)),
    )


def due_list(
    commune_ids: Sequence[int],
    today: date,
    slugs: Sequence[str],
    *,
    limit: int | None = PAGE,
    offset: int = 0,
) -> tuple[list[DueDrill], int, int]:
    """The learners' due drills in these communes, the longest-waiting first (a page
    of ``limit``); and how many drills and how many people are due in all."""
    where = (*_due_where(commune_ids, today, slugs), Person.role == "learner")
    query = (
        select(
            Person.id,
            Person.name,
            Person.birth_year,
            Person.phone,
            DrillSchedule.lesson,
            DrillSchedule.stage,
            DrillSchedule.catch_up,
            DrillSchedule.due_on,
        )
        .join(Person, Person.id == DrillSchedule.person_id)
        .where(*where)
        .order_by(DrillSchedule.due_on, Person.name, Person.id, DrillSchedule.lesson)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [
        DueDrill(*row, late=days_late(row[-1], today))
        for row in db.session.execute(query)
    ]
    counts = (
        select(func.count(), func.count(DrillSchedule.person_id.distinct()))
        .join(Person, Person.id == DrillSchedule.person_id)
        .where(*where)
    )
    drills, people = db.session.execute(counts).one()
    return rows, drills, people


@dataclass
class DueCounts:
    due: int = 0
    overdue: int = 0


def due_counts(
    commune_ids: Sequence[int], today: date, slugs: Sequence[str]
) -> dict[int, DueCounts]:
    """Per commune: drills due now, and of those, overdue (more than a week late).
    Learners and helpers count (the people the dashboard counts)."""
    late = today - timedelta(days=OVERDUE_DAYS)
    query = (
        select(
            DrillSchedule.commune_id,
            func.count(),
            func.sum(case((DrillSchedule.due_on < late, 1), else_=0)),
        )
        .where(*_due_where(commune_ids, today, slugs))
        .group_by(DrillSchedule.commune_id)
    )
    counts = {commune_id: DueCounts() for commune_id in commune_ids}
    for commune_id, due, overdue in db.session.execute(query):
        counts[commune_id] = DueCounts(due, overdue or 0)
    return counts


@dataclass
class Retention:
    """One module's first-try shares: the original quiz, then each drill stage."""

    slug: str
    quiz_percent: float | None = None
    answered: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    right: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))

    def percent(self, stage: int) -> float | None:
        answered = self.answered[stage]
        return None if not answered else 100.0 * self.right[stage] / answered


def retention(
    commune_ids: Sequence[int],
    slugs: Sequence[str],
    quiz_percent: dict[tuple[int, str], float | None] | None = None,
) -> dict[int, list[Retention]]:
    """Per commune, per module in ``slugs``: drill answers right on the first try
    per stage, with the quiz's first-try share from ``quiz_percent`` (by commune
    and slug, as the dashboard figures have it)."""
    quiz_percent = quiz_percent or {}
    result = {
        cid: {slug: Retention(slug, quiz_percent.get((cid, slug))) for slug in slugs}
        for cid in commune_ids
    }
    answer = DrillAnswer
    query = (
        select(
            answer.commune_id,
            answer.lesson,
            answer.stage,
            func.count(),
            func.sum(case((answer.correct, 1), else_=0)),
        )
        .where(
            answer.commune_id.in_(list(commune_ids)),
            answer.catch_up == false(),
            answer.lesson.in_(list(slugs)),
        )
        .group_by(answer.commune_id, answer.lesson, answer.stage)
    )
    for commune_id, slug, stage, answered, right in db.session.execute(query):
        row = result[commune_id][slug]
        if stage in row.answered:
            row.answered[stage], row.right[stage] = answered, right or 0
    return {cid: list(rows.values()) for cid, rows in result.items()}
