"""Putting steps in order in real Chromium: Up/Down, dragging, and position lists alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.samples import write
from tests.samples.ordering import RIGHT, order_files

from .conftest import (
    Learner,
    Problems,
    open_quiz,
    recorded_answers,
    visit_with_largest_text,
)

pytestmark = pytest.mark.browser

LEARNER = Learner("Bà Hoa (thử)", born=1950, commune=1)
PROMPT = "Xếp các bước kích hoạt VNeID theo đúng thứ tự."
TEXTS = {
    "id-and-phone": "Nhập số định danh cá nhân và số điện thoại",
    "send-request": "Bấm “Gửi yêu cầu”",
    "otp": "Tự tay gõ mã OTP trong tin nhắn",
    "password": "Tạo mật khẩu",
    "passcode": "Tạo passcode 6 chữ số",
}


@pytest.fixture
def server(live_server_factory, tmp_path):
    """A two-step lesson (vi and en) whose quiz is one ordering question."""
    return live_server_factory(write(tmp_path / "content", order_files()))


def on_screen(page) -> list[str]:
    """The steps in the order the page shows them."""
    return page.locator(".order-step").evaluate_all(
        "items => items.map(item => item.dataset.step)"
    )


def positions(page) -> dict[str, str]:
    """Each step's chosen position, as the form will send it."""
    return {step: page.locator(f"#position-{step}").input_value() for step in TEXTS}


def assert_lists_follow(page) -> None:
    """The position lists say what the screen shows."""
    shown = on_screen(page)
    assert positions(page) == {step: str(shown.index(step) + 1) for step in shown}


def test_ordering_with_buttons_and_dragging_on_a_phone(server, new_context, visit):
    page = new_context().new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, "otp", LEARNER, heading=PROMPT)

    first = on_screen(page)
    assert first != RIGHT and sorted(first) == sorted(RIGHT)
    expect(page.get_by_role("button", name=f"Lên: {TEXTS['otp']}")).to_be_visible()
    expect(page.locator(".drag-handle").first).to_be_visible()
    expect(page.get_by_text("Bạn cũng có thể bấm nút Lên, Xuống")).to_be_visible()
    assert_lists_follow(page)
    visit(page, "shuffled")

    # The largest text still fits a phone screen, words whole; then back to normal.
    visit_with_largest_text(page, visit, "shuffled")

    # Sent as shown: wrong, and each step out of place says which step it is.
    page.get_by_role("button", name="Trả lời").click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Không sao, mình cùng xem lại nhé.")
    wrong = [step for step in first if first.index(step) != RIGHT.index(step)]
    for step in wrong:
        expect(feedback.locator("li.wrong", has_text=TEXTS[step])).to_contain_text(
            f"Bạn xếp ở vị trí {first.index(step) + 1}, nhưng đây là bước"
            f" {RIGHT.index(step) + 1}."
        )
    assert on_screen(page) == first  # the next try starts from the learner's order
    visit(page, "wrong")

    # Drag the last step above the one before it, by its handle.
    last, before = on_screen(page)[-1], on_screen(page)[-2]
    handle = page.locator(f'.order-step[data-step="{last}"] .drag-handle')
    target = page.locator(f'.order-step[data-step="{before}"]')
    target.scroll_into_view_if_needed()
    start, goal = handle.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2, goal["y"] + 4, steps=8)
    page.mouse.up()
    assert on_screen(page)[-2:] == [last, before]
    assert_lists_follow(page)
    expect(page.locator(".ordering-status")).to_have_text(
        f"{TEXTS[last]} — Vị trí {len(RIGHT) - 1}"
    )

    # Choosing a number in a list moves the step there too.
    page.get_by_label(f"Vị trí: {TEXTS['passcode']}").select_option(str(len(RIGHT)))
    assert on_screen(page)[-1] == "passcode"
    assert_lists_follow(page)

    # Then Up, from the keyboard and by tapping, until each step is in its place.
    for index, step in enumerate(RIGHT):
        while on_screen(page).index(step) > index:
            up = page.get_by_role("button", name=f"Lên: {TEXTS[step]}")
            if index == 0:
                up.focus()
                page.keyboard.press("Enter")
                expect(up).to_be_focused()  # the keyboard stays on the moved step
            else:
                up.click()
            assert_lists_follow(page)
    assert on_screen(page) == RIGHT
    first_up = page.get_by_role("button", name=f"Lên: {TEXTS[RIGHT[0]]}")
    expect(first_up).to_have_attribute("aria-disabled", "true")
    first_up.focus()
    page.keyboard.press("Enter")  # the top step cannot go higher: nothing happens
    assert on_screen(page) == RIGHT
    visit(page, "sorted")

    page.get_by_role("button", name="Thử lại").click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Đúng rồi!")
    expect(feedback.locator("li.right")).to_have_count(len(RIGHT))
    visit(page, "right")
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [(first, False), (RIGHT, True)]


def test_ordering_with_position_lists_alone(server, new_context, visit):
    """Without JavaScript: no buttons, no dragging; the lists are the whole answer."""
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, "otp", LEARNER, heading=PROMPT)
    expect(page.locator(".move").first).to_be_hidden()
    expect(page.locator(".drag-handle").first).to_be_hidden()
    first = on_screen(page)
    visit(page, "no-js-shuffled", accessibility=False)

    # Two steps at position 1: sent back, saying why.
    page.get_by_label(f"Vị trí: {TEXTS[first[1]]}").select_option("1")
    page.get_by_role("button", name="Trả lời").click()
    expect(page.get_by_text("Có hai bước đang cùng một vị trí.")).to_be_visible()
    visit(page, "no-js-same-position", accessibility=False)
    assert recorded_answers(server, LEARNER) == []

    for number, step in enumerate(RIGHT, start=1):
        page.get_by_label(f"Vị trí: {TEXTS[step]}").select_option(str(number))
    assert on_screen(page) == first  # nothing moves without a script
    page.get_by_role("button", name="Trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    visit(page, "no-js-right", accessibility=False)
    problems.assert_none()
    assert recorded_answers(server, LEARNER) == [(RIGHT, True)]

    # The same page as a phone without the script sees it, checked with axe.
    checked = new_context().new_page()
    checked.route(
        "**/js/types/ordering.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    open_quiz(checked, server, "otp", LEARNER, heading=PROMPT)
    expect(checked.locator(".move").first).to_be_hidden()
    visit(checked, "no-script-axe")


def test_positions_chosen_before_the_script_ran_are_kept(server, new_context):
    """On a slow phone a person can choose positions before ordering.js has run: when it
    runs, it puts the steps in the chosen order instead of numbering them back."""
    page = new_context().new_page()
    page.route(
        "**/js/types/ordering.js",
        lambda route: route.fulfill(body="", content_type="text/javascript"),
    )
    open_quiz(page, server, "otp", LEARNER, heading=PROMPT)
    for number, step in enumerate(RIGHT[:2], start=1):
        page.get_by_label(f"Vị trí: {TEXTS[step]}").select_option(str(number))
    page.add_script_tag(path="static/js/types/ordering.js")  # the script, arriving late
    expect(page.locator(".move").first).to_be_visible()
    assert on_screen(page)[:2] == list(RIGHT[:2])
    assert_lists_follow(page)
    for number, step in enumerate(RIGHT[2:], start=3):  # the rest, with the script
        page.get_by_label(f"Vị trí: {TEXTS[step]}").select_option(str(number))
    assert on_screen(page) == list(RIGHT)
    page.get_by_role("button", name="Trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    assert recorded_answers(server, LEARNER) == [(RIGHT, True)]
