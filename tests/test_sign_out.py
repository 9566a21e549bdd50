"""Sessions end when they should: sign-out, "sign out everywhere", a new password, a
card replaced, and expiry all end a browser's sign-in on the server, so its cookies,
even copied, open nothing again."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

import services.cards
from models import SignIn, db, utcnow

from .factories import PASSWORD, make_person

NEW_PASSWORD = "another long enough password"


@pytest.fixture
def people(app, communes) -> dict[str, int]:
    """A trainer, a self-study learner (with a password) and a card learner."""
    return {
        "trainer": make_person(
            app,
            "Anh Hùng",
            communes[0],
            "trainer",
            email="hung@example.org",
            password=PASSWORD,
        ),
        "mai": make_person(
            app, "Chị Mai", communes[0], email="mai@example.org", password=PASSWORD
        ),
        "nga": make_person(app, "Bà Nga", communes[0]),
    }


def sign_in(app, email: str, password: str = PASSWORD):
    """A new browser signed in with ``email``'s password."""
    client = app.test_client()
    response = client.post("/sign-in", data={"login": email, "password": password})
    assert response.status_code == 303, email
    return client


def signed_in_as(client) -> str | None:
    """Whose name the page header shows as signed in, if anyone's."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"Đã đăng nhập: <strong>([^<]+)</strong>", page)
    return match.group(1) if match else None


def cookies(client) -> dict[str, str]:
    """The session and remember cookies this browser holds, to copy them elsewhere."""
    return {
        name: client.get_cookie(name).value
        for name in ("session", "remember_token")
        if client.get_cookie(name) is not None
    }


def browser_with(app, **copied: str):
    """A new browser holding only the cookies given (copied from another)."""
    client = app.test_client()
    for name, value in copied.items():
        client.set_cookie(name, value)
    return client


def sign_ins_of(app, person_id: int) -> list[SignIn]:
    with app.app_context():
        query = select(SignIn).where(SignIn.person_id == person_id)
        return list(db.session.scalars(query))


# --- Sign-out -------------------------------------------------------------------------


def test_after_sign_out_the_old_cookies_open_nothing(app, people):
    trainer = sign_in(app, "hung@example.org")
    assert trainer.get("/trainer").status_code == 200
    old = cookies(trainer)
    assert set(old) == {"session", "remember_token"}
    assert trainer.post("/sign-out").status_code == 303
    assert trainer.get("/trainer").status_code == 302
    for copied in (
        {"session": old["session"]},
        {"remember_token": old["remember_token"]},
        old,
    ):
        replayed = browser_with(app, **copied).get("/trainer")
        assert replayed.status_code == 302, copied.keys()
        assert "/sign-in" in replayed.location
    assert sign_ins_of(app, people["trainer"]) == []


def test_a_dead_remember_cookie_is_cleared_from_the_browser(app, people):
    trainer = sign_in(app, "hung@example.org")
    old = cookies(trainer)
    trainer.post("/sign-out")
    replayed = browser_with(app, remember_token=old["remember_token"])
    response = replayed.get("/")
    assert "remember_token=;" in response.headers.get("Set-Cookie", "")
    assert replayed.get_cookie("remember_token") is None


def test_the_cookies_are_out_of_reach_of_scripts_and_other_sites(app, people):
    response = app.test_client().post(
        "/sign-in", data={"login": "hung@example.org", "password": PASSWORD}
    )
    sent = {
        header.split("=", 1)[0]: header
        for header in response.headers.getlist("Set-Cookie")
    }
    for name in ("session", "remember_token"):
        assert "HttpOnly" in sent[name] and "SameSite=Lax" in sent[name], name


def test_every_sign_in_has_its_own_remember_cookie(app, people):
    first = cookies(sign_in(app, "hung@example.org"))["remember_token"]
    second = cookies(sign_in(app, "hung@example.org"))["remember_token"]
    assert first != second
    assert len(sign_ins_of(app, people["trainer"])) == 2
    assert len(first.split("|")[0]) >= 43  # a random token, not the person's id


def test_signing_out_one_browser_leaves_the_others_signed_in(app, people):
    phone = sign_in(app, "hung@example.org")
    computer = sign_in(app, "hung@example.org")
    phone.post("/sign-out")
    assert signed_in_as(phone) is None
    assert signed_in_as(computer) == "Anh Hùng"


def test_only_a_hash_of_the_token_is_kept(app, people):
    old = cookies(sign_in(app, "hung@example.org"))
    (row,) = sign_ins_of(app, people["trainer"])
    token = old["remember_token"].split("|")[0]
    assert row.token_hash != token and len(row.token_hash) == 64


# --- Everywhere -----------------------------------------------------------------------


def test_sign_out_everywhere_from_one_device_ends_the_others(app, people):
    phone = sign_in(app, "mai@example.org")
    computer = sign_in(app, "mai@example.org")
    copied = cookies(computer)
    page = phone.get("/account/password").get_data(as_text=True)
    assert "Đăng xuất khỏi mọi thiết bị" in page
    response = phone.post("/sign-out/everywhere", follow_redirects=True)
    assert "Bạn đã đăng xuất trên mọi điện thoại và máy tính." in response.get_data(
        as_text=True
    )
    assert signed_in_as(phone) is None
    assert signed_in_as(computer) is None
    assert (
        signed_in_as(browser_with(app, remember_token=copied["remember_token"])) is None
    )
    assert sign_ins_of(app, people["mai"]) == []


def test_signing_out_everywhere_leaves_other_people_signed_in(app, people):
    trainer = sign_in(app, "hung@example.org")
    mai = sign_in(app, "mai@example.org")
    mai.post("/sign-out/everywhere")
    assert signed_in_as(trainer) == "Anh Hùng"


# --- A new password -------------------------------------------------------------------


def change(client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "confirm": again or new},
    )


def test_the_password_page_asks_for_the_current_password_first(app, people):
    page = sign_in(app, "mai@example.org").get("/account/password")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for words in ("Đổi mật khẩu", "Mật khẩu hiện tại", "Mật khẩu mới"):
        assert words in text
    assert text.index("Mật khẩu hiện tại") < text.index("Mật khẩu mới")
    assert page.headers["Cache-Control"] == "no-store"


def test_a_wrong_current_password_says_so_and_changes_nothing(app, people):
    phone = sign_in(app, "mai@example.org")
    computer = sign_in(app, "mai@example.org")
    response = change(phone, "not my password at all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Đó không phải mật khẩu hiện tại của bạn. Chưa có gì thay đổi." in page
    assert signed_in_as(phone) == "Chị Mai"
    assert signed_in_as(computer) == "Chị Mai"
    sign_in(app, "mai@example.org", PASSWORD)  # the old password still works


def test_a_new_password_signs_out_every_other_device_and_keeps_this_one(app, people):
    phone = sign_in(app, "mai@example.org")
    computer = sign_in(app, "mai@example.org")
    copied = cookies(computer)
    response = change(phone, PASSWORD)
    assert response.status_code == 303
    followed = phone.get(response.location).get_data(as_text=True)
    assert "Mật khẩu của bạn đã được đổi." in followed
    assert signed_in_as(phone) == "Chị Mai"
    assert signed_in_as(computer) is None
    assert signed_in_as(browser_with(app, **copied)) is None
    assert len(sign_ins_of(app, people["mai"])) == 1
    refused = app.test_client().post(
        "/sign-in", data={"login": "mai@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 200
    sign_in(app, "mai@example.org", NEW_PASSWORD)


def test_the_new_password_is_checked_like_at_registration(app, people):
    phone = sign_in(app, "mai@example.org")
    short = change(phone, PASSWORD, "short").get_data(as_text=True)
    assert "Mật khẩu cần có ít nhất 12 ký tự." in short
    different = change(phone, PASSWORD, NEW_PASSWORD, "not the same one at all")
    assert "Hai mật khẩu không giống nhau." in different.get_data(as_text=True)
    sign_in(app, "mai@example.org", PASSWORD)


def test_wrong_current_passwords_are_limited(app, people):
    phone = sign_in(app, "mai@example.org")
    for _try in range(app.config["SIGN_IN_MAX_PER_ACCOUNT"]):
        change(phone, "not my password at all")
    page = change(phone, PASSWORD).get_data(as_text=True)
    assert "Bạn đã thử quá nhiều lần." in page
    sign_in(app, "mai@example.org", PASSWORD)  # still the old one


def test_only_people_with_a_password_have_the_password_page(app, people):
    visitor = app.test_client().get("/account/password")
    assert visitor.status_code == 302 and "/sign-in" in visitor.location
    nga = card_phone(app, people)
    assert nga.get("/account/password").status_code == 404
    assert "Đổi mật khẩu" not in nga.get("/").get_data(as_text=True)
    mai = sign_in(app, "mai@example.org")
    assert "Đổi mật khẩu" in mai.get("/").get_data(as_text=True)


def test_passwords_never_reach_the_logs_when_changed(app, people, caplog):
    phone = sign_in(app, "mai@example.org")
    with caplog.at_level(logging.DEBUG):
        change(phone, "a wrong current password")
        change(phone, PASSWORD)
    assert "password changed: person" in caplog.text
    for secret in (PASSWORD, NEW_PASSWORD, "a wrong current password"):
        assert secret not in caplog.text


# --- Cards ----------------------------------------------------------------------------


def issue_card(app, people) -> str:
    """A new card for Bà Nga, issued by the trainer; returns its link's token."""
    made = []
    original = services.cards.new_token

    def record():
        made.append(original())
        return made[-1]

    services.cards.new_token = record
    try:
        response = sign_in(app, "hung@example.org").post(
            f"/cards/learner/{people['nga']}"
        )
    finally:
        services.cards.new_token = original
    assert response.status_code == 200
    return made[-1]


