"""The optional PIN on a learner card."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from models import Person, SignInAttempt, db

from .conftest import CODE_SHOWN, set_pin, signed_in_as, signed_in_learner, type_code


@pytest.mark.app_config(PASSWORD_HASH_METHOD="scrypt")
def test_a_learner_sets_and_removes_a_pin(app, people, card):
    learner = signed_in_learner(app, card)
    page = learner.get("/card/pin").get_data(as_text=True)
    assert "không bắt buộc" in page and "Bạn chưa có mã PIN" in page
    response = learner.post("/card/pin", data={"pin": "25 80", "pin_again": "2580"})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.get(Person, people["learner_a"]).pin_hash
    assert stored.startswith("scrypt:") and "2580" not in stored
    page = learner.get("/card/pin").get_data(as_text=True)
    assert "Bạn đang có mã PIN" in page
    assert learner.post("/card/pin/remove").status_code == 303
    with app.app_context():
        assert db.session.get(Person, people["learner_a"]).pin_hash is None


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [
        ("123", "123", "Mã PIN gồm 4 đến 6 chữ số"),
        ("1234567", "1234567", "Mã PIN gồm 4 đến 6 chữ số"),
        ("12a4", "12a4", "Mã PIN gồm 4 đến 6 chữ số"),
        ("2580", "2581", "Hai mã PIN chưa giống nhau"),
        ("", "", "Xin gõ 4 đến 6 chữ số"),
    ],
)
def test_a_pin_is_4_to_6_digits_typed_twice(app, people, card, pin, again, message):
    learner = signed_in_learner(app, card)
    response = learner.post("/card/pin", data={"pin": pin, "pin_again": again})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, people["learner_a"]).pin_hash is None


def test_only_a_signed_in_learner_has_a_pin_page(app, staff, card):
    anonymous = app.test_client().get("/card/pin")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/card?")
    assert app.test_client().post("/card/pin/remove").status_code == 302
    assert staff.get("/card/pin").status_code == 404
    assert staff.post("/card/pin/remove").status_code == 404
    guest = app.test_client()
    guest.post("/learner/start", data={"name": "Khách", "birth_year": "1950"})
    assert guest.get("/card/pin").status_code == 302


def test_with_a_pin_the_typed_code_needs_it(app, people, card):
    set_pin(app, people["learner_a"], "2580")
    learner = app.test_client()
    page = type_code(learner, card["code"]).get_data(as_text=True)
    assert "Thẻ này có mã PIN" in page and 'name="pin"' in page
    assert signed_in_as(learner) is None
    page = type_code(learner, card["code"], pin="1111").get_data(as_text=True)
    assert "Mã PIN chưa đúng" in page and signed_in_as(learner) is None
    assert type_code(learner, card["code"], pin="2580").status_code == 303
    assert signed_in_as(learner) == "Bà Nga a"


def test_with_a_pin_the_qr_link_needs_it(app, people, card):
    set_pin(app, people["learner_a"], "2580")
    learner = app.test_client()
    page = learner.get(f"/card/{card['token']}").get_data(as_text=True)
    assert 'name="pin"' in page
    response = learner.post(f"/card/{card['token']}")
    assert response.status_code == 200 and signed_in_as(learner) is None
    learner.post(f"/card/{card['token']}", data={"pin": "0000"})
    assert signed_in_as(learner) is None
    assert (
        learner.post(f"/card/{card['token']}", data={"pin": "2580"}).status_code == 303
    )
    assert signed_in_as(learner) == "Bà Nga a"


def test_wrong_pins_are_limited_per_learner(app, people, card):
    set_pin(app, people["learner_a"], "2580")
    limit = app.config["SIGN_IN_MAX_PER_ACCOUNT"]
    for number in range(limit):
        type_code(
            app.test_client(), card["code"], pin="1111", address=f"10.5.0.{number}"
        )
    learner = app.test_client()
    response = learner.post(
        f"/card/{card['token']}",
        data={"pin": "2580"},
        environ_base={"REMOTE_ADDR": "10.6.0.1"},
    )
    assert "Bạn đã thử quá nhiều lần" in response.get_data(as_text=True)
    assert signed_in_as(learner) is None
    with app.app_context():
        count = select(func.count(SignInAttempt.id)).where(
            SignInAttempt.key == f"pin:{people['learner_a']}"
        )
        assert db.session.scalar(count) == limit


def test_a_helper_can_remove_a_forgotten_pin_with_a_new_card(app, staff, people, card):
    set_pin(app, people["learner_a"], "2580")
    page = staff.get(f"/cards/learner/{people['learner_a']}").get_data(as_text=True)
    assert 'name="forget_pin"' in page
    response = staff.post(
        f"/cards/learner/{people['learner_a']}", data={"forget_pin": "yes"}
    )
    code = CODE_SHOWN.search(response.get_data(as_text=True)).group(1)
    learner = app.test_client()
    assert type_code(learner, code).status_code == 303


def test_a_pin_never_reaches_the_logs(app, people, card, caplog):
    learner = signed_in_learner(app, card)
    with caplog.at_level(logging.DEBUG):
        learner.post("/card/pin", data={"pin": "739146", "pin_again": "739146"})
        type_code(app.test_client(), card["code"], pin="739146")
        type_code(app.test_client(), card["code"], pin="851602")  # a wrong one
    assert "PIN set: person" in caplog.text
    assert "739146" not in caplog.text and "851602" not in caplog.text
