"""Learner cards: issuing (who may, for whom), signing in with the QR link or the typed
code, the optional PIN, rate limits, and that codes and tokens are kept only as hashes."""

from __future__ import annotations

import logging
import re

import pytest
import segno
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

import services.cards
from models import LearnerCard, Person, SignInAttempt, db

from .factories import PASSWORD, make_person

CODE_SHOWN = re.compile(r'class="card-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')


# --- Making people, signing in, issuing ---------------------------------------------


@pytest.fixture
def people(app, communes) -> dict[str, int]:
    """A learner, a helper and a trainer in each commune, and an admin in the first."""
    ids = {}
    for index, commune in enumerate(communes):
        side = "ab"[index]
        ids[f"learner_{side}"] = make_person(app, f"Bà Nga {side}", commune)
        for role in ("helper", "trainer"):
            email = f"{role}_{side}@example.org"
            ids[f"{role}_{side}"] = make_person(
                app,
                f"Linh {role}_{side}",
                commune,
                role,
                email=email,
                password=PASSWORD,
            )
    ids["admin"] = make_person(
        app, "Admin", communes[0], "admin", email="admin@example.org", password=PASSWORD
    )
    return ids


def sign_in(client, who: str) -> None:
    response = client.post(
        "/sign-in", data={"login": f"{who}@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303, who


@pytest.fixture
def secrets_made(monkeypatch) -> dict[str, list[str]]:
    """Every token and code the app makes, so a test can use them like a printed card."""
    made = {"token": [], "code": []}
    for kind in made:
        original = getattr(services.cards, f"new_{kind}")

        def record(*args, original=original, kind=kind):
            value = original(*args)
            made[kind].append(value)
            return value

        monkeypatch.setattr(services.cards, f"new_{kind}", record)
    return made


def issue(client, person_id: int) -> tuple[str, str]:
    """Issue a card as whoever is signed in on ``client``; returns (page, shown code)."""
    response = client.post(f"/cards/learner/{person_id}")
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    return page, CODE_SHOWN.search(page).group(1)


@pytest.fixture
def staff(app, people):
    """A client signed in as the trainer of the first commune."""
    client = app.test_client()
    sign_in(client, "trainer_a")
    return client


@pytest.fixture
def card(staff, people, secrets_made) -> dict[str, str]:
    """A card just issued to the first commune's learner: its token and code."""
    page, code = issue(staff, people["learner_a"])
    return {"token": secrets_made["token"][-1], "code": code, "page": page}


def signed_in_as(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"Đã đăng nhập: <strong>([^<]+)</strong>", page)
    return match.group(1) if match else None


def type_code(client, code, pin=None, address="10.0.0.1", next_url=None):
    data = {"code": code}
    if pin is not None:
        data["pin"] = pin
    if next_url:
        data["next"] = next_url
    return client.post("/card", data=data, environ_base={"REMOTE_ADDR": address})


def set_pin(app, person_id: int, pin: str) -> None:
    with app.app_context():
        db.session.get(Person, person_id).pin_hash = generate_password_hash(
            pin, "pbkdf2:sha256:1"
        )
        db.session.commit()


# --- Issuing and showing a card -----------------------------------------------------------


def test_a_card_shows_the_name_a_qr_code_and_the_code_once(card, app):
    page = card["page"]
    assert "Thẻ học của Bà Nga a" in page and "Xã Một" in page
    assert '<svg viewBox="0 0' in page and 'class="qr-code"' in page
    assert re.fullmatch(r"[CFHJKMNPRTVX34679]{4}-[CFHJKMNPRTVX34679]{4}", card["code"])
    assert len(card["token"]) >= 43
    assert "phát thẻ mới" in page  # how to reprint: a new card replaces this one
    assert "css/cards.css" in page
    with app.app_context():
        stored = db.session.scalars(select(LearnerCard)).one()
        assert stored.revoked_at is None and stored.issued_by_id is not None


def test_the_qr_code_holds_the_cards_absolute_link(card):
    link = f"http://localhost/card/{card['token']}"
    qr = segno.make(link, error="m")
    assert qr.svg_inline(border=4, omitsize=True, svgclass="qr-code") in card["page"]
    assert "localhost/card rồi gõ mã" in card["page"]
    assert "PUBLIC_URL" in card["page"]  # a phone cannot open localhost: say so


def test_public_url_says_how_phones_reach_the_site(app, staff, people, secrets_made):
    app.config["PUBLIC_URL"] = "https://hocso.example.vn/"
    page, _code = issue(staff, people["learner_a"])
    link = f"https://hocso.example.vn/card/{secrets_made['token'][-1]}"
    qr = segno.make(link, error="m")
    assert qr.svg_inline(border=4, omitsize=True, svgclass="qr-code") in page
    assert "hocso.example.vn/card rồi gõ mã" in page and "PUBLIC_URL" not in page


def test_the_card_page_is_never_cached(staff, people):
    response = staff.post(f"/cards/learner/{people['learner_a']}")
    assert response.headers["Cache-Control"] == "no-store"


def test_codes_and_tokens_are_kept_only_as_hashes_and_never_logged(
    app, staff, people, card, caplog
):
    with caplog.at_level(logging.DEBUG):
        learner = app.test_client()
        learner.get(f"/card/{card['token']}")
        learner.post(f"/card/{card['token']}")
        type_code(app.test_client(), card["code"].lower())
        type_code(app.test_client(), "KMN4-7RTX")  # a wrong one is not logged either
        set_pin(app, people["learner_a"], "2580")
        type_code(app.test_client(), card["code"], pin="1111")
    secrets = [card["token"], card["code"], card["code"].replace("-", ""), "KMN47RTX"]
    with app.app_context():
        everything = []
        for table in db.metadata.sorted_tables:
            everything += [str(row) for row in db.session.execute(table.select())]
        dump = "\n".join(everything)
        stored = db.session.scalars(select(LearnerCard)).one()
    for secret in [*secrets, "1111"]:
        assert secret not in dump
        assert secret.lower() not in dump.lower()
        assert secret not in caplog.text
    assert "2580" not in dump  # the PIN is a salted hash too
    assert len(stored.token_hash) == 64 and len(stored.code_hash) == 64
    assert "card sign-in: person" in caplog.text


def test_access_logs_write_the_card_link_without_its_token(card, caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info(
            '127.0.0.1 - - "%s" 200 -', f"GET /card/{card['token']} HTTP/1.1"
        )
    assert card["token"] not in caplog.text and "/card/[token]" in caplog.text


def test_reprinting_revokes_the_old_card(app, staff, people, card, secrets_made):
    page = staff.get(f"/cards/learner/{people['learner_a']}").get_data(as_text=True)
    assert "đã có thẻ" in page and "không dùng được nữa" in page
    _page, new_code = issue(staff, people["learner_a"])
    old = app.test_client()
    response = old.get(f"/card/{card['token']}")
    assert response.status_code == 404
    assert "Thẻ này không còn dùng được" in response.get_data(as_text=True)
    assert old.post(f"/card/{card['token']}").status_code == 404
    assert "Mã này không dùng được" in type_code(old, card["code"]).get_data(
        as_text=True
    )
    assert signed_in_as(old) is None
    assert type_code(old, new_code).status_code == 303
    assert signed_in_as(old) == "Bà Nga a"
    with app.app_context():
        cards = db.session.scalars(select(LearnerCard).order_by(LearnerCard.id)).all()
        assert cards[0].revoked_at is not None and cards[1].revoked_at is None


def test_an_unknown_link_says_so_kindly(client, communes):
    response = client.get("/card/" + "x" * 43)
    assert response.status_code == 404
    assert "Xin nhờ người hỗ trợ hoặc giảng viên" in response.get_data(as_text=True)


# --- Signing in ----------------------------------------------------------------------------


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


# --- The optional PIN ----------------------------------------------------------------------


def signed_in_learner(app, card):
    client = app.test_client()
    assert client.post(f"/card/{card['token']}").status_code == 303
    return client


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


# --- The sheet of cards for a commune ----------------------------------------------------


def test_the_sheet_prints_cards_for_learners_who_have_none(
    app, staff, people, communes
):
    for number in range(9):
        make_person(app, f"Người học {number}", communes[0])
    page = staff.get(f"/cards/commune/{communes[0]}").get_data(as_text=True)
    assert "(10)" in page and "Bà Nga b" not in page and "Linh helper_a" not in page
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue", data={"which": "missing"}
    )
    sheet = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert len(CODE_SHOWN.findall(sheet)) == 10
    assert sheet.count('class="card-sheet sheet-page"') == 2
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue", data={"which": "missing"}
    )
    assert response.status_code == 303
    assert "đều đã có thẻ" in staff.get(response.location).get_data(as_text=True)


def test_the_sheet_reissues_the_ticked_learners(app, staff, people, communes):
    other = make_person(app, "Ông Tâm", communes[0])
    issue(staff, people["learner_a"])
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue",
        data={"which": "selected", "learner": [str(people["learner_a"]), str(other)]},
    )
    assert len(CODE_SHOWN.findall(response.get_data(as_text=True))) == 2
    with app.app_context():
        revoked = select(func.count(LearnerCard.id)).where(
            LearnerCard.revoked_at.is_not(None)
        )
        assert db.session.scalar(revoked) == 1


