"""Certificates: which modules a learner has earned, how, since when, and their codes.

The rule. A learner earns a module's certificate when they have

- completed the lesson (a ``LessonCompletion`` row, with a helper or alone), and
- passed its quiz: some finished ``QuizAttempt`` of that lesson whose score (the
  questions right on the first try) reaches the pass mark of the lesson's quiz in the
  content library: ``first_try_score * 100 >= pass_percent * question_count``, as
  ``content.Quiz.passed`` says. A lesson without a quiz needs the completion alone.

Only the modules of the course count (not the practice rooms).

The rule is applied where the rest of a learner's standing is read, in
services/standing.py (``certificate_of``); this module gives certificates their
titles, helpers' names and codes.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from content import Lesson, Library
from models import Certificate, Person, db, insert_once
from services.codes import CODE_ALPHABET, new_code, normalise_code
from services.names import name_order
from services.standing import ASSISTED as ASSISTED  # re-exported: the modes
from services.standing import NONE, SELF_STUDY, ModuleStanding, standings

from .dates import day_text

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


def earned_by_person(
    person_ids: Iterable[int], lessons: Sequence[Lesson], language: str = "vi"
) -> dict[int, list[Earned]]:
    """For each person, the certificates they have earned among ``lessons`` (in that
    order), as their standing says (services/standing.py): two queries at most,
    whatever the number of people."""
    found = standings(person_ids, lessons, steps=NONE)
    return {
        person_id: [
            as_earned(module, certificate, language)
            for module in modules.values()
            if (certificate := module.certificate) is not None
        ]
        for person_id, modules in found.items()
    }


def as_earned(module: ModuleStanding, certificate, language: str) -> Earned:
    """A module's certificate, with its title and the names of its helpers."""
    names = {module.names[i] for i in certificate.helper_ids if i in module.names}
    return Earned(
        slug=module.lesson.slug,
        title=module.lesson.text(language).title,
        mode=certificate.mode,
        helpers=sorted(names, key=name_order),
        earned_at=certificate.earned_at,
        best_score=certificate.best_score,
        question_count=certificate.question_count,
    )


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
