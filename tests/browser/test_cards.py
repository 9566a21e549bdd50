"""Learner cards in real Chromium at 360×640: a trainer issues a card, the learner signs
in with its QR link on their own phone, sets a PIN, signs in again with the typed code;
a commune's sheet prints 8 cards to an A4 page. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

import services.cards
from models import Commune, Person, db
from services.demo import DEMO_COMMUNES

from .conftest import ARTIFACTS, Problems, sign_in

pytestmark = pytest.mark.browser

LEARNER = "Nguyễn Thị Nga (demo)"
COMMUNE = DEMO_COMMUNES[0][1]


@pytest.fixture
def tokens(monkeypatch) -> list[str]:
    """The tokens of the cards issued, as a learner's camera would read the QR codes."""
    made: list[str] = []
    original = services.cards.new_token

    def record() -> str:
        made.append(original())
        return made[-1]

    monkeypatch.setattr(services.cards, "new_token", record)
    return made


def sign_in_as_trainer(page, server) -> None:
    page.goto(server("/sign-in?next=/cards/"))
    sign_in(page, "hung@demo.hocso.invalid", "hocso-demo-trainer", "Thẻ học")


def add_learners(server, count: int) -> None:
    """More learners in the first demo commune (it has two)."""
    with server.app.app_context():
        commune = db.session.scalars(select(Commune).filter_by(name=COMMUNE)).one()
        known = db.session.scalar(select(func.count(Person.id)))
        for number in range(count):
            name = f"Người học {known + number} (thử)"
            db.session.add(Person(name=name, birth_year=1950, commune=commune))
        db.session.commit()


def pdf_pages(page, name: str) -> int:
    """Print the page as Chromium does (kept in test-artifacts/); count the pages."""
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_a_card_signs_a_learner_in_on_their_own_phone(
    live_server, new_context, visit, tokens
):
    trainer = new_context().new_page()
    problems = Problems.watching(trainer)
    sign_in_as_trainer(trainer, live_server)
    visit(trainer, "communes")
    trainer.get_by_role("link", name=re.compile(re.escape(COMMUNE))).click()
    visit(trainer, "commune")
    issue_link = re.compile(rf"^Phát thẻ\W+{re.escape(LEARNER)}$")
    trainer.get_by_role("link", name=issue_link).click()
    visit(trainer, "issue")
    trainer.get_by_role("button", name="Phát thẻ").click()
    expect(trainer.get_by_role("heading", level=1)).to_have_text(
        f"Thẻ học của {LEARNER}"
    )
    expect(
        trainer.get_by_role("img", name=f"Mã QR để {LEARNER} đăng nhập")
    ).to_be_visible()
    visit(trainer, "card")
    code = trainer.locator(".card-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    problems.assert_none()

    # On the learner's own phone: the QR link asks first, the button signs in.
    phone = new_context().new_page()
    phone.goto(live_server(f"/card/{tokens[-1]}"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        f"Đăng nhập là {LEARNER}?"
    )
    expect(phone.get_by_text("Đã đăng nhập:")).to_have_count(0)
    visit(phone, "confirm")
    phone.get_by_role("button", name="Đúng là tôi, đăng nhập").click()
    expect(phone.get_by_text("Đã đăng nhập:")).to_be_visible()

    phone.goto(live_server("/card/pin"))
    visit(phone, "pin")
    phone.get_by_label("Mã PIN mới").fill("2580")
    phone.get_by_label("Gõ lại mã PIN đó").fill("2580")
    phone.get_by_role("button", name="Lưu mã PIN").click()
    expect(phone.get_by_text("Bạn đang có mã PIN.")).to_be_visible()
    visit(phone, "pin-set")
    phone.get_by_role("button", name="Đăng xuất").click()

    # Again, with the typed code (small letters, spaces) and the PIN.
    phone.goto(live_server("/learner/start"))
    phone.get_by_role("link", name="Đã có thẻ học? Gõ mã trên thẻ").click()
    visit(phone, "code")
    plain = code.replace("-", "").lower()
    phone.get_by_label("Mã trên thẻ của bạn").fill(f"{plain[:4]} {plain[4:]}")
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_text("Thẻ này có mã PIN.")).to_be_visible()
    visit(phone, "code-pin")
    phone.get_by_label("Mã PIN của bạn").fill("2580")
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_text("Đã đăng nhập:")).to_be_visible()

    # A reprint replaces the card: its link no longer works, kindly said.
    trainer.goto(trainer.url)  # the card was a POST's answer: this is the issue page
    trainer.get_by_role("button", name="Phát thẻ mới").click()
    phone.goto(live_server(f"/card/{tokens[0]}"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Thẻ này không còn dùng được"
    )
    visit(phone, "revoked")


def test_a_sheet_prints_8_cards_to_an_a4_page(live_server, new_context, visit):
    add_learners(live_server, 6)  # 8 learners in all
    page = new_context().new_page()
    sign_in_as_trainer(page, live_server)
    page.get_by_role("link", name=re.compile(re.escape(COMMUNE))).click()
    page.get_by_role("button", name="In thẻ cho người chưa có thẻ (8)").click()
    expect(page.locator(".learner-card")).to_have_count(8)
    visit(page, "sheet-8")
    assert pdf_pages(page, "cards-sheet-8") == 1

    page.emulate_media(media="print")
    boxes = [card.bounding_box() for card in page.locator(".learner-card").all()]
    page.emulate_media(media="screen")
    assert len({round(box["x"]) for box in boxes}) == 2  # two columns
    assert len({round(box["y"]) for box in boxes}) == 4  # four rows

    add_learners(live_server, 2)  # 10 learners: every card replaced, two pages
    page.goto(live_server("/cards/"))
    page.get_by_role("link", name=re.compile(re.escape(COMMUNE))).click()
    page.get_by_label("Tôi hiểu: các thẻ cũ sẽ không dùng được nữa").check()
    page.get_by_role("button", name="Thay và in tất cả các thẻ").click()
    expect(page.locator(".learner-card")).to_have_count(10)
    visit(page, "sheet-10")
    assert pdf_pages(page, "cards-sheet-10") == 2
