"""Personal data deleted, by the learner or their commune's trainer."""

from __future__ import annotations

from sqlalchemy import func, select

from models import (
    Answer,
    Person,
    SignInAttempt,
    db,
    person_communes,
)

from .conftest import rows_of, sign_in


def all_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Answer.id)))


def test_the_confirmation_says_what_goes_and_that_it_cannot_be_undone(as_mai):
    page = as_mai.get("/my-data/delete").get_data(as_text=True)
    assert "Xóa toàn bộ dữ liệu của bạn?" in page
    assert "Đã xóa thì không lấy lại được." in page
    assert "mọi bài kiểm tra và mọi câu trả lời" in page
    assert 'action="/my-data/delete"' in page and 'href="/my-data"' in page


def test_a_learner_deletes_everything_of_theirs(as_mai, app, world):
    mai = world["mai"]
    assert rows_of(app, mai) == {
        "people": 1, "step_views": 2, "lesson_completions": 1, "quiz_attempts": 1,
        "answers": 2, "learner_cards": 1, "assist_sessions": 1,
    }  # fmt: skip
    with app.app_context():
        db.session.add(SignInAttempt(key="account:mai@example.org"))
        db.session.add(SignInAttempt(key="account:linh@example.org"))
        db.session.commit()
    response = as_mai.post("/my-data/delete")
    assert response.status_code == 303 and response.location == "/"
    assert set(rows_of(app, mai).values()) == {0}
    assert all_answers(app) == 0
    page = as_mai.get("/").get_data(as_text=True)
    assert "Đã xóa toàn bộ dữ liệu của bạn." in page
    assert "Đã đăng nhập:" not in page  # signed out
    assert as_mai.get("/my-data").status_code == 302
    with app.app_context():
        keys = set(db.session.scalars(select(SignInAttempt.key)))
        assert keys == {"account:linh@example.org"}
        # Everyone else is untouched.
        assert db.session.scalar(select(func.count(Person.id))) == 6
        assert rows_of(app, world["nga"])["step_views"] == 1


def test_a_guest_deletes_their_data_and_is_forgotten(client, app, learner):
    client.get("/lessons/vneid/steps/1")
    client.post("/my-data/delete")
    assert set(rows_of(app, learner).values()) == {0}
    with client.session_transaction() as session:
        assert "person_id" not in session
    assert "Đã xóa toàn bộ dữ liệu của bạn." in client.get("/").get_data(as_text=True)


def test_a_trainer_deletes_a_learner_of_their_commune(app, world):
    trainer = sign_in(app.test_client(), "hung@example.org")
    mai = world["mai"]
    page = trainer.get(f"/my-data/{mai}/delete").get_data(as_text=True)
    assert "Xóa toàn bộ dữ liệu của Chị Mai?" in page
    assert trainer.post(f"/my-data/{mai}/delete").status_code == 303
    assert set(rows_of(app, mai).values()) == {0}
    page = trainer.get("/").get_data(as_text=True)
    assert "Đã xóa toàn bộ dữ liệu của Chị Mai." in page
    assert "Đã đăng nhập:" in page and "Hùng" in page  # still signed in


def test_a_trainer_acts_in_their_further_communes(app, world, communes):
    with app.app_context():
        db.session.execute(
            person_communes.insert().values(
                person_id=world["trainer"], commune_id=communes[1]
            )
        )
        db.session.commit()
    trainer = sign_in(app.test_client(), "hung@example.org")
    assert trainer.get(f"/my-data/{world['binh']}").status_code == 200
