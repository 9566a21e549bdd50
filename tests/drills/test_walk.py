"""A learner walked through the weeks with HOCSO_TODAY: quiz passed, drills due,
taken alone and with a helper, answers stored once, the schedule moved on."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from models import DrillAnswer, DrillAttempt, DrillSchedule, Person, db
from services.drills import today
from tests.conftest import token_in
from tests.factories import login_as, make_communes, make_person

PASSED = date(2026, 3, 2)


def set_today(app, day: date) -> None:
    app.config["HOCSO_TODAY"] = day.isoformat()


def pass_quiz(client, app, slug: str = "vneid") -> None:
    """Answer every question of ``slug``'s quiz right on the first try."""
    quiz = app.extensions["hocso_library"].get(slug).quiz("vi")
    url = client.post(f"/lessons/{slug}/quiz/start").location
    base = url.rsplit("/", 1)[0]
    for number, question in enumerate(quiz.questions, start=1):
        page = client.get(f"{base}/{number}").get_data(as_text=True)
        form = question.form_for(question.correct_response())
        data = MultiDict([*form, ("token", token_in(page))])
        assert client.post(f"{base}/{number}", data=data).status_code == 303
    assert client.post(f"{base}/finish").status_code == 303


def plan_of(app, person_id: int, slug: str = "vneid") -> DrillSchedule:
    with app.app_context():
        query = select(DrillSchedule).where(
            DrillSchedule.person_id == person_id, DrillSchedule.lesson == slug
        )
        return db.session.scalars(query).one()


def take_drill(client, app, slug: str = "vneid", wrong: int = 0, token="tok-start-1"):
    """Start the due drill and answer it, the first ``wrong`` items wrongly."""
    response = client.post(f"/drills/{slug}/start", data={"token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    url = response.location
    attempt_id = int(re.search(r"/drills/[\w-]+/(\d+)/", url).group(1))
    bank = app.extensions["hocso_library"].get(slug).drill_bank("vi")
    by_id = {q.id: q for q in bank.questions}
    with app.app_context():
        items = db.session.get(DrillAttempt, attempt_id).items
    for number, item in enumerate(items, start=1):
        question = by_id[item]
        response = question.correct_response()
        if number <= wrong:
            keys = question.keys()  # noqa: SIM118 (a question, not a dict)
            response = [k for k in keys if [k] != response][:1] or ["x"]
        form = question.form_for(response)
        assert question.grade(response).correct == (number > wrong)
        client.post(f"/drills/{slug}/{attempt_id}/{number}", data=MultiDict(form))
    assert client.post(f"/drills/{slug}/{attempt_id}/finish").status_code == 303
    return attempt_id, items


@pytest.fixture
def walk(drill_app):
    """A learner signed in on the drill app, with two communes."""
    communes = make_communes(drill_app)
    learner = make_person(drill_app, "Bà Nga", communes[0])
    client = login_as(drill_app.test_client(), learner)
    set_today(drill_app, PASSED)
    return drill_app, client, learner, communes


def test_the_clock_is_the_config_value(drill_app):
    with drill_app.app_context():
        set_today(drill_app, date(2027, 1, 5))
        assert today() == date(2027, 1, 5)


def test_walking_through_the_weeks(walk):
    app, client, learner, _ = walk
    pass_quiz(client, app)
    plan = plan_of(app, learner)
    assert (plan.stage, plan.passed_on, plan.due_on) == (
        1,
        PASSED,
        PASSED + timedelta(7),
    )

    set_today(app, PASSED + timedelta(days=6))
    assert "Đến lúc ôn tập" not in client.get("/").get_data(as_text=True)
    set_today(app, PASSED + timedelta(days=7))
    home = client.get("/").get_data(as_text=True)
    assert "Đến lúc ôn tập" in home and "/drills/vneid/start" in home

    _, first_items = take_drill(client, app, wrong=1)
    plan = plan_of(app, learner)
    assert (plan.stage, plan.catch_up) == (1, True)
    assert plan.due_on == PASSED + timedelta(days=10)  # three days later
    assert plan.wrong == first_items[:1]
    assert "Đến lúc ôn tập" not in client.get("/").get_data(as_text=True)

    set_today(app, PASSED + timedelta(days=10))
    _, again = take_drill(client, app, token="tok-start-2")
    assert again[0] == first_items[0]  # the item missed comes back first
    assert not set(again[1:]) & set(first_items)  # no repeat before the bank is used
    plan = plan_of(app, learner)
    assert (plan.stage, plan.catch_up, plan.due_on) == (
        2,
        False,
        PASSED + timedelta(days=30),
    )

    set_today(app, PASSED + timedelta(days=30))
    take_drill(client, app, token="tok-start-3")
    assert plan_of(app, learner).due_on == PASSED + timedelta(days=90)
    set_today(app, PASSED + timedelta(days=95))
    take_drill(client, app, token="tok-start-4")
    plan = plan_of(app, learner)
    assert (plan.stage, plan.due_on) == (4, None)
    assert "Đến lúc ôn tập" not in client.get("/").get_data(as_text=True)


def test_a_second_pass_does_not_start_the_drills_again(walk):
    app, client, learner, _ = walk
    pass_quiz(client, app)
    set_today(app, PASSED + timedelta(days=20))
    pass_quiz(client, app)
    assert plan_of(app, learner).passed_on == PASSED


def test_start_twice_is_one_drill_and_an_answer_twice_is_stored_once(walk):
    app, client, learner, _ = walk
    pass_quiz(client, app)
    set_today(app, PASSED + timedelta(days=7))
    first = client.post("/drills/vneid/start", data={"token": "same-form-1"})
    second = client.post("/drills/vneid/start", data={"token": "same-form-1"})
    assert first.location == second.location
    url = first.location
    attempt_id = int(re.search(r"/drills/vneid/(\d+)/", url).group(1))
    with app.app_context():
        item = db.session.get(DrillAttempt, attempt_id).items[0]
    question = {
        q.id: q
        for q in app.extensions["hocso_library"].get("vneid").drill_bank("vi").questions
    }[item]
    form = question.form_for(question.correct_response())
    for _ in range(2):
        assert client.post(url, data=MultiDict(form)).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(DrillAnswer.id))) == 1
        assert db.session.scalar(select(func.count(DrillAttempt.id))) == 1
        answer = db.session.scalars(select(DrillAnswer)).one()
        assert answer.correct and answer.stage == 1 and not answer.catch_up
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi" in page or "right" in page.lower()


