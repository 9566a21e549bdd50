"""The trainer's pages: start page, commune dashboard, difficult questions, one
question, and the admins' province view — what they show and who may see them."""

from __future__ import annotations

import re

import pytest

from models import LessonCompletion, Person, QuizAttempt, db

from .factories import make_person, signed_in

VNEID_QUESTIONS = 10


def quiz(someone: Person, first_answers: dict[str, str], assisted=False) -> None:
    """A finished VNeID attempt: the given first answers, every other question right."""
    attempt = QuizAttempt(
        person=someone,
        lesson="vneid",
        language="vi",
        question_count=VNEID_QUESTIONS,
        assisted=assisted,
    )
    db.session.add(attempt)
    db.session.flush()
    questions = [q.id for q in QUESTIONS]
    for question in QUESTIONS:
        key = first_answers.get(question.id)
        right = question.correct_response()
        response = [key] if key else right
        attempt.record(
            question.id, response, response == right, f"t{attempt.id}{question.id}"
        )
        if response != right:
            attempt.record(question.id, right, True, f"r{attempt.id}{question.id}")
    attempt.finish(questions)


QUESTIONS = []


@pytest.fixture
def world(app, communes):
    """Commune A: three learners and a trainer; commune B: one learner. Returns ids."""
    global QUESTIONS
    QUESTIONS = app.extensions["hocso_library"].get("vneid").quiz("vi").questions
    a, b = communes
    with app.app_context():
        nga = make_person(db.session, "Bà Nga", a)
        tam = make_person(db.session, "Ông Tâm", a)
        make_person(db.session, "Chị Chưa Học", a)  # registered, never started
        hung = make_person(db.session, "Anh Hùng", a, "trainer")
        admin = make_person(db.session, "Quản Trị", b, "admin")
        trainer_b = make_person(db.session, "Chị Lan", b, "trainer")
        far = make_person(db.session, "Bà Xa", b)
        # Nga: completed with a helper; two wrong first tries ("a" on where-to-install).
        db.session.add(
            LessonCompletion(person_id=nga.id, lesson="vneid", assisted=True)
        )
        quiz(nga, {"where-to-install": "a", "level-2-where": "a"}, assisted=True)
        # Tâm: completed alone; one wrong first try, the same wrong answer.
        db.session.add(LessonCompletion(person_id=tam.id, lesson="vneid"))
        quiz(tam, {"where-to-install": "a"})
        # The trainer tries the quiz out getting everything wrong: it must not count.
        quiz(hung, {q.id: "a" for q in QUESTIONS if q.correct_response() != ["a"]})
        quiz(far, {"where-to-install": "b"})
        db.session.commit()
        return {
            "a": a,
            "b": b,
            "hung": hung.id,
            "admin": admin.id,
            "trainer_b": trainer_b.id,
            "nga": nga.id,
        }


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_dashboard_shows_the_communes_figures(app, world):
    client = signed_in(app, world["hung"])
    page = client.get(f"/communes/{world['a']}")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    # 3 learners registered (the trainer does not count), 2 reached, 1 helped.
    assert re.search(r"\b3 người đã đăng ký", text)
    assert re.search(r"\b2 người đã bắt đầu học", text)
    assert re.search(r"\b1 đã học cùng người hỗ trợ", text)
    # VNeID: both completed (100%), one each way; first tries 8/10 and 9/10 → 85%.
    row = re.search(
        r"Cài đặt và dùng VNeID 2 \(100%\) 1 1 2 85% 85% (\d) \((\d+)%\)", text
    )
    assert row, text
    assert (row.group(1), row.group(2)) == ("2", "100")  # 80% and 90% ≥ 75%
    assert '<svg class="hbar"' in page.get_data(as_text=True)


def test_difficult_questions_count_first_tries_of_the_commune_only(app, world):
    client = signed_in(app, world["hung"])
    text = text_of(
        client.get(f"/communes/{world['a']}/questions").get_data(as_text=True)
    )
    first = QUESTIONS[0]
    wrong_label = first.label_of("a")
    # where-to-install: both learners wrong first (0%), both chose "a" — not B's "b",
    # not the trainer's tries.
    assert (
        f"{first.summary()} Cài đặt và dùng VNeID, câu 1"
        " Đúng ngay lần đầu: 0% (0 trên 2 lượt)"
        f" Câu trả lời sai được chọn nhiều nhất: “{wrong_label}” (2 lần)"
    ) in text
    # The hardest question comes first.
    assert text.index(first.summary()) < text.index(QUESTIONS[2].summary())


def test_a_question_page_shows_the_answer_and_where_to_reteach(app, world):
    client = signed_in(app, world["hung"])
    first = QUESTIONS[0]
    page = client.get(f"/communes/{world['a']}/questions/vneid/{first.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert first.explanation in html
    assert f"/lessons/vneid/present/{first.review_step}" in html
    assert (
        client.get(f"/communes/{world['a']}/questions/vneid/no-such").status_code == 404
    )


def test_province_view_sorts_every_commune(app, world):
    client = signed_in(app, world["admin"])
    html = client.get("/province?sort=reached&order=desc").get_data(as_text=True)
    assert html.index("Xã Một") < html.index("Phường Hai")
    html = client.get("/province?sort=reached&order=asc").get_data(as_text=True)
    assert html.index("Phường Hai") < html.index("Xã Một")


@pytest.mark.parametrize(
    "path",
    [
        "/communes/{b}",
        "/communes/{b}/questions",
        "/communes/{b}/questions/vneid/where-to-install",
        "/province",
    ],
)
def test_a_trainer_sees_only_their_communes(app, world, path):
    client = signed_in(app, world["hung"])
    assert client.get(path.format(b=world["b"])).status_code == 404
    admin = signed_in(app, world["admin"])
    assert admin.get(path.format(b=world["b"])).status_code == 200


def test_learners_and_visitors_are_kept_out(app, world):
    learner = signed_in(app, world["nga"])
    assert learner.get(f"/communes/{world['a']}").status_code == 404
    assert learner.get("/trainer").status_code == 404
    visitor = app.test_client().get(f"/communes/{world['a']}")
    assert visitor.status_code == 302 and "/sign-in" in visitor.location


def test_trainer_home_lists_their_communes(app, world):
    client = signed_in(app, world["hung"])
    text = text_of(client.get("/trainer").get_data(as_text=True))
    assert "Xã Một" in text and "Phường Hai" not in text
    assert "2 trong số 3 người đã bắt đầu" in text


def test_scam_or_safe_answers_are_shown_in_words_not_keys(app, world):
    """A verdict is stored as a key ("scam"); trainers read it in their language."""
    verdicts = [q for q in QUESTIONS if q.name == "scam_or_safe"]
    question = verdicts[0]
    wrong = "safe" if question.correct_response() == ["scam"] else "scam"
    with app.app_context():
        someone = make_person(db.session, "Bà Thử Phán Đoán", world["a"])
        quiz(someone, {question.id: wrong})
        db.session.commit()
    client = signed_in(app, world["hung"])
    html = client.get(f"/communes/{world['a']}/questions/vneid/{question.id}").get_data(
        as_text=True
    )
    words = {"scam": "Lừa đảo", "safe": "An toàn"}
    assert f'<p class="feedback wrong">{words[wrong]}</p>' in html
    assert f"<li>{words[question.correct_response()[0]]}</li>" in html
