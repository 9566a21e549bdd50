"""Where a person stands in each module: the one read model of a learner's progress.

Home, the progress page (with a helper and alone apart), certificates and the
per-person exports all ask the same question: steps seen, lesson completed, first
and best quiz score, helped or alone (and by whom), certificate earned. It is
answered here, from the person's progress rows read in ONE statement (a UNION ALL of
their step views, completions and quiz attempts on the lessons asked for), plus one
more for the helpers' names when there are any, whatever the number of lessons.

The certificate rule (see reports/certificates.py for the whole story) is here too:
completed the lesson, and passed its quiz if it has one (some finished attempt whose
first-try score reaches the pass mark of the quiz in the attempt's language); *self-
study* when both were done alone, else *assisted*; earned at the later of the first
qualifying completion and the first qualifying pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from content import Lesson
from models import DrillSchedule, LessonCompletion, Person, QuizAttempt, StepView, db

from .names import name_order

SELF_STUDY = "self-study"
ASSISTED = "assisted"
STEP, DONE, QUIZ = "step", "done", "quiz"
DRILL = "drill"  # the next drill of a module: its stage (``step``) and due date
SEEN = "seen"  # the steps of a lesson seen, counted in SQL (for many people at once)
# What to read of the step views: each one, only how many, or nothing.
EACH, COUNTED, NONE = "each", "counted", "none"


@dataclass(frozen=True)
class Row:
    """One progress row: a step seen, a completion, or a quiz attempt."""

    kind: str  # STEP, DONE, QUIZ or SEEN
    assisted: bool  # SEEN: at least one of the steps with a helper
    helper_id: int | None
    step: int | None = None  # SEEN: how many distinct steps of the lesson now
    at: datetime | None = None  # completed, or finished (None: not finished yet)
    score: int | None = None  # questions right on the first try
    question_count: int | None = None
    language: str | None = None
    due: date | None = None  # DRILL: when the next drill is due


@dataclass
class Mode:
    """What was done one way (with a helper, or alone) on one module."""

    seen: int = 0
    completed: bool = False
    first: int | None = None
    best: int | None = None


@dataclass
class Certificate:
    """A module's certificate as the progress rows say it now (helpers by id)."""

    mode: str  # SELF_STUDY or ASSISTED
    helper_ids: set[int | None]
    earned_at: datetime  # UTC
    best_score: int | None  # None for a lesson without a quiz
    question_count: int | None


@dataclass
class ModuleStanding:
    """One person's standing on one module (its figures are read once all its rows
    are in)."""

    lesson: Lesson
    rows: list[Row] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # helpers with an account

    def _steps(self, assisted: bool | None = None) -> set[int]:
        return {
            r.step
            for r in self.rows
            if r.kind == STEP and (assisted is None or r.assisted == assisted)
        }

    @cached_property
    def completions(self) -> list[Row]:
        return [r for r in self.rows if r.kind == DONE]

    @cached_property
    def attempts(self) -> list[Row]:
        """Finished quiz attempts, in the order they were started."""
        return [r for r in self.rows if r.kind == QUIZ and r.at is not None]

    @property
    def steps_seen(self) -> set[int]:
        """The numbers of the steps seen, alone or with a helper."""
        return self._steps()

    @property
    def seen(self) -> int:
        """Distinct steps seen, alone or with a helper."""
        counted = [r.step for r in self.rows if r.kind == SEEN]
        return counted[0] if counted else len(self._steps())

    @property
    def seen_in_lesson(self) -> int:
        """Distinct steps seen that the lesson still has (it may have been shortened)."""
        counted = [r.step for r in self.rows if r.kind == SEEN]
        if counted:
            return counted[0]
        return len({s for s in self._steps() if s <= self.lesson.step_count})

    @property
    def completed(self) -> bool:
        return bool(self.completions)

    @property
    def first(self) -> int | None:
        """First-try score of the first finished attempt."""
        attempts = self.attempts
        return (attempts[0].score or 0) if attempts else None

    @property
    def best(self) -> int | None:
        """The highest first-try score of any finished attempt."""
        return max((a.score or 0 for a in self.attempts), default=None)

    def mode(self, assisted: bool) -> Mode:
        """What was done with a helper (``assisted``) or alone."""
        scores = [a.score or 0 for a in self.attempts if a.assisted == assisted]
        return Mode(
            seen=len(self._steps(assisted)),
            completed=any(c.assisted == assisted for c in self.completions),
            first=scores[0] if scores else None,
            best=max(scores, default=None),
        )

    @property
    def assisted(self) -> Mode:
        return self.mode(True)

    @property
    def alone(self) -> Mode:
        return self.mode(False)

    @property
    def helper_ids(self) -> set[int | None]:
        """Who helped on this module (None: a helper whose account was deleted)."""
        return {r.helper_id for r in self.rows if r.assisted and r.kind != SEEN}

    @property
    def helpers(self) -> list[str]:
        """The helpers' names; "a former helper" last if an account was deleted."""
        ids = self.helper_ids
        known = sorted({self.names[i] for i in ids if i in self.names}, key=name_order)
        if any(i not in self.names for i in ids):
            known.append(_("a former helper"))
        return known

    @property
    def certificate(self) -> Certificate | None:
        return certificate_of(self.lesson, self.completions, self.attempts)

    @property
    def drill_due(self) -> date | None:
        """When the next drill of this module is due (None: none planned; read on
        the pages that read each step)."""
        return next((r.due for r in self.rows if r.kind == DRILL), None)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _passed(lesson: Lesson, attempt: Row) -> bool:
    quiz = lesson.quiz(attempt.language)
    score = attempt.score or 0
    return score * 100 >= quiz.pass_percent * attempt.question_count


