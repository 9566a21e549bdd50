"""Tap the red flag, in real Chromium on a phone: with JavaScript, and without it.

The lesson and quiz are the small test ones of tests/samples/red_flag.py (two steps,
Vietnamese and English), served from a folder of their own. Every page state is
checked with axe-core and saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.samples import write
from tests.samples.red_flag import files

from .conftest import Learner, Problems, open_quiz, recorded_answers

pytestmark = pytest.mark.browser

LEARNER = Learner("Bà Nga (thử)")
THATS_RIGHT = "Đúng rồi!"
LIST_SUMMARY = "Không chạm được? Chọn từ danh sách"
HOLD_SUBMIT = """() => {
  window.held = [];
  HTMLFormElement.prototype.realSubmit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () { window.held.push(this); };
}"""


@pytest.fixture
def server(live_server_factory, tmp_path):
    """The test lesson and its red_flag quiz, served for real (before any page opens)."""
    server = live_server_factory(write(tmp_path / "content", files()))
    assert server.app.extensions["hocso_library"].problems == []
    return server


@pytest.fixture
def question(server):
    return server.app.extensions["hocso_library"].get("otp").quiz("vi").question(1)


def open_question(page, server) -> None:
    """Register a learner and open the quiz's first (and only) question."""
    open_quiz(page, server, "otp", LEARNER, heading="Tin nhắn này có gì đáng ngờ?")
    expect(page.get_by_text("Câu 1/1", exact=True)).to_be_visible()
    expect(page.get_by_text("Trong hình có 3 dấu hiệu lừa đảo.")).to_be_visible()


def picture(page):
    return page.locator("input.red-flag-image")


def marker_at(page) -> tuple[float, float]:
    transform = page.locator(".red-flag-marker .marker").get_attribute("transform")
    x, y = re.fullmatch(r"translate\(([-\d.]+) ([-\d.]+)\)", transform).groups()
    return float(x), float(y)


def test_tapping_with_javascript_on_a_phone(server, page, visit, question):
    problems = Problems.watching(page)
    open_question(page, server)
    box = picture(page).bounding_box()
    assert (box["width"], box["height"]) == (300, 540), "shown at its own size"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "fits the phone screen"
    expect(page.locator(".red-flag-marker .marker")).to_be_hidden()
    expect(page.get_by_role("button", name="Đường link trong tin nhắn")).to_be_hidden()
    visit(page, "question")

    # The list is there for those who cannot tap, folded away.
    page.get_by_text(LIST_SUMMARY).click()
    for region in question.regions:
        expect(page.get_by_role("button", name=region.label)).to_be_visible()
    visit(page, "list-open")
    page.get_by_text(LIST_SUMMARY).click()

    # A tap on an empty spot: the script marks it, then sends it measured from where
    # the picture really is; shown at half size here, which the browser alone gets wrong.
    page.add_style_tag(content=".red-flag-image { width: 150px; height: 270px; }")
    page.evaluate(HOLD_SUBMIT)
    picture(page).click(position={"x": 75, "y": 10})
    page.wait_for_function("() => window.held.length === 1")
    expect(page.locator(".red-flag-marker .marker")).to_be_visible()
    assert marker_at(page) == (150, 20)
    sent = page.evaluate(
        "() => [...new FormData(window.held[0]).entries()]"
        ".filter(([name]) => name.startsWith('tap.'))"
    )
    assert sent == [["tap.x", "150.00"], ["tap.y", "20.00"]]
    visit(page, "empty-spot-marked")
    with page.expect_navigation():
        page.evaluate("() => window.held[0].realSubmit()")
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(question.empty_feedback)
    expect(feedback).not_to_contain_text(THATS_RIGHT)
    expect(
        page.get_by_text("Vòng tròn đỏ là chỗ bạn đã chạm lần trước.")
    ).to_be_visible()
    assert marker_at(page) == (150, 20)
    visit(page, "empty-spot-feedback")

    # The picture pressed with a key cannot point anywhere: the list opens instead.
    picture(page).focus()
    page.keyboard.press("Enter")
    first = page.get_by_role("button", name=question.regions[0].label)
    expect(first).to_be_focused()
    assert recorded_answers(server, LEARNER) == [(["spot:150,20"], False)]
    visit(page, "keyboard-opens-the-list")
    page.get_by_text(LIST_SUMMARY).click()

    # A region that is no red flag: its own feedback, and the ring where it was tapped.
    picture(page).click(position={"x": 150, "y": 112})
    sender = question.regions[0]
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(sender.label)
    expect(feedback).to_contain_text(sender.feedback)
    expect(page.get_by_role("button", name="Xem câu trả lời đúng")).to_be_visible()
    visit(page, "region-feedback")

    # A red flag.
    picture(page).click(position={"x": 200, "y": 350})
    otp = question.regions[3]
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(THATS_RIGHT)
    expect(feedback).to_contain_text(otp.feedback)
    expect(feedback).to_contain_text(question.explanation)
    visit(page, "right")
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (["spot:150,20"], False),
        (["region:sender"], False),
        (["region:otp"], True),
    ]


def test_tapping_and_choosing_without_javascript(server, new_context, visit, question):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_question(page, server)
    visit(page, "question", accessibility=False)

    # The browser itself sends where the picture was tapped.
    picture(page).click(position={"x": 260, "y": 420})
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(question.empty_feedback)
    assert marker_at(page) == (260, 420)
    visit(page, "empty-spot-feedback", accessibility=False)

    # The list works with plain submit buttons.
    page.get_by_text(LIST_SUMMARY).click()
    page.get_by_role("button", name=question.regions[0].label).click()
    expect(page.get_by_role("status")).to_contain_text(question.regions[0].feedback)
    visit(page, "list-wrong", accessibility=False)

    picture(page).click(position={"x": 100, "y": 290})
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(THATS_RIGHT)
    expect(feedback).to_contain_text(question.regions[2].feedback)
    visit(page, "right", accessibility=False)
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [
        (["spot:260,420"], False),
        (["region:sender"], False),
        (["region:link"], True),
    ]


def test_choosing_from_the_list_with_the_keyboard(server, page, visit, question):
    """No pointing at all: Tab to the list, open it, choose a red flag by its name."""
    open_question(page, server)
    summary = page.locator(".red-flag-list summary")
    for _ in range(30):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=question.regions[1].label)).to_be_focused()
    page.keyboard.press("Enter")
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text(THATS_RIGHT)
    expect(feedback).to_contain_text(question.regions[1].feedback)
    visit(page, "right")
    assert recorded_answers(server, LEARNER) == [(["region:urgent"], True)]


def test_the_picture_fits_with_the_largest_text(server, page, visit):
    open_question(page, server)
    page.get_by_role("button", name="Chữ to nhất").click()
    box = picture(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    visit(page, "largest-text")
