"""A scam phone call answered line by line in real Chromium, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.samples import write
from tests.samples.phone_call import LONG_SAFE_PATH, WRONG_PATH, call_files

from .conftest import (
    Learner,
    Problems,
    open_quiz,
    recorded_answers,
    visit_with_largest_text,
)

pytestmark = pytest.mark.browser

LEARNER = Learner("Ông Tư (thử)", born=1948)
PROMPT = "Một số lạ gọi đến. Bạn trả lời thế nào?"


@pytest.fixture
def server(live_server_factory, tmp_path):
    """A two-step lesson (vi and en) whose quiz is one phone call."""
    return live_server_factory(write(tmp_path / "content", call_files()))


def reply(page, text: str) -> None:
    page.get_by_role("link", name=text, exact=True).click()


def caller_says(page, text: str) -> None:
    """The caller's newest line is on screen (the page scrolled to it)."""
    line = page.locator("#now")
    expect(line).to_contain_text(text)
    expect(line).to_be_in_viewport()


def test_a_call_lost_then_ended_safely_on_a_phone(server, new_context, visit):
    page = new_context().new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, "otp", LEARNER, heading=PROMPT)

    screen = page.locator(".call")
    expect(screen).to_contain_text("Cuộc gọi đến")
    expect(screen).to_contain_text("Số lạ 09xx xxx xxx")
    expect(page.locator(".says.caller")).to_have_count(1)
    expect(page.locator(".replies a")).to_have_count(3)
    visit(page, "call-rings")

    # The largest text still fits a phone screen, words whole; then back to normal.
    visit_with_largest_text(page, visit, "call-rings")

    # The frightened way: each reply shows on the right, the caller answers on the left.
    reply(page, "Trời ơi, tôi phải làm gì?")
    expect(page).to_have_url(re.compile(r"path=start(%3A|:)a#now$"))
    expect(page.locator(".says.you")).to_have_count(1)
    expect(page.locator(".says.you")).to_contain_text("Trời ơi, tôi phải làm gì?")
    caller_says(page, "Bác phải giữ bí mật")
    visit(page, "call-keep-it-secret")
    reply(page, "Vâng, tôi không kể với ai.")
    caller_says(page, "để chứng minh mình vô tội")
    reply(page, "Vâng, tôi chuyển ngay.")

    ending = page.locator(".call-ending")
    expect(ending).to_contain_text("Cuộc gọi đã kết thúc.")
    expect(ending).to_contain_text("Bạn đã mất tiền")
    expect(ending).to_contain_text("bắt giữ bí mật rồi bảo chuyển tiền")
    expect(ending).to_be_in_viewport()
    expect(page.get_by_role("link", name="Vâng, tôi chuyển ngay.")).to_have_count(0)
    visit(page, "call-money-lost")
    page.get_by_role("button", name="Gửi câu trả lời").click()

    # What each reply did, and what happened in the end.
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Không sao, mình cùng xem lại nhé.")
    expect(feedback).to_contain_text("“Trời ơi, tôi phải làm gì?”")
    expect(feedback).to_contain_text("Người gọi làm bạn sợ để bạn làm theo.")
    expect(feedback).to_contain_text("Bắt giữ bí mật là dấu hiệu lừa đảo.")
    expect(feedback).to_contain_text("Công an không bao giờ gọi điện bắt chuyển tiền.")
    expect(feedback).to_contain_text("Bạn đã mất tiền")
    expect(feedback.locator("li.wrong")).to_have_count(3)
    expect(page.locator(".says.you")).to_have_count(0)  # the call starts over
    visit(page, "call-feedback-wrong")

    # The safe way, this time by the longest road.
    reply(page, "Trời ơi, tôi phải làm gì?")
    reply(page, "Vâng, tôi không kể với ai.")
    reply(page, "Công an không bắt chuyển tiền qua điện thoại. Tôi cúp máy.")
    expect(page.locator(".call-ending.safe")).to_contain_text("Bạn đã an toàn")
    visit(page, "call-safe")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Đúng rồi!")
    expect(feedback).to_contain_text("Đúng vậy: đây là kẻ lừa đảo.")
    expect(feedback.locator("li.right")).to_have_count(1)
    visit(page, "call-feedback-right")
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (WRONG_PATH, False),
        (LONG_SAFE_PATH, True),
    ]


def test_a_call_works_without_javascript(server, new_context, visit):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, "otp", LEARNER, heading=PROMPT)
    visit(page, "no-js-rings", accessibility=False)

    reply(page, "Ông cần gì ở tôi?")
    caller_says(page, "để chứng minh mình vô tội")
    visit(page, "no-js-transfer", accessibility=False)
    reply(page, "Vâng, tôi chuyển ngay.")
    expect(page.locator(".call-ending.unsafe")).to_contain_text("Bạn đã mất tiền")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Đừng nói chuyện tiếp với người lạ xưng là công an."
    )
    visit(page, "no-js-feedback-wrong", accessibility=False)

    reply(page, "Tôi sẽ tự đến công an xã.")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    visit(page, "no-js-feedback-right", accessibility=False)
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (["start:c", "transfer:a"], False),
        (["start:b"], True),
    ]
