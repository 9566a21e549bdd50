"""The SMS inbox question in real Chromium at 360×640: wrong then right, with and without JavaScript.

axe-core checks every state of the page where it can run (with JavaScript on); each
state is saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Answer, Person, QuizAttempt, db
from tests.test_type_sms_inbox import SLUG, content_root

from .conftest import Problems, commune_label, fill_learner_form

pytestmark = pytest.mark.browser

LEARNER = "Bà Nga (thử)"
RIGHT = {"balance": "An toàn", "update": "Lừa đảo", "otp": "Lừa đảo"}
WRONG = RIGHT | {"balance": "Lừa đảo"}


def open_the_quiz(page, server) -> None:
    page.goto(server(f"/learner/start?next=/lessons/{SLUG}/quiz/"))
    fill_learner_form(page, LEARNER, 1946, commune_label(0))
    expect(page).to_have_url(server(f"/lessons/{SLUG}/quiz/"))
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tin nào lừa đảo, tin nào an toàn?"
    )


def learners_answers() -> list[Answer]:
    """The answers the learner of these tests gave (the demo learners have their own)."""
    return db.session.scalars(
        select(Answer)
        .join(QuizAttempt)
        .join(Person)
        .where(Person.name == LEARNER)
        .order_by(Answer.id)
    ).all()


def message(page, message_id: str):
    return page.locator(f"#item-{message_id}")


def mark(page, marks: dict[str, str]) -> None:
    """Tap each message's chip, the way a person does (by its label)."""
    for message_id, label in marks.items():
        message(page, message_id).get_by_label(label, exact=True).check()


def answer_button(page):
    return page.get_by_role("button", name=re.compile(r"^(Trả lời|Thử lại)$"))


def test_inbox_wrong_then_right_with_javascript(
    live_server_factory, tmp_path, new_context, visit
):
    server = live_server_factory(content_root(tmp_path))
    page = new_context().new_page()
    problems = Problems()
    problems.watch(page)
    open_the_quiz(page, server)

    # A phone inbox: two threads, the fake bank message in the real bank's thread.
    bank = page.locator("section.thread").filter(has_text="Ngân hàng ABC (mẫu)")
    expect(bank.locator("fieldset")).to_have_count(2)
    expect(bank).to_contain_text("2 tin nhắn cùng một tên người gửi")
    expect(page.locator(".sms-link")).to_have_text("vneid.gov.vn.xyz-login.top")
    expect(page.locator(".inbox a")).to_have_count(0)
    count = page.locator(".mark-count")
    expect(count).to_have_text("Đã chọn: 0/3")
    visit(page, "inbox")

    # The enhancement: the count follows each tap; the chip shows what was chosen.
    mark(page, {"balance": "Lừa đảo"})
    expect(count).to_have_text("Đã chọn: 1/3")
    chip = message(page, "balance").locator("label.mark-chip.bad")
    expect(chip).to_have_css("background-color", "rgb(161, 38, 28)")
    # Sent with messages left unmarked: a clear note on each, nothing is sent.
    url = page.url
    answer_button(page).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Bạn hãy chọn cho từng tin nhắn trước đã nhé."
    )
    expect(
        message(page, "otp").get_by_text("Bạn chưa chọn cho mục này.")
    ).to_be_visible()
    expect(
        message(page, "balance").get_by_text("Bạn chưa chọn cho mục này.")
    ).to_be_hidden()
    expect(message(page, "otp").get_by_label("Lừa đảo", exact=True)).to_be_focused()
    assert page.url == url
    visit(page, "not-all-marked")

    # Wrong: the safe balance message marked as a scam.
    mark(page, WRONG)
    expect(page.locator(".mark-need")).to_be_hidden()
    expect(count).to_have_text("Đã chọn: 3/3")
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Ngân hàng ABC (mẫu), 08:15")
    expect(feedback).to_contain_text("Tin báo số dư bình thường: không có đường link")
    expect(feedback).to_contain_text("Tên người gửi giống nhau chưa chắc là tin thật.")
    expect(feedback).not_to_contain_text("Đúng rồi!")
    expect(message(page, "balance")).to_contain_text("Hãy xem lại tin nhắn này nhé.")
    expect(message(page, "otp").get_by_label("Lừa đảo", exact=True)).to_be_checked()
    expect(page.get_by_role("button", name="Xem câu trả lời đúng")).to_be_visible()
    visit(page, "wrong")

    # Right: only the one message needs changing.
    mark(page, {"balance": "An toàn"})
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Đúng rồi!")
    expect(feedback).to_contain_text("Ngân hàng không bao giờ hỏi mã OTP của bạn")
    expect(feedback).to_contain_text("Tin giả có thể nằm chung với tin thật.")
    visit(page, "right")
    problems.assert_none()

    with server.app.app_context():
        answers = learners_answers()
        assert [a.correct for a in answers] == [False, True]


def test_inbox_with_the_largest_text(live_server_factory, tmp_path, new_context, visit):
    """With the largest text size the chips still fit and the page still passes axe."""
    server = live_server_factory(content_root(tmp_path))
    page = new_context().new_page()
    open_the_quiz(page, server)
    page.locator("button.size-larger").click()
    expect(page.locator("html")).to_have_class(re.compile("text-larger"))
    mark(page, WRONG)
    visit(page, "largest-text")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the inbox is wider than the phone"


def test_inbox_without_javascript(live_server_factory, tmp_path, new_context, visit):
    server = live_server_factory(content_root(tmp_path))
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems()
    problems.watch(page)
    open_the_quiz(page, server)
    expect(page.locator(".mark-count")).to_be_hidden()
    visit(page, "inbox", accessibility=False)

    # Nothing marked: the browser itself asks (the radio buttons are required).
    url = page.url
    answer_button(page).click()
    assert page.url == url

    mark(page, WRONG)
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Tin báo số dư bình thường: không có đường link")
    visit(page, "wrong", accessibility=False)

    mark(page, {"balance": "An toàn"})
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    visit(page, "right", accessibility=False)
    problems.assert_none()

    with server.app.app_context():
        answers = learners_answers()
        assert [(a.response, a.correct) for a in answers] == [
            (["balance=scam", "otp=scam", "update=scam"], False),
            (["balance=safe", "otp=scam", "update=scam"], True),
        ]


def test_the_script_runs_under_the_content_security_policy(
    live_server_factory, tmp_path, new_context
):
    server = live_server_factory(content_root(tmp_path))
    page = new_context(bypass_csp=False).new_page()
    problems = Problems()
    problems.watch(page)
    open_the_quiz(page, server)
    expect(page.locator(".mark-count")).to_have_text("Đã chọn: 0/3")
    problems.assert_none()
