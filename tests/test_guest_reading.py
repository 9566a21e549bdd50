"""Reading never requires registration: a guest (a link shared on Zalo) reads every
step; saving progress asks who is learning, at the quiz or from a quiet banner, and
records from then on."""

from __future__ import annotations

from sqlalchemy import func, select

from models import LessonCompletion, Person, QuizAttempt, StepView, db

from .factories import make_person, signed_in


def rows_in_every_table(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def lessons(app):
    return app.extensions["hocso_library"].ordered()


def test_a_guest_reads_every_step_of_every_lesson_and_nothing_is_stored(
    client, communes
):
    app = client.application
    before = rows_in_every_table(app)
    for lesson in lessons(app):
        steps = lesson.text("vi").steps
        for step in steps:
            url = f"/lessons/{lesson.slug}/steps/{step.number}"
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.get_data(as_text=True)
            assert step.title in page
            assert f"Bước {step.number}/{len(steps)}" in page
    assert rows_in_every_table(app) == before


def test_a_guest_sees_a_kind_offer_to_save_their_progress(client, communes):
    page = client.get("/lessons/vneid/steps/3").get_data(as_text=True)
    assert "Lưu tiến độ" in page
    assert 'href="/learner/start?next=/lessons/vneid/steps/3"' in page
    assert "không cần đăng ký" in page


def test_a_learner_sees_no_offer_to_save(client, learner):
    page = client.get("/lessons/vneid/steps/3").get_data(as_text=True)
    assert "Lưu tiến độ" not in page


def test_a_helper_with_a_learner_sees_no_offer_and_records(app, communes):
    """Helpers' flow is unchanged: beside a learner, the step is the learner's."""
    helper = make_person(app, "Chị Linh", communes[0], role="helper")
    learner = make_person(app, "Bà Nga", communes[0])
    phone = signed_in(app, helper)
    assert phone.post("/help/start", data={"learner": learner}).status_code == 303
    page = phone.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert "Lưu tiến độ" not in page
    with app.app_context():
        seen = db.session.scalars(select(StepView).where(StepView.person_id == learner))
        assert [(v.step, v.assisted) for v in seen] == [(2, True)]


def test_saving_from_a_step_records_that_step_from_then_on(client, communes):
    for number in (1, 2, 3):
        client.get(f"/lessons/vneid/steps/{number}")
    response = client.post(
        "/learner/start",
        data={
            "name": "Ông Tư",
            "birth_year": "1950",
            "commune": communes[0],
            "next": "/lessons/vneid/steps/3",
        },
    )
    assert response.status_code == 303
    assert response.location == "/lessons/vneid/steps/3"
    page = client.get(response.location).get_data(as_text=True)
    assert "Lưu tiến độ" not in page and "Ông Tư" in page
    client.get("/lessons/vneid/steps/4")
    with client.application.app_context():
        seen = db.session.scalars(select(StepView.step).order_by(StepView.step))
        assert list(seen) == [3, 4]  # what was read as a guest is not made up


def test_a_guest_who_finishes_goes_on_to_the_quiz_unrecorded(client, communes):
    response = client.post("/lessons/vneid/complete")
    assert response.status_code == 303 and response.location == "/lessons/vneid/quiz/"
    page = client.get(response.location).get_data(as_text=True)
    assert "Bạn đã đọc hết bài" in page
    with client.application.app_context():
        assert db.session.scalar(select(func.count(LessonCompletion.id))) == 0


def test_the_quiz_asks_a_guest_who_is_learning_then_records(client, communes):
    intro = client.get("/lessons/vneid/quiz/").get_data(as_text=True)
    assert 'href="/learner/start?next=/lessons/vneid/quiz/"' in intro
    assert 'action="/lessons/vneid/quiz/start"' not in intro  # no start before that
    refused = client.post("/lessons/vneid/quiz/start")
    assert refused.location == "/learner/start?next=/lessons/vneid/quiz/"
    form = {"name": "Bà Nga", "birth_year": "1946", "commune": communes[0]}
    saved = client.post("/learner/start", data=form | {"next": "/lessons/vneid/quiz/"})
    assert saved.location == "/lessons/vneid/quiz/"
    intro = client.get(saved.location).get_data(as_text=True)
    assert 'action="/lessons/vneid/quiz/start"' in intro
    assert client.post("/lessons/vneid/quiz/start").status_code == 303
    with client.application.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        person = db.session.get(Person, attempt.person_id)
        assert person.name == "Bà Nga"


def test_a_guest_answering_is_sent_back_to_a_page_not_a_form_address(client, communes):
    """A form posted by a browser nobody is learning in (a learner removed, 'Not me')
    comes back to a page after the 'who is learning' form, never to a POST address."""
    answer = client.post("/lessons/vneid/quiz/7/2")
    assert answer.location == "/learner/start?next=/lessons/vneid/quiz/7/2"
    finish = client.post("/lessons/vneid/quiz/7/finish")
    assert finish.location == "/learner/start?next=/lessons/vneid/quiz/"
