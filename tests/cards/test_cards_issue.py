"""Issuing learner cards: what a card shows, that codes and tokens are kept only as hashes, and who may issue for whom."""

from __future__ import annotations

import logging
import re

import pytest
import segno
from sqlalchemy import func, select

from models import LearnerCard, db

from .conftest import (
    issue,
    set_pin,
    sign_in,
    signed_in_as,
    signed_in_learner,
    type_code,
)


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
    for secret in secrets:
        assert secret not in dump
        assert secret.lower() not in dump.lower()
        assert secret not in caplog.text
    # PINs are four digits, which a hex hash or a timestamp can hold by chance: look
    # for them as a value of their own. The PIN is kept as a salted hash too.
    for pin in ("1111", "2580"):
        alone = re.compile(rf"(?<![0-9a-zA-Z]){pin}(?![0-9a-zA-Z])")
        assert not alone.search(dump), pin
        assert not alone.search(caplog.text), pin
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
