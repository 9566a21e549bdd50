"""The QR payment rehearsal in real Chromium on a phone: with JavaScript, and without it.

The lesson and quiz are the small test ones of tests/samples/qr_payment.py (two steps,
Vietnamese and English; a swapped sticker, a wrong amount and a genuine payment),
served from a folder of their own. Every page state is checked with axe-core and saved
as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.samples import write
from tests.samples.qr_payment import SLUG, qr_files

from .conftest import Learner, Problems, open_quiz, recorded_answers

pytestmark = pytest.mark.browser

LEARNER = Learner("Bà Nga (thử)")
THATS_RIGHT = "Đúng rồi!"
SCAN = "Quét mã"
CONFIRM = "Xác nhận chuyển"
REFUSE = "Không chuyển"
SCREEN_TITLE = "Màn hình ứng dụng ngân hàng của bạn:"
BUTTONS = {"confirm": CONFIRM, "refuse": REFUSE}
OTHER = {"confirm": "refuse", "refuse": "confirm"}


@pytest.fixture
def server(live_server_factory, tmp_path):
    """The test lesson and its qr_payment quiz, served for real (before any page opens)."""
    server = live_server_factory(write(tmp_path / "content", qr_files()))
    assert server.app.extensions["hocso_library"].problems == []
    return server


@pytest.fixture
def questions(server):
    return server.app.extensions["hocso_library"].get(SLUG).quiz("vi").questions


def decide(page, key: str) -> None:
    page.get_by_role("button", name=BUTTONS[key], exact=True).click()


def expect_question(page, number: int, question) -> None:
    expect(page.get_by_text(f"Câu {number}/3", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(question.prompt)
    expect(page.locator(".qr-situation")).to_have_text(question.situation)
    sticker = page.locator(".qr-sticker")
    expect(sticker).to_contain_text("MẪU – không phải tài khoản thật")
    expect(sticker).to_contain_text(question.sticker.shop)
    expect(sticker.locator("svg.vietqr")).to_be_visible()


def expect_screen(page, question) -> None:
    phone = page.locator(".qr-phone")
    expect(phone).to_be_visible()
    expect(phone).to_contain_text(question.screen.name)
    expect(phone).to_contain_text(question.sticker.account)
    expect(phone.locator(".qr-amount")).to_contain_text(question.amount_text())


def expect_wrong(page, question) -> None:
    feedback = page.get_by_role("status")
    expect(feedback).not_to_contain_text(THATS_RIGHT)
    expect(feedback).to_contain_text(question.feedback)
    expect(feedback).to_contain_text(question.reason)
    expect(page.get_by_role("button", name="Xem câu trả lời đúng")).to_be_visible()


def expect_right(page, question) -> None:
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(THATS_RIGHT)
    expect(feedback).to_contain_text(question.reason)
    expect(feedback).to_contain_text(question.explanation)


def next_page(page, number: int) -> None:
    if number < 3:
        page.get_by_role("link", name=re.compile(r"^Câu tiếp theo")).click()
    else:
        page.get_by_role("button", name="Xem kết quả").click()


def test_paying_with_javascript_on_a_phone(server, page, visit, questions):
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER)

    for number, question in enumerate(questions, start=1):
        expect_question(page, number, question)
        # As on a real phone: the banking app's screen comes after scanning.
        expect(page.locator(".qr-phone")).to_be_hidden()
        expect(page.get_by_role("button", name=CONFIRM, exact=True)).to_be_hidden()
        visit(page, f"q{number}-sticker")
        page.get_by_role("button", name=SCAN, exact=True).click()
        expect(page.get_by_role("heading", name=SCREEN_TITLE)).to_be_focused()
        expect(page.get_by_role("button", name=SCAN, exact=True)).to_be_hidden()
        expect_screen(page, question)
        visit(page, f"q{number}-screen")

        right = question.answer
        if number == 1:  # the swapped sticker: confirm it first, by mistake
            decide(page, OTHER[right])
            expect_wrong(page, question)
            # A second try shows the screen at once, beside the feedback.
            expect_screen(page, question)
            expect(page.get_by_role("button", name=SCAN, exact=True)).to_be_hidden()
            visit(page, f"q{number}-wrong")
        decide(page, right)
        expect_right(page, question)
        visit(page, f"q{number}-right")
        next_page(page, number)

    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả của bạn")
    expect(page.locator(".score")).to_have_text("Trả lời đúng ngay lần đầu: 2/3 câu")
    visit(page, "result")
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (["confirm"], False),
        (["refuse"], True),
        (["refuse"], True),
        (["confirm"], True),
    ]


def test_paying_without_javascript(server, new_context, visit, questions):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER)

    swapped, wrong_amount, genuine = questions
    # Everything is on the page at once: the sticker, the screen, both buttons.
    expect_question(page, 1, swapped)
    expect_screen(page, swapped)
    expect(page.get_by_role("button", name=SCAN, exact=True)).to_be_hidden()
    expect(page.locator(".qr-typed")).to_have_text("(bạn tự nhập)")
    visit(page, "q1", accessibility=False)
    decide(page, "confirm")
    expect_wrong(page, swapped)
    visit(page, "q1-wrong", accessibility=False)
    decide(page, "refuse")
    expect_right(page, swapped)
    visit(page, "q1-right", accessibility=False)
    next_page(page, 1)

    # The wrong amount: refused at once.
    expect_question(page, 2, wrong_amount)
    expect_screen(page, wrong_amount)
    visit(page, "q2", accessibility=False)
    decide(page, "refuse")
    expect_right(page, wrong_amount)
    next_page(page, 2)

    # The genuine payment: refused by mistake first, then confirmed.
    expect_question(page, 3, genuine)
    decide(page, "refuse")
    expect_wrong(page, genuine)
    visit(page, "q3-wrong", accessibility=False)
    decide(page, "confirm")
    expect_right(page, genuine)
    visit(page, "q3-right", accessibility=False)
    next_page(page, 3)

    expect(page.locator(".score")).to_have_text("Trả lời đúng ngay lần đầu: 1/3 câu")
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (["confirm"], False),
        (["refuse"], True),
        (["refuse"], True),
        (["refuse"], False),
        (["confirm"], True),
    ]


def test_the_sticker_and_screen_fit_with_the_largest_text(server, page, visit):
    open_quiz(page, server, SLUG, LEARNER)
    page.get_by_role("button", name="Chữ to nhất").click()
    page.get_by_role("button", name=SCAN, exact=True).click()
    for selector in (".qr-sticker", ".qr-phone", ".qr-decide .button"):
        for box in page.locator(selector).all():
            bounds = box.bounding_box()
            assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 360, selector
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 360
    visit(page, "largest-text-screen")