def certificate_of(
    lesson: Lesson, completions: list[Row], attempts: list[Row]
) -> Certificate | None:
    """The certificate these completions and finished attempts earn, or None."""
    if not completions:
        return None
    passing = [a for a in attempts if _passed(lesson, a)] if lesson.quizzes else []
    if lesson.quizzes and not passing:
        return None
    alone_done = [c.at for c in completions if not c.assisted]
    alone_passed = [a.at for a in passing if not a.assisted]
    if alone_done and (not lesson.quizzes or alone_passed):
        mode, helpers = SELF_STUDY, set()
        moments = [min(map(_utc, alone_done))]
        if alone_passed:
            moments.append(min(map(_utc, alone_passed)))
    else:
        mode = ASSISTED
        helpers = {c.helper_id for c in completions if c.assisted}
        helpers |= {a.helper_id for a in passing if a.assisted}
        moments = [min(_utc(c.at) for c in completions)]
        if passing:
            moments.append(min(_utc(a.at) for a in passing))
    best = max(attempts, key=lambda a: a.score or 0, default=None)
    scored = best is not None and bool(lesson.quizzes)
    return Certificate(
        mode=mode,
        helper_ids=helpers,
        earned_at=max(moments),
        best_score=(best.score or 0) if scored else None,
        question_count=best.question_count if scored else None,
    )


def _rows_query(people: ColumnElement, lessons: Sequence[Lesson], steps: str):
    """Every progress row of ``people`` (a condition on a person id column) on
    ``lessons``, in one UNION ALL."""
    slugs = [lesson.slug for lesson in lessons]

    def branch(model, kind: str, **columns):
        # Typed NULLs where a table has no such column: PostgreSQL needs them to
        # match the branches up, SQLAlchemy to read the times back as times.
        values = {
            "person_id": model.person_id,
            "lesson": model.lesson,
            "kind": literal(kind, String),
            "assisted": model.assisted,
            "helper_id": model.assisted_by_id,
        }
        values |= {name: cast(null(), type_) for name, type_ in _COLUMNS.items()}
        values |= {"id": model.id} | columns
        query = select(*(value.label(name) for name, value in values.items()))
        return query.where(people(model.person_id), model.lesson.in_(slugs))

    branches = [
        branch(LessonCompletion, DONE, at=LessonCompletion.completed_at),
        branch(
            QuizAttempt,
            QUIZ,
            at=QuizAttempt.finished_at,
            score=QuizAttempt.first_try_score,
            question_count=QuizAttempt.question_count,
            language=QuizAttempt.language,
        ),
    ]
    if steps == EACH:
        branches.append(branch(StepView, STEP, step=StepView.step))
        branches.append(_drill_branch(people, slugs))
    elif steps == COUNTED:
        counts = {lesson.slug: lesson.step_count for lesson in lessons}
        in_lesson = StepView.step <= case(counts, value=StepView.lesson, else_=0)
        seen = branch(
            StepView,
            SEEN,
            # A step seen both alone and with a helper is one step.
            step=func.count(StepView.step.distinct()),
            assisted=cast(func.max(case((StepView.assisted, 1), else_=0)), Boolean),
            helper_id=cast(null(), Integer),
            id=func.min(StepView.id),
        )
        branches.append(
            seen.where(in_lesson).group_by(StepView.person_id, StepView.lesson)
        )
    everything = union_all(*branches).subquery()
    return select(everything).order_by(everything.c.kind, everything.c.id)


