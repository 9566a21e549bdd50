"""Signing in with a card: the QR link or the typed code, and the rate limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Person, SignInAttempt, db

from .conftest import issue, sign_in, signed_in_as, type_code


def test_an_unknown_link_says_so_kindly(client, communes):
    response = client.get("/card/" + "x" * 43)
    assert response.status_code == 404
    assert "Xin nhờ người hỗ trợ hoặc giảng viên" in response.get_data(as_text=True)


def test_opening_the_qr_link_does_not_sign_in_pressing_the_button_does(app, card):
    learner = app.test_client()
    page = learner.get(f"/card/{card['token']}")
    assert page.status_code == 200 and "Đăng nhập là Bà Nga a?" in page.get_data(
        as_text=True
    )
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert signed_in_as(learner) is None
    response = learner.post(f"/card/{card['token']}")
    assert response.status_code == 303 and response.location == "/"
    assert signed_in_as(learner) == "Bà Nga a"
    assert "remember_token" in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "typed", ["{code}", "{lower}", " {plain} ", "{spaced}", "{lower_spaced}"]
)
def test_the_typed_code_works_in_any_case_with_spaces_or_dashes(app, card, typed):
    code = card["code"]
    plain = code.replace("-", "")
    variants = {
        "code": code,
        "lower": code.lower(),
        "plain": plain,
        "spaced": " ".join(plain[i : i + 2] for i in range(0, 8, 2)),
        "lower_spaced": f"{plain[:4].lower()} - {plain[4:].lower()}",
    }
    learner = app.test_client()
    response = type_code(learner, typed.format(**variants), next_url="/progress")
    assert response.status_code == 303 and response.location == "/progress"
    assert signed_in_as(learner) == "Bà Nga a"


def test_the_code_sign_in_never_redirects_off_site(app, card):
    response = type_code(app.test_client(), card["code"], next_url="//evil.example")
    assert response.location == "/"


def test_a_wrong_code_says_so_and_is_counted_by_hash_not_by_code(app, card):
    page = type_code(app.test_client(), "KMN4-7RTX").get_data(as_text=True)
    assert "Mã này không dùng được" in page
    with app.app_context():
        keys = set(db.session.scalars(select(SignInAttempt.key)))
    assert "address:10.0.0.1" in keys
    (card_key,) = keys - {"address:10.0.0.1"}
    assert re.fullmatch(r"card:[0-9a-f]{16}", card_key)


def test_wrong_codes_are_limited_per_address(app, card):
    app.config["SIGN_IN_MAX_PER_ADDRESS"] = 3
    for number in range(3):
        type_code(app.test_client(), f"KMN4-7RT{number + 3}")
    learner = app.test_client()
    page = type_code(learner, card["code"]).get_data(as_text=True)
    assert "Bạn đã thử quá nhiều lần" in page and signed_in_as(learner) is None
    assert type_code(learner, card["code"], address="10.9.9.9").status_code == 303


def test_the_same_wrong_code_is_limited_from_any_address(app, card):
    limit = app.config["SIGN_IN_MAX_PER_ACCOUNT"]
    for number in range(limit):
        type_code(app.test_client(), "KMN4-7RTX", address=f"10.1.0.{number}")
    page = type_code(app.test_client(), "kmn4 7rtx", address="10.2.0.1")
    assert "Bạn đã thử quá nhiều lần" in page.get_data(as_text=True)


def test_unknown_links_are_limited_per_address(app, card):
    app.config["SIGN_IN_MAX_PER_ADDRESS"] = 3
    client = app.test_client()
    for number in range(3):
        assert client.get(f"/card/{'y' * 42}{number}").status_code == 404
    assert client.get("/card/" + "z" * 43).status_code == 429
    # A real card's link cannot be guessed, so it still works from there.
    assert client.get(f"/card/{card['token']}").status_code == 200


def test_a_learner_who_became_a_helper_cannot_use_their_card(app, people, card):
    with app.app_context():
        db.session.get(Person, people["learner_a"]).role = "helper"
        db.session.commit()
    assert app.test_client().get(f"/card/{card['token']}").status_code == 404
    learner = app.test_client()
    type_code(learner, card["code"])
    assert signed_in_as(learner) is None


def test_a_phone_signed_in_with_a_revoked_card_is_signed_out(app, staff, people, card):
    learner = app.test_client()
    learner.post(f"/card/{card['token']}")
    assert signed_in_as(learner) == "Bà Nga a"
    issue(staff, people["learner_a"])
    assert signed_in_as(learner) is None
    assert signed_in_as(staff) == "Linh trainer_a"  # the trainer who reissued stays in


def test_signing_in_with_a_password_after_a_card_keeps_the_new_person(app, card):
    client = app.test_client()
    client.post(f"/card/{card['token']}")
    sign_in(client, "helper_a")
    assert signed_in_as(client) == "Linh helper_a"
    assert signed_in_as(client) == "Linh helper_a"  # and still on the next request