def card_phone(app, people):
    """Bà Nga's phone, signed in with her card."""
    phone = app.test_client()
    assert phone.post(f"/card/{issue_card(app, people)}").status_code == 303
    return phone


def test_a_replaced_card_signs_out_even_a_copied_remember_cookie(app, people):
    phone = card_phone(app, people)
    assert "Bà Nga" in phone.get("/my-data").get_data(as_text=True)
    copied = cookies(phone)
    issue_card(app, people)  # the card is lost: a new one replaces it
    assert signed_in_as(phone) is None
    for kept in ({"remember_token": copied["remember_token"]}, copied):
        thief = browser_with(app, **kept)
        response = thief.get("/my-data")
        assert "Bà Nga" not in response.get_data(as_text=True), kept.keys()
        assert response.status_code != 200
    assert [row.card_id for row in sign_ins_of(app, people["nga"])] == []


def test_a_new_card_signs_in_again(app, people):
    card_phone(app, people)
    phone = card_phone(app, people)
    assert signed_in_as(phone) == "Bà Nga"
    assert len(sign_ins_of(app, people["nga"])) == 1


# --- Expiry and renewal ---------------------------------------------------------------


def age(app, person_id: int, **changes) -> None:
    """Change every sign-in of ``person_id`` (as if time had passed)."""
    with app.app_context():
        db.session.execute(
            update(SignIn).where(SignIn.person_id == person_id).values(**changes)
        )
        db.session.commit()


