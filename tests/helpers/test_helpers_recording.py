"""Helping: each learner's progress recorded as assisted, switching, ending, and progress with a helper kept apart from self-study."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from models import (
    Answer,
    AssistSession,
    LessonCompletion,
    Person,
    QuizAttempt,
    StepView,
    db,
    utcnow,
)

from ..conftest import answer_token, start_quiz
from ..factories import add_attempt, login_as
from .conftest import (
    bar_of,
    open_sessions,
    person_named,
    register,
    rows,
    sign_in,
    signed_in_client,
    start_helping,
    text_of,
)


def answer_first_question(client, right: bool = True) -> None:
    """Start the VNeID quiz and answer its first question (right or wrong)."""
    url = start_quiz(client)
    quiz = client.application.extensions["hocso_library"].get("vneid").quiz("vi")
    question = quiz.question(1)
    response = question.correct_response()
    if not right:
        response = [next(o.key for o in question.options if not o.correct)]
    form = MultiDict(question.form_for(response))
    form["token"] = answer_token(client, url)
    assert client.post(url, data=form).status_code == 303


def test_three_learners_in_a_row_each_get_their_own_assisted_progress(
    app, helper_client, helper, make_person, communes
):
    binh = make_person("Trần Văn Bình", communes[0])
    tam = make_person("Lê Văn Tâm", communes[0])

    # 1. A new learner, registered and helped at once: two steps, the end, an answer.
    register(helper_client, communes[0], "Bà Hoa")
    hoa = person_named(app, "Bà Hoa").id
    helper_client.get("/lessons/vneid/steps/1")
    helper_client.get("/lessons/vneid/steps/2")
    helper_client.post("/lessons/vneid/complete")
    answer_first_question(helper_client)

    # 2. and 3. Learners already registered: "Next person", then "Start helping".
    for learner, steps in ((binh, [1]), (tam, [1, 3])):
        page = helper_client.get("/help/").get_data(as_text=True)
        assert f'name="learner" value="{learner}"' in page
        start_helping(helper_client, learner)
        for number in steps:
            helper_client.get(f"/lessons/vneid/steps/{number}")
        answer_first_question(helper_client, right=learner == binh)

    expected_steps = {hoa: [1, 2], binh: [1], tam: [1, 3]}
    for learner, steps in expected_steps.items():
        views = rows(app, StepView, learner)
        assert [v.step for v in views] == steps
        assert all(v.assisted and v.assisted_by_id == helper for v in views)
        (attempt,) = rows(app, QuizAttempt, learner)
        assert attempt.assisted and attempt.assisted_by_id == helper
        with app.app_context():
            answers = db.session.scalars(
                select(Answer).where(Answer.attempt_id == attempt.id)
            ).all()
        assert len(answers) == 1 and answers[0].correct == (learner != tam)
    (completion,) = rows(app, LessonCompletion, hoa)
    assert completion.assisted and completion.assisted_by_id == helper
    assert rows(app, LessonCompletion, binh) == rows(app, LessonCompletion, tam) == []
    # The helper's own record stays empty; one session each, only the last still open.
    assert rows(app, StepView, helper) == rows(app, QuizAttempt, helper) == []
    with app.app_context():
        sessions = db.session.scalars(
            select(AssistSession).order_by(AssistSession.id)
        ).all()
        assert [s.learner_id for s in sessions] == [hoa, binh, tam]
        assert [s.ended_at is None for s in sessions] == [False, False, True]


def test_two_helpers_at_once_each_record_to_their_own_learner(
    app, helper_client, helper, make_person, communes
):
    """A busy Saturday: two helpers, two phones, two learners, at the same time."""
    minh = make_person("Minh", communes[0], role="helper")
    minh_client = signed_in_client(app, minh)
    nga = make_person("Nguyễn Thị Nga", communes[0])
    binh = make_person("Trần Văn Bình", communes[0])
    start_helping(helper_client, nga)
    start_helping(minh_client, binh)
    helper_client.get("/lessons/vneid/steps/1")
    minh_client.get("/lessons/vneid/steps/2")
    helper_client.get("/lessons/vneid/steps/3")
    assert [(v.step, v.assisted_by_id) for v in rows(app, StepView, nga)] == [
        (1, helper),
        (3, helper),
    ]
    assert [(v.step, v.assisted_by_id) for v in rows(app, StepView, binh)] == [
        (2, minh)
    ]


def test_self_study_of_the_same_learner_is_kept_apart(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.get("/lessons/vneid/steps/1")
    helper_client.post("/lessons/vneid/complete")

    # Later, at home, as a guest on her own phone: the same step, and one more.
    alone = app.test_client()
    with alone.session_transaction() as session:
        session["person_id"] = nga
    alone.get("/lessons/vneid/steps/1")
    alone.get("/lessons/vneid/steps/2")
    # And signed in as herself (with her card): a quiz answer.
    carded = app.test_client()
    login_as(carded, nga)
    answer_first_question(carded)

    views = {(v.step, v.assisted, v.assisted_by_id) for v in rows(app, StepView, nga)}
    assert views == {(1, True, helper), (1, False, None), (2, False, None)}
    (completion,) = rows(app, LessonCompletion, nga)
    assert completion.assisted
    (attempt,) = rows(app, QuizAttempt, nga)
    assert not attempt.assisted and attempt.assisted_by_id is None

    page = alone.get("/progress").get_data(as_text=True)
    assisted, alone_part = mode_sections(page, "vneid")
    assert "bước đã xem 1/" in assisted and "Người hỗ trợ: Linh" in assisted
    assert "Đã học xong Rồi" in assisted
    assert "bước đã xem 2/" in alone_part and "Đã học xong Chưa" in alone_part
    assert "staff" not in page  # helpers by name, never by email


def mode_sections(page: str, slug: str) -> tuple[str, str]:
    """The text of a lesson's "with a helper" and "self-study" boxes on /progress."""

    def section(key: str) -> str:
        match = re.search(rf'id="{slug}-{key}".*?</section>', page, re.S)
        return text_of(match.group(0))

    return section("assisted"), section("self")


