"""Every learner page through the Flask test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from models import Answer, LessonCompletion, Person, QuizAttempt, StepView, db

from .conftest import answer_token, csrf_token_from, start_quiz
from .factories import add_attempt, make_person


def vneid_quiz(app):
    return app.extensions["hocso_library"].get("vneid").quiz("vi")


def test_home_lists_the_lesson_as_a_tile_in_vietnamese(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi"' in page
    assert "Cài đặt và dùng VNeID" in page
    assert "Khoảng 15 phút" in page


def test_language_switch_is_remembered(client):
    response = client.post(
        "/language", data={"language": "en", "next": "/lessons/vneid"}
    )
    assert response.status_code == 303 and response.location.endswith("/lessons/vneid")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page and "Setting up VNeID" in page
    client.post("/language", data={"language": "vi"})
    assert "Cài đặt và dùng VNeID" in client.get("/").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.post(
        "/language", data={"language": "en", "next": "https://evil.example/"}
    )
    assert response.location == "/"
    response = client.post(
        "/text-size", data={"size": "large", "next": "//evil.example"}
    )
    assert response.location == "/"


def test_text_size_is_remembered(client):
    client.post("/text-size", data={"size": "larger"})
    assert 'class="text-larger"' in client.get("/").get_data(as_text=True)
    client.post("/text-size", data={"size": "huge"})
    assert 'class="text-larger"' in client.get("/").get_data(as_text=True)


def test_lesson_start_page_lists_steps_and_sources(client):
    page = client.get("/lessons/vneid").get_data(as_text=True)
    assert "Bắt đầu học" in page and "Nguồn tham khảo" in page
    assert page.count('href="/lessons/vneid/steps/') >= 7  # start button + every step


def test_unknown_lesson_and_step_are_404(client, learner):
    assert client.get("/lessons/nope").status_code == 404
    assert client.get("/lessons/vneid/steps/0").status_code == 404
    assert client.get("/lessons/vneid/steps/99").status_code == 404
    assert "Không có trang này" in client.get("/lessons/nope").get_data(as_text=True)


def test_the_quiz_asks_who_is_learning_first(client, communes):
    response = client.post("/lessons/vneid/quiz/start")
    assert response.status_code == 302
    assert response.location == "/learner/start?next=/lessons/vneid/quiz/"


def test_learner_form_explains_each_mistake(client, communes):
    page = client.post(
        "/learner/start", data={"name": "", "birth_year": "năm mươi", "commune": "0"}
    ).get_data(as_text=True)
    assert "Xin ghi họ và tên người học." in page
    assert "Xin chỉ ghi chữ số, ví dụ 1950." in page and "Not a valid" not in page
    assert "Xin chọn xã hoặc phường." in page
    assert 'aria-invalid="true"' in page
    with client.application.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == 0


def test_learner_form_rejects_a_commune_that_does_not_exist(client, communes):
    page = client.post(
        "/learner/start",
        data={"name": "Ông Tư", "birth_year": "1950", "commune": "9999"},
    ).get_data(as_text=True)
    assert "Xin chọn xã hoặc phường." in page


def test_learner_form_goes_back_where_the_learner_was_going(client, communes):
    response = client.post(
        "/learner/start",
        data={
            "name": "Ông Tư",
            "birth_year": "1950",
            "commune": communes[1],
            "next": "/lessons/vneid/steps/2",
        },
    )
    assert response.location == "/lessons/vneid/steps/2"
    with client.application.app_context():
        person = db.session.scalar(select(Person))
        assert (person.name, person.birth_year, person.commune_id) == (
            "Ông Tư",
            1950,
            communes[1],
        )


def test_step_page_shows_position_and_both_buttons(client, learner):
    page = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    total = len(
        client.application.extensions["hocso_library"].get("vneid").text("vi").steps
    )
    assert f"Bước 2/{total}" in page
    assert 'href="/lessons/vneid/steps/1" rel="prev"' in page
    assert 'href="/lessons/vneid/steps/3" rel="next"' in page
    last = client.get(f"/lessons/vneid/steps/{total}").get_data(as_text=True)
    assert 'action="/lessons/vneid/complete"' in last and "Hoàn thành" in last


def test_seeing_a_step_twice_records_it_once(client, learner):
    client.get("/lessons/vneid/steps/1")
    client.get("/lessons/vneid/steps/1")
    client.get("/lessons/vneid/steps/2")
    with client.application.app_context():
        steps = db.session.scalars(
            select(StepView.step).where(StepView.person_id == learner)
        )
        assert sorted(steps) == [1, 2]


def test_finishing_the_lesson_is_recorded_and_leads_to_the_quiz(client, learner):
    response = client.post("/lessons/vneid/complete")
    assert response.status_code == 303 and response.location == "/lessons/vneid/quiz/"
    client.post("/lessons/vneid/complete")
    with client.application.app_context():
        count = select(func.count(LessonCompletion.id))
        assert db.session.scalar(count) == 1
    assert "Bạn đã học xong bài" in client.get("/lessons/vneid/quiz/").get_data(
        as_text=True
    )


def wrong_key(question) -> str:
    return next(o.key for o in question.options if not o.correct)


def test_a_wrong_answer_gets_its_own_feedback_then_a_new_try(client, learner):
    url = start_quiz(client)
    question = vneid_quiz(client.application).question(1)
    form = {"token": answer_token(client, url), "answer": wrong_key(question)}
    client.post(url, data=form)
    page = client.get(url).get_data(as_text=True)
    chosen = next(o for o in question.options if o.key == form["answer"])
    assert "Chưa đúng" in page
    assert chosen.feedback.replace("'", "&#39;").replace('"', "&#34;") in page
    if question.hint:
        assert "Gợi ý:" in page
    assert "Thử lại" in page and "Xem câu trả lời đúng" in page
    assert question.explanation not in page


def test_the_same_answer_sent_twice_is_recorded_once(client, learner):
    url = start_quiz(client)
    question = vneid_quiz(client.application).question(1)
    form = {"token": answer_token(client, url), "answer": wrong_key(question)}
    first, second = client.post(url, data=form), client.post(url, data=form)
    assert first.status_code == second.status_code == 303
    with client.application.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_answers_are_idempotent_on_the_database_itself(app, communes):
    """The unique token holds even if two requests race past the application's checks."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        person = make_person(db.session, "A", communes[0])
        attempt = add_attempt(person.id, questions=8)
        db.session.commit()
        attempt.record("q1", ["a"], False, "same-token-123")
        db.session.commit()
        db.session.add(
            Answer(
                attempt_id=attempt.id,
                lesson="vneid",
                question_id="q1",
                try_number=2,
                response=["a"],
                correct=False,
                token="same-token-123",
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_submitting_nothing_asks_for_an_answer(client, learner):
    url = start_quiz(client)
    response = client.post(url, data={"token": answer_token(client, url)})
    assert response.location.endswith("?empty=1")
    assert "Xin chọn một câu trả lời trước." in client.get(response.location).get_data(
        as_text=True
    )
    with client.application.app_context():
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_show_me_the_answer_moves_on_kindly(client, learner):
    url = start_quiz(client)
    question = vneid_quiz(client.application).question(1)
    client.post(
        url, data={"token": answer_token(client, url), "answer": wrong_key(question)}
    )
    client.post(url, data={"token": answer_token(client, url), "reveal": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "Câu trả lời đúng:" in page and "Câu tiếp theo" in page


def take_whole_quiz(client, wrong_first: set[int]) -> str:
    quiz = vneid_quiz(client.application)
    url = start_quiz(client)
    base = url.rsplit("/", 1)[0]
    for number, question in enumerate(quiz.questions, start=1):
        url = f"{base}/{number}"
        if number in wrong_first:
            wrong = {"token": answer_token(client, url), "answer": wrong_key(question)}
            client.post(url, data=wrong)
        right = MultiDict(question.form_for(question.correct_response()))
        right["token"] = answer_token(client, url)
        client.post(url, data=right)
        assert "Đúng rồi!" in client.get(url).get_data(as_text=True)
    response = client.post(f"{base}/finish")
    assert response.status_code == 303
    return response.location


def test_whole_quiz_scores_first_tries_and_points_back_to_steps(client, learner):
    quiz = vneid_quiz(client.application)
    result_url = take_whole_quiz(client, wrong_first={2})
    page = client.get(result_url).get_data(as_text=True)
    total = len(quiz.questions)
    assert f"Trả lời đúng ngay lần đầu: {total - 1}/{total} câu" in page
    missed = quiz.question(2)
    if missed.review_step:
        assert f'href="/lessons/vneid/steps/{missed.review_step}"' in page
    with client.application.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.finished_at is not None and attempt.first_try_score == total - 1
        answers = attempt.answers
        assert len(answers) == total + 1
        assert [a.correct for a in answers if a.question_id == missed.id] == [
            False,
            True,
        ]
    progress = client.get("/progress").get_data(as_text=True)
    assert f"{total - 1}/{total}" in progress


def test_finishing_early_goes_to_the_first_unanswered_question(client, learner):
    url = start_quiz(client)
    base = url.rsplit("/", 1)[0]
    response = client.post(f"{base}/finish")
    assert response.location == f"{base}/1"


def test_someone_elses_attempt_is_not_found(app, communes):
    first, second = app.test_client(), app.test_client()
    for client, name in ((first, "Một"), (second, "Hai")):
        client.post(
            "/learner/start",
            data={"name": name, "birth_year": "1950", "commune": communes[0]},
        )
    url = start_quiz(first)
    assert second.get(url).status_code == 404
    assert second.post(url, data={"token": "x" * 20, "answer": "a"}).status_code == 404


def test_a_new_attempt_can_be_started_after_finishing(client, learner):
    take_whole_quiz(client, wrong_first=set())
    second = start_quiz(client)
    take_whole_quiz(client, wrong_first={1})
    assert second.endswith("/1")
    with client.application.app_context():
        scores = db.session.scalars(
            select(QuizAttempt.first_try_score).order_by(QuizAttempt.id)
        )
        total = len(vneid_quiz(client.application).questions)
        assert list(scores) == [total, total - 1]
    home = client.get("/").get_data(as_text=True)
    assert f"Kết quả kiểm tra tốt nhất: {total}/{total}" in home


def test_change_learner_forgets_this_browser(client, learner):
    assert client.post("/learner/forget").status_code == 303
    page = client.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert "<strong>Bà Nga</strong>" not in page and "Lưu tiến độ" in page


@pytest.mark.parametrize(
    "url", ["/", "/lessons/vneid", "/lessons/vneid/quiz/", "/learner/start", "/healthz"]
)
def test_pages_carry_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_lesson_images_are_served_as_svg(client):
    response = client.get("/lessons/images/vneid-activate.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert client.get("/lessons/images/../../app.py").status_code == 404


def test_forms_without_a_csrf_token_are_refused(content_app, communes):
    client = content_app(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/language", data={"language": "en"}).status_code == 400
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"language": "en", "csrf_token": token})
    assert response.status_code == 303


@pytest.mark.parametrize("url", ["/static/css/app.css", "/static/js/app.js", "/"])
def test_pages_and_assets_are_sent_gzipped_to_slow_phones(client, url):
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"


def test_a_broken_lesson_is_not_served_and_the_log_says_why(
    content_app, tmp_path, caplog
):
    from .samples import good_files, write

    files = good_files()
    files["quizzes/otp.en.yaml"] = files["quizzes/otp.en.yaml"].replace(
        "answer: scam", "answer: maybe"
    )
    root = write(tmp_path / "content", files)
    with caplog.at_level("ERROR", logger="hocso"):
        app = content_app(root)
    client = app.test_client()
    assert client.get("/lessons/otp").status_code == 404
    assert "Hiện chưa có bài học nào." in client.get("/").get_data(as_text=True)
    assert "quizzes/otp.en.yaml:15: 'answer' must be one of: scam, safe" in caplog.text


def test_each_lesson_links_to_its_printable_handout(client):
    library = client.application.extensions["hocso_library"]
    for lesson in library.ordered():
        start = client.get(f"/lessons/{lesson.slug}").get_data(as_text=True)
        assert f'href="/lessons/{lesson.slug}/handout"' in start
        handout = client.get(f"/lessons/{lesson.slug}/handout").get_data(as_text=True)
        assert "css/handout.css" in handout
        for step in lesson.text("vi").steps:
            assert f"<h2>{escape(step.title)}</h2>" in handout
