"""The SMS inbox question in real Chromium at 360×640: wrong then right, with and without JavaScript.

axe-core checks every state of the page where it can run (with JavaScript on); each
state is saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.samples.sms_inbox import SLUG, content_root

from .conftest import (
    Learner,
    Problems,
    answer_button,
    open_quiz,
    recorded_answers,
)

pytestmark = pytest.mark.browser

LEARNER = Learner("Bà Nga (thử)")
PROMPT = "Tin nào lừa đảo, tin nào an toàn?"
RIGHT = {"balance": "An toàn", "update": "Lừa đảo", "otp": "Lừa đảo"}
WRONG = RIGHT | {"balance": "Lừa đảo"}


@pytest.fixture
def server(live_server_factory, tmp_path):
    """The SMS inbox lesson (vi and en), served for real (before any page opens)."""
    return live_server_factory(content_root(tmp_path))


def message(page, message_id: str):
    return page.locator(f"#item-{message_id}")


def mark(page, marks: dict[str, str]) -> None:
    """Tap each message's chip, the way a person does (by its label)."""
    for message_id, label in marks.items():
        message(page, message_id).get_by_label(label, exact=True).check()


def test_inbox_wrong_then_right_with_javascript(server, new_context, visit):
    page = new_context().new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)

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

    answers = recorded_answers(server, LEARNER)
    assert [correct for _, correct in answers] == [False, True]


def test_inbox_with_the_largest_text(server, new_context, visit):
    """With the largest text size the chips still fit and the page still passes axe."""
    page = new_context().new_page()
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)
    page.locator("button.size-larger").click()
    expect(page.locator("html")).to_have_class(re.compile("text-larger"))
    mark(page, WRONG)
    visit(page, "largest-text")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the inbox is wider than the phone"


def test_inbox_without_javascript(server, new_context, visit):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)
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

    assert recorded_answers(server, LEARNER) == [
        (["balance=scam", "otp=scam", "update=scam"], False),
        (["balance=safe", "otp=scam", "update=scam"], True),
    ]


def test_the_script_runs_under_the_content_security_policy(server, new_context):
    page = new_context(bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)
    expect(page.locator(".mark-count")).to_have_text("Đã chọn: 0/3")
    problems.assert_none()