def test_an_empty_answer_asks_again_and_a_drill_not_due_is_not_started(walk):
    app, client, learner, _ = walk
    assert (
        client.post("/drills/vneid/start", data={"token": "early-form-1"}).location
        == "/drills/vneid/"
    )
    pass_quiz(client, app)
    set_today(app, PASSED + timedelta(days=7))
    url = client.post("/drills/vneid/start", data={"token": "tok-empty-1"}).location
    assert client.post(url, data={}).location.endswith("?empty=1")
    finish = url.rsplit("/", 1)[0] + "/finish"
    assert client.post(finish).location.endswith("/1")  # nothing answered yet


def test_a_drill_with_a_helper_is_recorded_as_helped(walk):
    app, _client, learner, communes = walk
    helper = make_person(app, "Linh", communes[0], role="helper")
    client = login_as(app.test_client(), helper)
    client.post("/help/start", data={"learner": learner})
    pass_quiz(client, app)
    set_today(app, PASSED + timedelta(days=7))
    listing = client.get("/help/").get_data(as_text=True)
    assert "Bà Nga" in listing and "/help/visits" in listing
    visits = client.get("/help/visits").get_data(as_text=True)
    assert "Bà Nga" in visits
    attempt_id, _ = take_drill(client, app)
    with app.app_context():
        attempt = db.session.get(DrillAttempt, attempt_id)
        assert attempt.person_id == learner
        assert attempt.assisted and attempt.assisted_by_id == helper
        assert db.session.get(Person, learner).name == "Bà Nga"


def test_the_due_list_is_sorted_and_counted(walk):
    app, _client, _learner, communes = walk
    with app.app_context():
        from reports.drills import due_list

        for n, days in enumerate([3, 10, 0]):
            person = make_person(db.session, f"Người {n}", communes[0])
            db.session.add(
                DrillSchedule(
                    person_id=person.id,
                    commune_id=communes[0],
                    lesson="vneid",
                    passed_on=PASSED,
                    stage=1,
                    due_on=PASSED - timedelta(days=days),
                    seen=[],
                    wrong=[],
                )
            )
        db.session.commit()
        rows, drills, people = due_list([communes[0]], PASSED, ["vneid"])
        assert [r.name for r in rows] == ["Người 1", "Người 0", "Người 2"]
        assert [r.late for r in rows] == [10, 3, 0]
        assert (drills, people) == (3, 3) and rows[0].overdue
        assert due_list([communes[1]], PASSED, ["vneid"])[1:] == (0, 0)
