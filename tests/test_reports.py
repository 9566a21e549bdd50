"""The dashboard's measures (reports/dashboard.py) and the difficult questions
(reports/questions.py), against a small hand-built world whose every figure is
worked out by hand below. tests/test_exports.py checks the exports on the same world.

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

import pytest

from models import LessonCompletion, Person, QuizAttempt, StepView, db
from reports.dashboard import commune_figures
from reports.questions import difficult_questions

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
        someone = Person(
            name=name,
            birth_year=born,
            commune_id=commune,
            role=role,
            created_at=created,
        )
        db.session.add(someone)
        db.session.flush()
        self.ids[key], self.people[key] = someone.id, someone
        return someone

    def steps(self, who, lesson, steps, helper=None, when=None) -> None:
        for step in steps:
            db.session.add(
                StepView(
                    person_id=who.id,
                    lesson=lesson,
                    step=step,
                    assisted=helper is not None,
                    assisted_by_id=helper.id if helper else None,
                    seen_at=when or utc(11, 1),
                )
            )

    def all_steps(self, who, lesson, helper=None) -> None:
        count = self.library.get(lesson).step_count
        self.steps(who, lesson, range(1, count + 1), helper)

    def complete(self, who, lesson, when, helper=None) -> None:
        db.session.add(
            LessonCompletion(
                person_id=who.id,
                lesson=lesson,
                completed_at=when,
                assisted=helper is not None,
                assisted_by_id=helper.id if helper else None,
            )
        )

    def attempt(self, who, lesson, answers, finished=None, helper=None) -> None:
        """``answers``: question id -> the responses given, in order. Finished at
        ``finished`` (None: left unfinished), scored over the questions answered."""
        quiz = {q.id: q for q in self.library.get(lesson).quiz("vi").questions}
        attempt = QuizAttempt(
            person=who,
            lesson=lesson,
            language="vi",
            question_count=QUESTIONS,
            assisted=helper is not None,
            assisted_by_id=helper.id if helper else None,
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


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    return build_world(app, communes)


def course(app):
    return app.extensions["hocso_library"].course()


def test_the_course_is_what_these_figures_assume(app):
    lessons = course(app)
    assert [ls.slug for ls in lessons] == [
        "vneid",
        "qr-payment",
        "scam-calls",
        "strange-links",
    ]
    assert {ls.quiz("vi").pass_percent for ls in lessons} == {75}


# --- The dashboard ---------------------------------------------------------------------


def module_figures(module) -> tuple:
    return (
        module.completed,
        module.completed_assisted,
        module.completed_alone,
        module.completion_percent,
        module.quiz_takers,
        module.first_try_percent,
        module.best_percent,
        module.passed,
        module.pass_percent,
    )


def test_commune_figures_match_the_hand_count(app, world):
    with app.app_context():
        figures = commune_figures(
            [world["commune_a"], world["commune_b"]], course(app), TODAY
        )
    a, b = figures[world["commune_a"]], figures[world["commune_b"]]
    # A: An, Bình, Cúc, Dũng, Em, Linh; Hùng and the admin are not counted. Em never
    # started; An (QR steps), Bình and Cúc (step 2) had Linh beside them at least once.
    assert (a.registered, a.reached, a.assisted, a.alone) == (6, 5, 3, 2)
    assert [m.reached for m in a.modules] == [5, 5, 5, 5]
    assert module_figures(a.module("vneid")) == (
        3,  # An (alone), Bình (with Linh), Linh (alone)
        1,
        2,
        pytest.approx(60.0),  # 3 of the 5 reached
        3,  # An, Bình, Linh finished the quiz; Cúc and Dũng never did
        pytest.approx((50 + 50 + 100) / 3),  # An's first finished was 2/4
        pytest.approx((100 + 50 + 100) / 3),
        2,  # An and Linh reach 75 %; Bình's 2/4 does not
        pytest.approx(200 / 3),
    )
    # Bình did it both ways: once, as self-study.
    assert module_figures(a.module("qr-payment")) == (
        1, 0, 1, pytest.approx(20.0), 0, None, None, 0, None,
    )  # fmt: skip
    assert module_figures(a.module("scam-calls")) == (
        0, 0, 0, pytest.approx(0.0), 1, pytest.approx(25.0), pytest.approx(25.0), 0,
        pytest.approx(0.0),
    )  # fmt: skip
    assert module_figures(a.module("strange-links")) == (
        0, 0, 0, pytest.approx(0.0), 0, None, None, 0, None,
    )  # fmt: skip
    assert a.completions == 4

    assert (b.registered, b.reached, b.assisted, b.alone) == (1, 1, 0, 1)
    assert module_figures(b.module("vneid")) == (
        1, 0, 1, pytest.approx(100.0), 1, pytest.approx(25.0), pytest.approx(25.0), 0,
        pytest.approx(0.0),
    )  # fmt: skip


def test_weekly_trend_counts_vietnamese_days(app, world):
    with app.app_context():
        figures = commune_figures(
            [world["commune_a"], world["commune_b"]], course(app), TODAY
        )
    a, b = figures[world["commune_a"]], figures[world["commune_b"]]
    assert [week.starts for week in a.weeks] == WEEKS
    # New: An (05/10 01:00 in Vietnam) and Bình in the first week; Linh (10/11);
    # Dũng (22/11 23:00 in Vietnam: still the week of 16/11); Cúc (23/11 01:00).
    # Em joined at 23:59 on 04/10, before the first week; Hùng is a trainer.
    assert [week.new_people for week in a.weeks] == [2, 0, 0, 0, 0, 1, 1, 1]
    # Completed: Bình's QR payment first on 09/11, An's VNeID on 17/11 (VN), Bình's
    # VNeID on 23/11; Linh's (01/09) is before the first week.
    assert [week.completions for week in a.weeks] == [0, 0, 0, 0, 0, 1, 1, 1]
    assert [week.new_people for week in b.weeks] == [0] * 7 + [1]
    assert [week.completions for week in b.weeks] == [0] * 7 + [1]


def test_a_commune_with_nobody_has_no_rates(app, communes):
    with app.app_context():
        empty = commune_figures([communes[0]], course(app), TODAY)[communes[0]]
    assert (empty.registered, empty.reached, empty.assisted) == (0, 0, 0)
    for module in empty.modules:
        assert module_figures(module) == (0, 0, 0, None, 0, None, None, 0, None)
    assert [w.new_people for w in empty.weeks] == [0] * 8


# --- Difficult questions -----------------------------------------------------------------


def question_figures(rows) -> list[tuple]:
    return [
        (
            row.lesson.slug,
            row.question.id,
            row.number,
            row.first_tries,
            row.right,
            row.right_percent,
            row.top_wrong,
            row.top_wrong_count,
        )
        for row in rows
    ]


def test_difficult_questions_count_first_tries_of_the_commune_only(app, world):
    with app.app_context():
        rows = difficult_questions([world["commune_a"]], course(app), "vi")
    # First tries in A: An's two attempts, Bình's, Linh's, and the unfinished ones of
    # Cúc (Q1) and Dũng (Q2). An's second and third tries at Q1 do not count; nor do
    # Hùng's (a trainer) or Giang's (commune B) answers.
    assert question_figures(rows) == [
        ("scam-calls", "bank-teller-asks", 3, 1, 0, 0.0, ["a"], 1),
        ("scam-calls", "call-fake-tax-officer", 4, 1, 0, 0.0, ["safe"], 1),
        ("scam-calls", "otp-for-own-transfer", 6, 1, 0, 0.0, ["scam"], 1),
        ("vneid", Q1, 1, 5, 2, pytest.approx(40.0), ["a"], 2),  # An and Cúc: a
        ("vneid", Q3, 3, 4, 2, pytest.approx(50.0), ["scam"], 2),
        ("vneid", Q2, 2, 5, 4, pytest.approx(80.0), ["a"], 1),
        ("vneid", Q4, 4, 4, 4, pytest.approx(100.0), None, 0),  # more tries first
        ("scam-calls", "police-summons", 1, 1, 1, pytest.approx(100.0), None, 0),
    ]
    labels = rows[3].top_wrong_labels()
    assert len(labels) == 1 and labels[0]  # in the words the learner saw


def test_difficult_questions_of_the_other_commune(app, world):
    with app.app_context():
        rows = difficult_questions([world["commune_b"]], course(app), "vi")
    assert question_figures(rows) == [
        ("vneid", Q1, 1, 1, 0, 0.0, ["b"], 1),
        ("vneid", Q3, 3, 1, 0, 0.0, ["scam"], 1),
        ("vneid", Q4, 4, 1, 0, 0.0, ["a"], 1),
        ("vneid", Q2, 2, 1, 1, pytest.approx(100.0), None, 0),
    ]
