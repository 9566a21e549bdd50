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
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import (
    DateTime,
    Integer,
    String,
    cast,
    literal,
    null,
    select,
    union_all,
)

from content import Lesson
from models import LessonCompletion, Person, QuizAttempt, StepView, db

from .names import name_order

SELF_STUDY = "self-study"
ASSISTED = "assisted"
STEP, DONE, QUIZ = "step", "done", "quiz"


@dataclass(frozen=True)
class Row:
    """One progress row: a step seen, a completion, or a quiz attempt."""

    kind: str  # STEP, DONE or QUIZ
    assisted: bool
    helper_id: int | None
    step: int | None = None
    at: datetime | None = None  # completed, or finished (None: not finished yet)
    score: int | None = None  # questions right on the first try
    question_count: int | None = None
    language: str | None = None


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
    """One person's standing on one module."""

    lesson: Lesson
    rows: list[Row] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # helpers with an account

    def _steps(self, assisted: bool | None = None) -> set[int]:
        return {
            r.step
            for r in self.rows
            if r.kind == STEP and (assisted is None or r.assisted == assisted)
        }

    @property
    def completions(self) -> list[Row]:
        return [r for r in self.rows if r.kind == DONE]

    @property
    def attempts(self) -> list[Row]:
        """Finished quiz attempts, in the order they were started."""
        return [r for r in self.rows if r.kind == QUIZ and r.at is not None]

    @property
    def seen(self) -> int:
        """Distinct steps seen, alone or with a helper."""
        return len(self._steps())

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
        return {r.helper_id for r in self.rows if r.assisted}

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


def _rows_query(ids: list[int], slugs: list[str], steps: bool):
    """Every progress row of these people on these lessons, in one UNION ALL."""

    def branch(model, kind: str, **columns):
        # Typed NULLs where a table has no such column: PostgreSQL needs them to
        # match the branches up, SQLAlchemy to read the times back as times.
        typed = {
            name: columns.get(name, cast(null(), kind_of))
            for name, kind_of in _COLUMNS.items()
        }
        return select(
            model.person_id.label("person_id"),
            model.lesson.label("lesson"),
            literal(kind, String).label("kind"),
            model.assisted.label("assisted"),
            model.assisted_by_id.label("helper_id"),
            *(value.label(name) for name, value in typed.items()),
            model.id.label("id"),
        ).where(model.person_id.in_(ids), model.lesson.in_(slugs))

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
    if steps:
        branches.append(branch(StepView, STEP, step=StepView.step))
    everything = union_all(*branches).subquery()
    return select(everything).order_by(everything.c.kind, everything.c.id)


_COLUMNS = {
    "step": Integer(),
    "at": DateTime(timezone=True),
    "score": Integer(),
    "question_count": Integer(),
    "language": String(5),
}


def standings(
    person_ids: Iterable[int],
    lessons: Sequence[Lesson],
    *,
    steps: bool = True,
) -> dict[int, dict[str, ModuleStanding]]:
    """Per person, per lesson slug (in the order of ``lessons``): their standing.

    Two statements at most: the rows, and the helpers' names if anyone was helped.
    ``steps=False`` leaves the step views out (certificates do not need them).
    """
    ids = sorted(set(person_ids))
    result = {
        person_id: {lesson.slug: ModuleStanding(lesson) for lesson in lessons}
        for person_id in ids
    }
    slugs = [lesson.slug for lesson in lessons]
    if not ids or not slugs:
        return result
    for row in db.session.execute(_rows_query(ids, slugs, steps)):
        values = row._mapping
        result[row.person_id][row.lesson].rows.append(
            Row(**{name: values[name] for name in Row.__dataclass_fields__})
        )
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
