"""The rule that earns a certificate, from hand-built progress rows."""

from __future__ import annotations

from content import Lesson
from models import (
    Person,
    db,
)
from reports.certificates import (
    ASSISTED,
    SELF_STUDY,
    earned,
    earned_by_person,
)

from ..factories import add_attempt
from .conftest import FAIL, PASS, at, attempt, complete, self_study_vneid


def earned_now(app, person_id) -> list:
    with app.app_context():
        person = db.session.get(Person, person_id)
        return earned(person, app.extensions["hocso_library"])


def test_completed_and_passed_alone_is_self_study(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    [found] = earned_now(app, learner)
    assert found.slug == "vneid" and found.title == "Cài đặt và dùng VNeID"
    assert found.mode == SELF_STUDY and found.helpers == []
    # The later of completion (10/1 18:00 UTC) and pass (9/1): 11/1 in Vietnam (UTC+7).
    assert found.earned_at == at(10, hour=18)
    assert found.date_text == "11/01/2025"
    assert (found.best_score, found.question_count) == (PASS, 10)


def test_an_assisted_completion_makes_it_assisted_and_names_the_helper(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(5), helper_id=helper)
    attempt(app, learner, 9, at(6))
    [found] = earned_now(app, learner)
    assert found.mode == ASSISTED
    assert found.helpers == ["Linh helper a"]
    assert found.date_text == "06/01/2025"
    assert found.best_score == 9


def test_a_completion_with_a_failed_quiz_earns_nothing(app, people):
    learner = people["learner_a"]
    complete(app, learner, at(5))
    attempt(app, learner, FAIL, at(6))
    assert earned_now(app, learner) == []


def test_a_passed_quiz_without_completing_the_lesson_earns_nothing(app, people):
    learner = people["learner_a"]
    attempt(app, learner, 10, at(6))
    assert earned_now(app, learner) == []


def test_an_unfinished_attempt_does_not_count(app, people):
    learner = people["learner_a"]
    complete(app, learner, at(5))
    with app.app_context():
        add_attempt(learner, 10)  # never finished
        db.session.commit()
    assert earned_now(app, learner) == []


def test_learning_again_alone_later_makes_it_self_study_from_that_day(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1), helper_id=helper)
    attempt(app, learner, PASS, at(2), helper_id=helper)
    attempt(app, learner, FAIL, at(1, 2))  # alone, failed: not yet self-study
    [found] = earned_now(app, learner)
    assert (found.mode, found.date_text, found.helpers) == (
        ASSISTED,
        "02/01/2025",
        ["Linh helper a"],
    )
    complete(app, learner, at(3, 2))
    attempt(app, learner, PASS, at(5, 2))
    [found] = earned_now(app, learner)
    assert (found.mode, found.date_text, found.helpers) == (
        SELF_STUDY,
        "05/02/2025",
        [],
    )
    assert found.best_score == PASS


def test_completed_alone_but_passed_only_with_a_helper_is_assisted(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1))
    attempt(app, learner, FAIL, at(1))
    attempt(app, learner, 9, at(4), helper_id=helper)
    [found] = earned_now(app, learner)
    assert (found.mode, found.helpers, found.date_text) == (
        ASSISTED,
        ["Linh helper a"],
        "04/01/2025",
    )


def test_a_deleted_helper_is_not_named_but_it_stays_assisted(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1), helper_id=helper)
    attempt(app, learner, PASS, at(1), helper_id=helper)
    with app.app_context():
        db.session.delete(db.session.get(Person, helper))
        db.session.commit()
    [found] = earned_now(app, learner)
    assert (found.mode, found.helpers) == (ASSISTED, [])


def test_several_modules_come_in_course_order(app, people):
    learner = people["learner_a"]
    for slug in ("strange-links", "vneid"):
        complete(app, learner, at(1), lesson=slug)
        attempt(app, learner, 10, at(1), lesson=slug)
    assert [e.slug for e in earned_now(app, learner)] == ["vneid", "strange-links"]


def test_a_lesson_without_a_quiz_needs_the_completion_alone(app, people):
    learner = people["learner_a"]
    with app.app_context():
        vneid = app.extensions["hocso_library"].get("vneid")
        no_quiz = Lesson("vneid", vneid.texts, {})
        assert earned_by_person([learner], [no_quiz])[learner] == []
    complete(app, learner, at(7))
    with app.app_context():
        [found] = earned_by_person([learner], [no_quiz])[learner]
    assert (found.mode, found.date_text, found.best_score) == (
        SELF_STUDY,
        "07/01/2025",
        None,
    )