def test_replacing_every_card_needs_the_box_ticked(app, staff, people, communes):
    url = f"/cards/commune/{communes[0]}/issue"
    response = staff.post(url, data={"which": "all"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(LearnerCard.id))) == 0
    response = staff.post(url, data={"which": "all", "confirm": "yes"})
    assert len(CODE_SHOWN.findall(response.get_data(as_text=True))) == 1


def test_a_helper_prints_the_sheet_but_cannot_replace_every_card(app, people, communes):
    helper = app.test_client()
    sign_in(helper, "helper_a")
    page = helper.get(f"/cards/commune/{communes[0]}").get_data(as_text=True)
    assert "Thay tất cả các thẻ" not in page
    url = f"/cards/commune/{communes[0]}/issue"
    assert helper.post(url, data={"which": "missing"}).status_code == 200
    assert helper.post(url, data={"which": "all", "confirm": "yes"}).status_code == 404


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["helper_a", "trainer_a"])
def test_staff_of_one_commune_cannot_touch_the_other(app, people, communes, who):
    client = app.test_client()
    sign_in(client, who)
    other_learner, other_commune = people["learner_b"], communes[1]
    assert client.get(f"/cards/learner/{other_learner}").status_code == 404
    assert client.post(f"/cards/learner/{other_learner}").status_code == 404
    assert client.get(f"/cards/commune/{other_commune}").status_code == 404
    for which in ("missing", "selected", "all"):
        response = client.post(
            f"/cards/commune/{other_commune}/issue",
            data={"which": which, "confirm": "yes", "learner": str(other_learner)},
        )
        assert response.status_code == 404
    # Their own commune's sheet with the other commune's learner slipped into the form.
    response = client.post(
        f"/cards/commune/{communes[0]}/issue",
        data={
            "which": "selected",
            "learner": [str(people["learner_a"]), str(other_learner)],
        },
    )
    assert response.status_code == 404
    index = client.get("/cards/").get_data(as_text=True)
    assert "Xã Một" in index and "Phường Hai" not in index
    with app.app_context():
        assert db.session.scalar(select(func.count(LearnerCard.id))) == 0