def test_progress_shows_first_and_best_quiz_results_for_each_way(
    app, client, make_person, helper, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    with app.app_context():
        for score, assisted in [(5, True), (7, True), (6, False), (4, False)]:
            add_attempt(nga, score, utcnow(), helper if assisted else None, questions=8)
        db.session.commit()
        total = app.extensions["hocso_library"].get("vneid").question_count
    with client.session_transaction() as session:
        session["person_id"] = nga
    assisted, alone = mode_sections(
        client.get("/progress").get_data(as_text=True), "vneid"
    )
    assert f"lần đầu 5/{total}" in assisted and f"tốt nhất 7/{total}" in assisted
    assert f"lần đầu 6/{total}" in alone and f"tốt nhất 6/{total}" in alone
    assert "Người hỗ trợ: Linh" in assisted


def test_a_deleted_helper_is_still_counted_as_a_helper(
    app, client, make_person, communes
):
    gone = make_person("Minh", communes[0], role="helper")
    nga = make_person("Nguyễn Thị Nga", communes[0])
    with app.app_context():
        db.session.get(Person, nga).see_step("vneid", 1, db.session.get(Person, gone))
        db.session.delete(db.session.get(Person, gone))
        db.session.commit()
    with client.session_transaction() as session:
        session["person_id"] = nga
    assisted, _ = mode_sections(client.get("/progress").get_data(as_text=True), "vneid")
    assert "Người hỗ trợ: một người hỗ trợ cũ" in assisted


def test_the_progress_page_of_a_helper_in_a_session_is_the_learners(
    helper_client, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    page = helper_client.get("/progress").get_data(as_text=True)
    assert "Quá trình học của Nguyễn Thị Nga" in page
    assert 'href="/help/">Người sau' in page
    assert "/learner/forget" not in page  # "Change learner" would change nothing here


def test_switching_to_the_next_person_takes_two_taps(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    binh = make_person("Trần Văn Bình", communes[0])
    start_helping(helper_client, nga)
    home = helper_client.get("/").get_data(as_text=True)
    # Tap 1: "Next person" in the bar is a link to the help page...
    assert re.search(r'<a href="/help/">Người sau</a>', home)
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Bạn đang giúp người này." in page  # Bà Nga: no button to start again
    # ... tap 2: "Start helping" beside the next person.
    assert f'name="learner" value="{binh}"' in page
    assert start_helping(helper_client, binh).location == "/"
    assert "Đang hỗ trợ: Trần Văn Bình" in bar_of(
        helper_client.get("/").get_data(as_text=True)
    )
    (assist,) = open_sessions(app, helper)
    assert assist.learner_id == binh


def test_ending_the_session_stops_assisted_recording(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.get("/lessons/vneid/steps/1")
    response = helper_client.post("/help/end")
    assert response.status_code == 303 and response.location == "/help/"
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Bạn đã kết thúc buổi giúp Nguyễn Thị Nga." in page and bar_of(page) == ""
    assert open_sessions(app, helper) == []
    with helper_client.session_transaction() as session:
        assert "assist_id" not in session
    helper_client.get("/lessons/vneid/steps/2")
    assert [v.step for v in rows(app, StepView, nga)] == [1]
    (own,) = rows(app, StepView, helper)  # the helper's own learning, not assisted
    assert own.step == 2 and not own.assisted


def test_signing_out_ends_the_session(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    start_helping(helper_client, nga)
    helper_client.post("/sign-out")
    assert open_sessions(app, helper) == []
    sign_in(helper_client, helper)
    assert bar_of(helper_client.get("/").get_data(as_text=True)) == ""


def test_a_session_that_is_not_the_helpers_own_is_ignored(
    app, make_person, communes, helper
):
    other = make_person("Minh", communes[0], role="helper")
    nga = make_person("Nguyễn Thị Nga", communes[0])
    minh_client = signed_in_client(app, other)
    start_helping(minh_client, nga)
    (minhs,) = open_sessions(app, other)
    linh_client = signed_in_client(app, helper)
    with linh_client.session_transaction() as session:
        session["assist_id"] = minhs.id  # a cookie edited, or left by someone else
    assert bar_of(linh_client.get("/").get_data(as_text=True)) == ""
    linh_client.get("/lessons/vneid/steps/1")
    assert rows(app, StepView, nga) == []
    linh_client.post("/help/end")  # ends only Linh's own (she has none)
    assert open_sessions(app, other) != []


def test_an_open_self_study_quiz_is_not_carried_on_as_assisted(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0])
    carded = app.test_client()
    login_as(carded, nga)
    start_quiz(carded)  # started alone, left open
    start_helping(helper_client, nga)
    answer_first_question(helper_client)
    with app.app_context():
        assisted_answers = select(func.count(Answer.id)).join(QuizAttempt)
        assisted_answers = assisted_answers.where(
            QuizAttempt.person_id == nga, QuizAttempt.assisted.is_(True)
        )
        assert db.session.scalar(assisted_answers) == 1
