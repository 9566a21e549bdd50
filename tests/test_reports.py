"""The dashboard's measures (reports/dashboard.py) and the difficult questions
(reports/questions.py), against the hand-built world of tests/report_world.py, whose
every figure is worked out by hand there.
"""

from __future__ import annotations

import pytest

from reports.dashboard import commune_figures
from reports.questions import difficult_questions

from .report_world import Q1, Q2, Q3, Q4, TODAY, WEEKS, build_world, course


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    return build_world(app, communes)


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