def test_an_expired_remember_cookie_is_refused(app, people):
    phone = card_phone(app, people)
    copied = cookies(phone)
    age(app, people["nga"], expires_at=utcnow() - timedelta(minutes=1))
    assert (
        signed_in_as(browser_with(app, remember_token=copied["remember_token"])) is None
    )
    assert signed_in_as(phone) is None


@pytest.mark.parametrize(("who", "days"), [("trainer", 30), ("mai", 365), ("nga", 365)])
def test_learners_stay_signed_in_a_year_and_staff_a_month(app, people, who, days):
    if who == "nga":
        card_phone(app, people)
    else:
        sign_in(app, {"trainer": "hung@example.org", "mai": "mai@example.org"}[who])
    (row,) = sign_ins_of(app, people[who])
    assert row.expires_at - row.created_at == timedelta(days=days)


def test_a_day_of_use_moves_the_end_forward_once(app, people):
    phone = card_phone(app, people)
    two_days_ago = utcnow() - timedelta(days=2)
    age(
        app,
        people["nga"],
        renewed_at=two_days_ago,
        expires_at=utcnow() + timedelta(days=3),
    )
    response = phone.get("/")
    assert "remember_token=" in response.headers.get("Set-Cookie", "")
    (row,) = sign_ins_of(app, people["nga"])
    assert row.expires_at - utcnow() > timedelta(days=364)
    again = phone.get("/")
    assert "remember_token=" not in again.headers.get("Set-Cookie", "")
    (same,) = sign_ins_of(app, people["nga"])
    assert same.renewed_at == row.renewed_at