def test_an_admin_acts_in_every_commune(app, people, communes):
    admin = app.test_client()
    sign_in(admin, "admin")
    assert admin.get(f"/cards/commune/{communes[1]}").status_code == 200
    assert admin.post(f"/cards/learner/{people['learner_b']}").status_code == 200


def test_no_card_for_staff_nor_for_a_missing_person(app, staff, people):
    for person in (people["helper_a"], people["trainer_a"], people["admin"], 99999):
        assert staff.get(f"/cards/learner/{person}").status_code == 404
        assert staff.post(f"/cards/learner/{person}").status_code == 404
    assert staff.get("/cards/commune/99999").status_code == 404


def test_a_learner_cannot_issue_cards(app, people, communes, card):
    learner = signed_in_learner(app, card)
    for url in (
        "/cards/",
        f"/cards/commune/{communes[0]}",
        f"/cards/learner/{people['learner_a']}",
    ):
        assert learner.get(url).status_code == 404
    assert learner.post(f"/cards/learner/{people['learner_a']}").status_code == 404
    url = f"/cards/commune/{communes[0]}/issue"
    assert learner.post(url, data={"which": "missing"}).status_code == 404


def test_visitors_are_sent_to_sign_in(client, people, communes):
    for url in (
        "/cards/",
        f"/cards/commune/{communes[0]}",
        f"/cards/learner/{people['learner_a']}",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/sign-in?next=")
    response = client.post(f"/cards/learner/{people['learner_a']}")
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    with client.application.app_context():
        assert db.session.scalar(select(func.count(LearnerCard.id))) == 0


def test_the_who_is_learning_page_offers_the_card_code(client, communes):
    page = client.get("/learner/start").get_data(as_text=True)
    assert "Đã có thẻ học? Gõ mã trên thẻ" in page and 'href="/card?next=' in page
