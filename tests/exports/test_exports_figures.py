"""Export figures: per-person figures (reports/people.py) and the two tables against the hand count."""

from __future__ import annotations

from datetime import datetime

from models import Person, QuizAttempt, db
from reports.export_tables import (
    PEOPLE_TABLE,
)
from reports.exports import (
    one_decimal,
)
from reports.people import SELF_STUDY, people_figures

from ..report_world import course
from .conftest import (
    ALONE,
    MODULE_ROWS,
    NOTHING,
    PEOPLE_A,
    SLUGS,
    export_of,
    hand_count,
    people_rows,
    steps_of,
)


def test_people_figures_match_the_hand_count(app, world):
    expected = hand_count(app)
    with app.app_context():
        people = people_figures([world["commune_a"]], course(app))
    assert [p.id for p in people] == [world[key] for key, *_ in PEOPLE_A]
    for person in people:
        key = next(k for k, *_ in PEOPLE_A if world[k] == person.id)
        assert [m.slug for m in person.modules] == SLUGS
        for module in person.modules:
            found = (
                module.steps_seen,
                module.how,
                module.completed_on,
                int(module.assisted),
                module.attempts,
                module.first_score,
                module.best_score,
                module.question_count,
                module.passed,
            )
            assert found == expected[key].get(module.slug, NOTHING), (key, module.slug)
            assert module.completed == (module.how is not None)
            assert module.step_count == steps_of(app, module.slug)
    an = people[0].module("vneid")
    assert (an.first_count, an.first_percent, an.best_percent) == (4, 50.0, 100.0)


def test_people_figures_leave_out_trainers_admins_and_other_communes(app, world):
    with app.app_context():
        both = people_figures([world["commune_b"], world["commune_a"]], course(app))
        none = people_figures([], course(app))
    ids = [p.id for p in both]
    assert ids[0] == world["giang"]  # communes in the order asked
    assert len(ids) == 7
    assert not {world["hung"], world["admin"], world["trainer_b"]} & set(ids)
    assert none == []
    giang = both[0].module("vneid")
    assert (giang.how, giang.attempts, giang.first_score, giang.passed) == (
        SELF_STUDY,
        1,
        1,
        False,
    )


def test_a_tie_keeps_the_earlier_best_attempt_and_passing_is_exact(app, communes):
    """3 of 4 (75 %) passes at a 75 % mark; 6 of 8 is as good, not better."""
    with app.app_context():
        someone = Person(name="Chị Mai", birth_year=2001, commune_id=communes[0])
        db.session.add(someone)
        db.session.flush()
        for score, count, day in [(3, 4, 1), (6, 8, 2), (1, 2, 3)]:
            db.session.add(
                QuizAttempt(
                    person_id=someone.id,
                    lesson="vneid",
                    language="vi",
                    question_count=count,
                    first_try_score=score,
                    finished_at=datetime(2026, 11, day, 3),
                )
            )
        db.session.commit()
        module = people_figures([communes[0]], course(app))[0].module("vneid")
    assert (module.attempts, module.first_score, module.first_count) == (3, 3, 4)
    assert (module.best_score, module.question_count, module.passed) == (3, 4, True)


def test_the_tables_rows_are_the_hand_count(app, world):
    with app.app_context():
        people = list(export_of(app, "people", ["T-0101"]).rows())
        modules = list(export_of(app, "modules").rows())
    assert people == people_rows(app, world)
    assert modules == MODULE_ROWS
    for row in people + modules:
        assert not any(isinstance(value, bool) for value in row)  # 1/0, never True


def test_the_people_table_adds_up_to_the_modules_table(app, world):
    """Summing the person rows gives the commune rows: one definition for both."""
    with app.app_context():
        people = list(export_of(app, "people").rows())
        modules = list(export_of(app, "modules").rows())
    headers = PEOPLE_TABLE.headers
    col = {name: headers.index(name) for name in headers}
    for row in modules:
        code, slug = row[0], row[7]
        mine = [
            r for r in people if r[col["Mã xã"]] == code and r[col["Mã bài"]] == slug
        ]
        completed = sum(r[col["Đã hoàn thành"]] for r in mine)
        alone = sum(r[col["Cách học"]] == ALONE for r in mine)
        takers = sum(r[col["Số lần làm bài kiểm tra"]] > 0 for r in mine)
        passed = sum(r[col["Đạt"]] for r in mine)
        assert (completed, alone, takers, passed) == (row[9], row[11], row[13], row[16])
        assert len({r[col["Mã người học"]] for r in mine}) == row[3]  # registered


def test_percentages_round_half_up_to_one_decimal():
    assert one_decimal(200 / 3) == 66.7
    assert one_decimal(250 / 3) == 83.3
    assert one_decimal(33.25) == 33.3  # not 33.2, as round() would give
    assert one_decimal(0.05) == 0.1
    assert one_decimal(0.0) == 0.0
    assert one_decimal(None) is None
