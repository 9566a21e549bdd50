"""Certificates: which modules a learner has earned, how, since when, and their codes.

The rule. A learner earns a module's certificate when they have

- completed the lesson (a ``LessonCompletion`` row, with a helper or alone), and
- passed its quiz: some finished ``QuizAttempt`` of that lesson whose score (the
  questions right on the first try) reaches the pass mark of the lesson's quiz in the
  content library: ``first_try_score * 100 >= pass_percent * question_count``, as
  ``content.Quiz.passed`` says. A lesson without a quiz needs the completion alone.

Only the modules of the course count (not the practice rooms).

How it was earned. *Self-study* when the lesson was completed alone and (there is no
quiz, or the quiz was passed alone); otherwise *assisted*, naming the helpers of the
assisted completions and passing attempts who still have an account.

When. The later of the first qualifying completion and the first qualifying pass
(for a self-study certificate, the first done alone; for an assisted one, the first
done either way), shown as the day in Vietnam (Asia/Ho_Chi_Minh), dd/mm/yyyy.

Nothing of this is stored. A ``Certificate`` row keeps only the verification code,
made the first time the certificate is printed; what a certificate says is read from
the progress rows each time, so it never disagrees with them, and the public check
says "not valid" as soon as the learner no longer qualifies (or was deleted: their
certificate rows go with them).

Codes are 10 characters of ``CODE_ALPHABET`` (the learner cards' alphabet: nothing a
Vietnamese keyboard changes, no look-alikes), about 41 random bits from ``secrets``,
stored upper-case without the dash and printed as ``XXXXX-XXXXX``; a typed code may
be in small letters, with or without the dash or spaces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from content import Lesson, Library
from models import Certificate, LessonCompletion, Person, QuizAttempt, db, insert_once
from services.codes import CODE_ALPHABET, new_code, normalise_code
from services.names import name_order

from .dates import day_text

SELF_STUDY = "self-study"
ASSISTED = "assisted"
CODE_LENGTH = 10
TRIES = 20  # a new code collides once in ~2^41 / certificates: 20 tries never all fail


@dataclass
class Earned:
    """One module's certificate as the progress rows say it now."""

    slug: str
    title: str
    mode: str  # SELF_STUDY or ASSISTED
    helpers: list[str]  # the helpers' names (assisted only; deleted helpers left out)
    earned_at: datetime  # UTC
    best_score: int | None = None  # questions right on the first try, best attempt
    question_count: int | None = None  # of that attempt; None for a lesson with no quiz

    @property
    def self_study(self) -> bool:
        return self.mode == SELF_STUDY

    @property
    def date_text(self) -> str:
        """The day it was earned in Vietnam, as dd/mm/yyyy."""
        return day_text(self.earned_at)


class NotEarned(LookupError):
    """The learner has not (or no longer) earned this module's certificate."""


@dataclass
class _Rows:
    """One person's rows on one lesson."""

    completions: list[LessonCompletion] = field(default_factory=list)
    attempts: list[QuizAttempt] = field(default_factory=list)


def earned_by_person(
    person_ids: Iterable[int], lessons: Sequence[Lesson], language: str = "vi"
) -> dict[int, list[Earned]]:
    """For each person, the certificates they have earned among ``lessons`` (in that
    order). Three queries, whatever the number of people."""
    ids = sorted(set(person_ids))
    result: dict[int, list[Earned]] = {person_id: [] for person_id in ids}
    slugs = [lesson.slug for lesson in lessons]
    if not ids or not slugs:
        return result
    rows: dict[tuple[int, str], _Rows] = defaultdict(_Rows)
    completions = select(LessonCompletion).where(
        LessonCompletion.person_id.in_(ids), LessonCompletion.lesson.in_(slugs)
    )
    for completion in db.session.scalars(completions):
        rows[completion.person_id, completion.lesson].completions.append(completion)
    attempts = (
        select(QuizAttempt)
        .where(
            QuizAttempt.person_id.in_(ids),
            QuizAttempt.lesson.in_(slugs),
            QuizAttempt.finished_at.is_not(None),
        )
        .order_by(QuizAttempt.id)
    )
    for attempt in db.session.scalars(attempts):
        rows[attempt.person_id, attempt.lesson].attempts.append(attempt)

    found: list[tuple[int, Earned, set[int | None]]] = []
    for person_id in ids:
        for lesson in lessons:
            mine = rows.get((person_id, lesson.slug))
            if mine is not None:
                outcome = _earned(lesson, mine, language)
                if outcome is not None:
                    found.append((person_id, *outcome))

    helper_ids = set().union(*(helpers for _p, _e, helpers in found)) - {None}
    names = dict(
        db.session.execute(
            select(Person.id, Person.name).where(Person.id.in_(helper_ids))
        ).all()
    )
    for person_id, earned, helpers in found:
        known = {names[i] for i in helpers if i in names}
        earned.helpers = sorted(known, key=name_order)
        result[person_id].append(earned)
    return result


