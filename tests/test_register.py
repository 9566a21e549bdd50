"""Self-study registration: each field's message, unique sign-in, guest progress kept."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from models import (
    Answer,
    LessonCompletion,
    Person,
    QuizAttempt,
    SignInAttempt,
    StepView,
    db,
)
from services.accounts import move_progress

from .conftest import answer_token, start_quiz

PASSWORD = "một câu dài dễ nhớ"  # 18 characters


def form(communes, **changes) -> dict:
    data = {
        "name": "Chị Mai",
        "birth_year": "2004",
        "commune": str(communes[0]),
        "phone": "0912 345 678",
        "email": "",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
        "carry_over": "y",
    }
    return data | changes


def register(client, communes, **changes):
    return client.post("/register", data=form(communes, **changes))


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def person_named(app, name: str) -> Person | None:
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == name))
        if person is not None:
            db.session.expunge(person)
        return person


def test_the_form_asks_for_everything_in_vietnamese(client, communes):
    page = client.get("/register").get_data(as_text=True)
    for label in ("Họ và tên", "Năm sinh", "Xã hoặc phường", "Số điện thoại", "Email"):
        assert label in page
    assert "Mật khẩu" in page and "Nhập lại mật khẩu" in page
    # One province: it is chosen already, and its communes are listed to tick.
    assert "Tỉnh Thử</option>" in page and 'name="commune"' in page
    assert "Xã Một" in page and "Phường Hai" in page
    assert 'type="checkbox"' in page and "Tôi đồng ý" in page
    assert "Dữ liệu của tôi" in page  # where to see, download or delete it


@pytest.mark.app_config(PASSWORD_HASH_METHOD="scrypt")
def test_a_youth_member_registers_signs_in_and_is_the_learner(client, app, communes):
    response = register(client, communes)
    assert response.status_code == 303 and response.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Đã đăng nhập:" in home and "Chị Mai" in home
    assert "Chào mừng" in home
    person = person_named(app, "Chị Mai")
    assert person.role == "learner" and person.phone == "0912345678"
    assert person.email is None and person.birth_year == 2004
    assert person.commune_id == communes[0] and person.consent_at is not None
    assert person.password_hash.startswith("scrypt:") and PASSWORD not in (
        person.password_hash
    )
    # Progress now goes to the account.
    client.get("/lessons/vneid/steps/1")
    assert count(app, StepView, person_id=person.id) == 1


def test_the_new_account_signs_in_on_the_sign_in_page(client, app, communes):
    register(client, communes, phone="", email="Mai.Nguyen@Example.org")
    client.post("/sign-out")
    assert "Đã đăng nhập:" not in client.get("/").get_data(as_text=True)
    response = client.post(
        "/sign-in", data={"login": "MAI.NGUYEN@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303
    page = client.get("/progress").get_data(as_text=True)
    assert "Đã đăng nhập:" in page and "Chị Mai" in page
    assert person_named(app, "Chị Mai").email == "mai.nguyen@example.org"


def test_the_sign_in_page_links_to_registration(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/register"' in page and "Chưa có tài khoản? Đăng ký tự học" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Xin ghi họ và tên của bạn."),
        ({"birth_year": ""}, "Xin ghi năm sinh, ví dụ 1950."),
        ({"birth_year": "năm"}, "Xin chỉ ghi chữ số, ví dụ 1950."),
        ({"birth_year": "1850"}, "Năm sinh phải từ 1900 đến"),
        ({"commune": "0"}, "Xin chọn xã hoặc phường."),
        ({"commune": "999999"}, "Xin chọn xã hoặc phường."),
        ({"phone": "", "email": ""}, "Xin ghi số điện thoại hoặc email"),
        ({"phone": "09abc"}, "Xin ghi số điện thoại bằng chữ số"),
        ({"phone": "", "email": "mai.example.org"}, "Xin ghi đầy đủ địa chỉ email"),
        ({"password": "", "confirm": ""}, "Xin chọn một mật khẩu."),
        ({"password": "ngắn quá", "confirm": "ngắn quá"}, "ít nhất 12 ký tự"),
        ({"confirm": ""}, "Xin ghi lại mật khẩu lần nữa."),
        ({"confirm": PASSWORD + "!"}, "Hai mật khẩu không giống nhau"),
        ({"consent": ""}, "Xin đánh dấu vào ô đồng ý"),
    ],
)
def test_each_mistake_is_explained(client, app, communes, changes, message):
    data = form(communes, **changes)
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post("/register", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page, message
    assert "Xin xem lại các ô được đánh dấu bên dưới." in page
    assert count(app, Person) == 0
    assert PASSWORD not in page  # a password is never sent back in the page


def test_a_password_of_exactly_12_characters_is_enough(client, app, communes):
    response = register(client, communes, password="x" * 12, confirm="x" * 12)
    assert response.status_code == 303
    assert count(app, Person) == 1


@pytest.fixture
def account(app, communes) -> int:
    """Someone who already signs in with 0912345678 and mai@example.org."""
    with app.app_context():
        person = Person(
            name="Mai cũ",
            birth_year=2003,
            commune_id=communes[1],
            phone="0912345678",
            email="mai@example.org",
        )
        person.set_password("another long password")
        db.session.add(person)
        db.session.commit()
        return person.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "0912.345.678"}, "Số điện thoại này đã có tài khoản."),
        ({"phone": "", "email": "MAI@example.org "}, "Email này đã có tài khoản."),
    ],
)
def test_a_phone_or_email_that_signs_in_already_is_refused(
    client, app, communes, account, changes, message
):
    page = register(client, communes, **changes).get_data(as_text=True)
    assert message in page
    assert count(app, Person) == 1
    assert "Đã đăng nhập:" not in client.get("/").get_data(as_text=True)


def test_a_phone_of_a_learner_without_a_password_is_free(client, app, communes):
    """The phone number a helper wrote down for an older learner signs no one in."""
    with app.app_context():
        db.session.add(
            Person(name="Bà Nga", birth_year=1946, commune_id=communes[0], phone="0912345678")
        )  # fmt: skip
        db.session.commit()
    assert register(client, communes).status_code == 303
    assert count(app, Person, phone="0912345678") == 2


def test_trying_many_taken_logins_is_limited(client, app, communes, account):
    app.config["SIGN_IN_MAX_PER_ADDRESS"] = 3
    for _number in range(3):
        register(client, communes)
    page = register(client, communes, phone="0987654321").get_data(as_text=True)
    assert "Bạn đã thử quá nhiều lần" in page
    assert count(app, Person) == 1
    with app.app_context():
        keys = set(db.session.scalars(select(SignInAttempt.key)))
    assert keys == {"register:127.0.0.1"}


def test_a_signed_in_person_is_not_asked_to_register(client, communes):
    register(client, communes)
    assert client.get("/register").status_code == 302


def test_passwords_never_reach_the_logs(client, communes, caplog):
    with caplog.at_level(logging.DEBUG):
        register(client, communes, confirm="a different long one")
        register(client, communes)
    assert PASSWORD not in caplog.text and "a different long one" not in caplog.text


# --- A guest's progress comes along ------------------------------------------------------


def vneid_question(app, number: int):
    return app.extensions["hocso_library"].get("vneid").quiz("vi").question(number)


def guest_progress(client, app) -> int:
    """Two steps, the lesson finished, one quiz answer wrong then right; the guest's id."""
    client.get("/lessons/vneid/steps/1")
    client.get("/lessons/vneid/steps/2")
    client.post("/lessons/vneid/complete")
    url = start_quiz(client)
    question = vneid_question(app, 1)
    wrong = next(o.key for o in question.options if not o.correct)
    right = question.correct_response()[0]
    client.post(url, data={"token": answer_token(client, url), "answer": wrong})
    client.post(url, data={"token": answer_token(client, url), "answer": right})
    with client.session_transaction() as session:
        return session["person_id"]