_COLUMNS = {
    "step": Integer(),
    "at": DateTime(timezone=True),
    "score": Integer(),
    "question_count": Integer(),
    "language": String(5),
    "due": Date(),
}


def _drill_branch(people, slugs: list[str]) -> Select:
    """The next drill of each module (folded into the same statement, so home still
    reads a learner's progress in one)."""
    schedule = DrillSchedule
    values = {
        "person_id": schedule.person_id,
        "lesson": schedule.lesson,
        "kind": literal(DRILL, String),
        "assisted": cast(literal(0), Boolean),
        "helper_id": cast(null(), Integer),
    }
    values |= {name: cast(null(), type_) for name, type_ in _COLUMNS.items()}
    values |= {"step": schedule.stage, "due": schedule.due_on, "id": schedule.id}
    query = select(*(value.label(name) for name, value in values.items()))
    return query.where(
        people(schedule.person_id),
        schedule.lesson.in_(slugs),
        schedule.due_on.is_not(None),
    )


class Standings(dict):
    """Per person id, per lesson slug: a ``ModuleStanding`` (empty for anyone who
    has done nothing)."""

    def __init__(self, lessons: Sequence[Lesson]) -> None:
        super().__init__()
        self.lessons = list(lessons)

    def empty(self) -> dict[str, ModuleStanding]:
        return {lesson.slug: ModuleStanding(lesson) for lesson in self.lessons}

    def __missing__(self, person_id: int) -> dict[str, ModuleStanding]:
        self[person_id] = self.empty()
        return self[person_id]


def standings(
    people: Iterable[int] | Select,
    lessons: Sequence[Lesson],
    *,
    steps: str = EACH,
) -> Standings:
    """Per person, per lesson slug (in the order of ``lessons``): their standing.

    ``people``: person ids, or a SELECT of person ids (a whole commune). ``steps``:
    EACH step view (pages), only how many were COUNTED (many people at once), or
    NONE (certificates). Two statements at most: the rows, and the names of the
    helpers if anyone was helped.
    """
    result = Standings(lessons)
    if isinstance(people, Select):
        mine = people.scalar_subquery()

        def of(column: ColumnElement) -> ColumnElement:
            return column.in_(mine)
    else:
        ids = sorted(set(people))
        result.update({person_id: result.empty() for person_id in ids})

        def of(column: ColumnElement) -> ColumnElement:
            return column.in_(ids)

        if not ids:
            return result
    if not lessons:
        return result
    for person_id, slug, *values, _id in db.session.execute(
        _rows_query(of, lessons, steps)
    ):
        result[person_id][slug].rows.append(Row(*values))
    _name_helpers(module for mine in result.values() for module in mine.values())
    return result


def _name_helpers(modules: Iterable[ModuleStanding]) -> None:
    modules = [module for module in modules if module.helper_ids]
    wanted = set().union(*(module.helper_ids for module in modules)) - {None}
    names = helper_names(wanted)
    for module in modules:
        module.names = {i: names[i] for i in module.helper_ids if i in names}


def helper_names(ids: set[int]) -> dict[int, str]:
    """The names of these people who still have an account (no statement if none)."""
    if not ids:
        return {}
    query = select(Person.id, Person.name).where(Person.id.in_(ids))
    return dict(db.session.execute(query).all())


def standing_of(
    person: Person | None, lessons: Sequence[Lesson]
) -> dict[str, ModuleStanding]:
    """``person``'s standing on each of ``lessons`` (nothing done for no one)."""
    if person is None:
        return {lesson.slug: ModuleStanding(lesson) for lesson in lessons}
    return standings([person.id], lessons)[person.id]
