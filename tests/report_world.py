"""A small hand-built world whose every figure is worked out by hand: the dashboard's
measures and difficult questions (tests/test_reports.py) and the exports
(tests/exports/) are checked against it.

The world (today is Wednesday 25/11/2026; weeks start on Monday, Vietnam time):

Commune A (T-0101 "Xã Một"):
- An (learner): VNeID all steps alone, completed alone on 17/11 (VN); two finished
  attempts of 4 questions: 2/4 finished first (16/11) and 4/4 finished later (18/11)
  although started first. QR payment: 3 steps with Linh beside him.
- Bình (learner): VNeID all steps with Linh, completed with Linh on 23/11, one attempt
  with Linh, 2/4. QR payment: every step both ways, completed with Linh on 09/11 and
  alone on 24/11 (so: self-study, first done on 09/11).
- Cúc (learner): VNeID steps 1-4 alone, step 2 again with Linh, a step 99 the lesson
  no longer has; an unfinished attempt (one wrong first answer).
- Dũng (learner): no steps; scam calls: one finished attempt, 1/4; VNeID: an
  unfinished attempt (one wrong first answer).
- Em (learner): registered only.
- Linh (helper): VNeID alone, completed on 01/09, one attempt 4/4.
- Hùng (trainer) and an admin: Hùng did VNeID and answered everything wrong: never
  counted.
Commune B (T-0102 "Phường Hai"): Giang (learner) VNeID alone, completed 24/11, one
attempt 1/4; a trainer of B.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from models import Person, QuizAttempt, StepView, db

from .factories import add_completion, assisted_by, make_person

TODAY = date(2026, 11, 25)
WEEKS = [date(2026, 10, 5) + timedelta(weeks=n) for n in range(8)]  # Mondays
QUESTIONS = 4  # each attempt here counts 4 questions: 3 right passes (75 %), 2 not
Q1, Q2, Q3, Q4 = (
    "where-to-install",
    "level-2-where",
    "approval-sms",
    "id-number-tax-code",
)
ALL_RIGHT = {Q1: [["c"]], Q2: [["b"]], Q3: [["safe"]], Q4: [["c"]]}


def utc(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class Builder:
    """Rows of progress, written straight to the tables (answers through
    QuizAttempt.record, which files them under the lesson and the commune)."""

    def __init__(self, app) -> None:
        self.library = app.extensions["hocso_library"]
        self.ids: dict[str, int] = {}
        self.people: dict[str, Person] = {}

    def person(self, key, name, born, commune, created, role="learner") -> Person:
        someone = make_person(db.session, name, commune, role, born, created_at=created)
        self.ids[key], self.people[key] = someone.id, someone
        return someone

    def steps(self, who, lesson, steps, helper=None, when=None) -> None:
        for step in steps:
            db.session.add(
                StepView(
                    person_id=who.id,
                    lesson=lesson,
                    step=step,
                    **assisted_by(helper and helper.id),
                    seen_at=when or utc(11, 1),
                )
            )

    def all_steps(self, who, lesson, helper=None) -> None:
        count = self.library.get(lesson).step_count
        self.steps(who, lesson, range(1, count + 1), helper)

    def complete(self, who, lesson, when, helper=None) -> None:
        add_completion(who.id, when, helper and helper.id, lesson)

    def attempt(self, who, lesson, answers, finished=None, helper=None) -> None:
        """``answers``: question id -> the responses given, in order. Finished at
        ``finished`` (None: left unfinished), scored over the questions answered."""
        quiz = {q.id: q for q in self.library.get(lesson).quiz("vi").questions}
        attempt = QuizAttempt(
            person=who,
            lesson=lesson,
            language="vi",
            question_count=QUESTIONS,
            **assisted_by(helper and helper.id),
            started_at=utc(9, 1),
        )
        db.session.add(attempt)
        for question_id, responses in answers.items():
            right = quiz[question_id].correct_response()
            for response in responses:
                attempt.record(
                    question_id, response, response == right, uuid.uuid4().hex
                )
        if finished is not None:
            attempt.finish(list(answers))
            attempt.finished_at = finished
        db.session.flush()


def build_world(app, communes) -> dict[str, int]:
    """The world of this module's docstring; returns the people's ids by first name."""
    a, b = communes
    with app.app_context():
        w = Builder(app)
        an = w.person("an", "Nguyễn Văn An", 1950, a, utc(10, 4, 18))  # 05/10 01:00 VN
        binh = w.person("binh", "Trần Thị Bình", 1945, a, utc(10, 6, 3))
        cuc = w.person("cuc", "Lê Thị Cúc", 1960, a, utc(11, 22, 18))  # 23/11 VN
        dung = w.person("dung", "Phạm Văn Dũng", 1955, a, utc(11, 22, 16))  # 22/11 VN
        w.person("em", "Hoàng Thị Em", 1970, a, utc(10, 4, 16, 59))  # 04/10 23:59 VN
        linh = w.person("linh", "Đỗ Thùy Linh", 2000, a, utc(11, 10, 2), "helper")
        hung = w.person("hung", "Vũ Văn Hùng", 1985, a, utc(11, 24), "trainer")
        w.person("admin", "Quản Trị Viên", 1980, a, utc(11, 24), "admin")
        giang = w.person("giang", "Ngô Thị Giang", 1948, b, utc(11, 24))
        w.person("trainer_b", "Trịnh Văn Bảo", 1990, b, utc(11, 24), "trainer")

        w.all_steps(an, "vneid")
        w.complete(an, "vneid", utc(11, 16, 17, 30))  # 17/11 00:30 VN
        w.attempt(an, "vneid", ALL_RIGHT, finished=utc(11, 18, 9))  # 4/4, later
        w.attempt(
            an,
            "vneid",
            {
                Q1: [["a"], ["b"], ["c"]],
                Q2: [["b"]],
                Q3: [["scam"], ["safe"]],
                Q4: [["c"]],
            },
            finished=utc(11, 16, 18),
        )  # 2/4, finished first
        w.steps(an, "qr-payment", [1, 2, 3], helper=linh)

        w.all_steps(binh, "vneid", helper=linh)
        w.complete(binh, "vneid", utc(11, 23, 2), helper=linh)
        w.attempt(
            binh,
            "vneid",
            {Q1: [["b"], ["c"]], Q2: [["b"]], Q3: [["scam"], ["safe"]], Q4: [["c"]]},
            finished=utc(11, 23, 3),
            helper=linh,
        )  # 2/4
        w.all_steps(binh, "qr-payment", helper=linh)
        w.all_steps(binh, "qr-payment")
        w.complete(binh, "qr-payment", utc(11, 9, 10), helper=linh)
        w.complete(binh, "qr-payment", utc(11, 24, 10))

        w.steps(cuc, "vneid", [1, 2, 3, 4, 99])
        w.steps(cuc, "vneid", [2], helper=linh)
        w.attempt(cuc, "vneid", {Q1: [["a"]]})  # unfinished

        w.attempt(
            dung,
            "scam-calls",
            {
                "police-summons": [["b"]],
                "bank-teller-asks": [["a"], ["c"]],
                "call-fake-tax-officer": [["safe"]],
                "otp-for-own-transfer": [["scam"]],
            },
            finished=utc(11, 20, 8),
        )  # 1/4
        w.attempt(dung, "vneid", {Q2: [["a"]]})  # unfinished

        w.all_steps(linh, "vneid")
        w.complete(linh, "vneid", utc(9, 1, 3))
        w.attempt(linh, "vneid", ALL_RIGHT, finished=utc(9, 1, 4))  # 4/4

        w.all_steps(hung, "vneid")
        w.complete(hung, "vneid", utc(11, 24, 5))
        w.attempt(
            hung,
            "vneid",
            {Q1: [["b"]], Q2: [["c"]], Q3: [["scam"]], Q4: [["a"]]},
            finished=utc(11, 24, 6),
        )  # 0/4, not counted

        w.all_steps(giang, "vneid")
        w.complete(giang, "vneid", utc(11, 24, 9))
        w.attempt(
            giang,
            "vneid",
            {Q1: [["b"]], Q2: [["b"]], Q3: [["scam"]], Q4: [["a"]]},
            finished=utc(11, 24, 10),
        )  # 1/4
        db.session.commit()
        return dict(w.ids, commune_a=a, commune_b=b)


def course(app):
    """The course's lessons, in order."""
    return app.extensions["hocso_library"].course()