def test_the_guests_progress_is_kept(client, app, communes, learner):
    guest = guest_progress(client, app)
    page = client.get("/register").get_data(as_text=True)
    assert "Bà Nga đã học trên điện thoại này" in page
    response = register(client, communes)
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Quá trình học trước đó đã được giữ lại." in page
    mai = person_named(app, "Chị Mai")
    assert count(app, Person, id=guest) == 0  # the guest is gone
    assert count(app, StepView, person_id=mai.id) == 2
    assert count(app, LessonCompletion, person_id=mai.id) == 1
    assert count(app, QuizAttempt, person_id=mai.id) == 1
    with app.app_context():
        answers = db.session.scalars(
            select(Answer).join(QuizAttempt).where(QuizAttempt.person_id == mai.id)
        ).all()
        assert [(a.try_number, a.correct) for a in answers] == [(1, False), (2, True)]
    with client.session_transaction() as session:
        assert "person_id" not in session
    # The quiz goes on where the guest left it.
    assert start_quiz(client).endswith("/2")


def test_the_guests_progress_can_be_left_behind(client, app, communes, learner):
    guest = guest_progress(client, app)
    register(client, communes, carry_over="")
    mai = person_named(app, "Chị Mai")
    assert count(app, StepView, person_id=mai.id) == 0
    assert count(app, StepView, person_id=guest) == 2  # still the guest's, not lost
    assert "Quá trình học trước đó" not in client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "person_id" not in session


def test_a_learner_with_a_card_is_never_merged(client, app, communes, learner):
    """A learner a helper registered and gave a card is their own record."""
    from models import LearnerCard

    guest_progress(client, app)
    with app.app_context():
        db.session.add(
            LearnerCard(person_id=learner, token_hash="t" * 64, code_hash="c" * 64)
        )
        db.session.commit()  # fmt: skip
    page = client.get("/register").get_data(as_text=True)
    assert "đã học trên điện thoại này" not in page
    register(client, communes)
    assert count(app, StepView, person_id=learner) == 2
    assert count(app, Person, id=learner) == 1


def test_moving_progress_skips_what_the_account_already_has(app, communes):
    with app.app_context():
        guest = Person(name="Khách", birth_year=2004, commune_id=communes[0])
        mai = Person(name="Mai", birth_year=2004, commune_id=communes[0])
        db.session.add_all([guest, mai])
        db.session.flush()
        for person in (guest, mai):
            person.see_step("vneid", 1)
            person.complete_lesson("vneid")
        guest.see_step("vneid", 2)
        attempt = QuizAttempt(
            person=guest, lesson="vneid", language="vi", question_count=8
        )
        attempt.record("where-to-install", ["c"], True, "token-0001")
        db.session.add(attempt)
        db.session.flush()  # fmt: skip
        move_progress(guest, mai)
        db.session.delete(guest)
        db.session.commit()
        steps = db.session.scalars(
            select(StepView.step).where(StepView.person_id == mai.id).order_by(StepView.step)
        )  # fmt: skip
        assert list(steps) == [1, 2]
        assert count(app, LessonCompletion) == 1
        assert count(app, StepView) == 2  # the duplicate went with the guest
        assert count(app, QuizAttempt, person_id=mai.id) == 1
        assert count(app, Answer) == 1