def _earned(
    lesson: Lesson, rows: _Rows, language: str
) -> tuple[Earned, set[int | None]] | None:
    """The certificate ``rows`` earn on ``lesson`` and its helpers' ids, or None."""
    if not rows.completions:
        return None
    if lesson.quizzes:
        passing = [a for a in rows.attempts if _passed(lesson, a)]
        if not passing:
            return None
    else:
        passing = []
    alone_done = [c.completed_at for c in rows.completions if not c.assisted]
    alone_passed = [a.finished_at for a in passing if not a.assisted]
    if alone_done and (not lesson.quizzes or alone_passed):
        mode, helpers = SELF_STUDY, set()
        moments = [min(alone_done)]
        if alone_passed:
            moments.append(min(alone_passed))
    else:
        mode = ASSISTED
        helpers = {c.assisted_by_id for c in rows.completions if c.assisted}
        helpers |= {a.assisted_by_id for a in passing if a.assisted}
        moments = [min(c.completed_at for c in rows.completions)]
        if passing:
            moments.append(min(a.finished_at for a in passing))
    best = max(rows.attempts, key=lambda a: a.first_try_score or 0, default=None)
    earned = Earned(
        slug=lesson.slug,
        title=lesson.text(language).title,
        mode=mode,
        helpers=[],
        earned_at=max(moments),
        best_score=(best.first_try_score or 0) if best and lesson.quizzes else None,
        question_count=best.question_count if best and lesson.quizzes else None,
    )
    return earned, helpers


def _passed(lesson: Lesson, attempt: QuizAttempt) -> bool:
    quiz = lesson.quiz(attempt.language)
    score = attempt.first_try_score or 0
    return score * 100 >= quiz.pass_percent * attempt.question_count


def earned(person: Person, library: Library, language: str = "vi") -> list[Earned]:
    """The course modules ``person`` has earned a certificate for, in course order."""
    return earned_by_person([person.id], library.course(), language)[person.id]


def earned_one(
    person: Person, slug: str, library: Library, language: str = "vi"
) -> Earned | None:
    """``person``'s certificate for the course module ``slug``, if earned now."""
    lessons = [lesson for lesson in library.course() if lesson.slug == slug]
    found = earned_by_person([person.id], lessons, language)[person.id]
    return found[0] if found else None


# --- Verification codes --------------------------------------------------------------


def show_code(code: str) -> str:
    """A stored code as it is printed, in two halves: ``KMN47-RTX9C``."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def read_code(typed: str) -> str | None:
    """A typed code as it is stored, or None if it cannot be one."""
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def certificate_for(
    person: Person, slug: str, known: Earned | None = None
) -> Certificate:
    """The certificate row of ``person`` for module ``slug``, made with a new unique
    code the first time (the caller commits); the same row, same code, every time after.

    Raises ``NotEarned`` unless the certificate is earned now (``known``: already
    checked by the caller).
    """
    if known is None:
        known = earned_one(person, slug, current_app.extensions["hocso_library"])
    if known is None or known.slug != slug:
        raise NotEarned(slug)
    mine = select(Certificate).where(
        Certificate.person_id == person.id, Certificate.lesson == slug
    )
    for _try in range(TRIES):
        certificate = db.session.scalars(mine).first()
        if certificate is not None:
            return certificate
        # Nothing happens if the code is taken, or another request made the row first.
        insert_once(
            Certificate, person_id=person.id, lesson=slug, code=new_code(CODE_LENGTH)
        )
    raise RuntimeError("no free certificate code found")


def find(typed: str) -> Certificate | None:
    """The certificate with this code, however it was typed."""
    code = read_code(typed)
    if code is None:
        return None
    return db.session.scalars(
        select(Certificate).where(Certificate.code == code)
    ).first()


def check(
    certificate: Certificate, library: Library, language: str = "vi"
) -> Earned | None:
    """What ``certificate`` says if it is valid now (its learner still qualifies)."""
    return earned_one(certificate.person, certificate.lesson, library, language)
