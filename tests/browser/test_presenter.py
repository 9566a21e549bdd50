"""The presenter view in real Chromium: keys move between screens and Escape leaves,
on a projector-sized screen and on a phone; axe-core checks every screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Problems

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param(PHONE, id="phone"),
        pytest.param(DESKTOP, id="desktop"),
        pytest.param(PROJECTOR, id="projector"),
    ],
)
def test_keys_move_through_the_lesson_and_escape_leaves(
    live_server, new_context, visit, viewport, library
):
    total = len(library.get("vneid").text("vi").steps)
    page = new_context(viewport=viewport).new_page()
    problems = Problems.watching(page)
    page.goto(live_server("/lessons/vneid"))
    page.get_by_role("link", name="Trình chiếu cho cả lớp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cài đặt và dùng VNeID")
    visit(page, "title")

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(live_server("/lessons/vneid/present/1"))
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(live_server("/lessons/vneid/present/2"))
    expect(page.get_by_text(f"Bước 2/{total}")).to_be_visible()
    expect(page.locator(".slide-pictures img")).to_be_visible()
    visit(page, "step-2")
    if viewport != PHONE:  # a projected step fits the screen: nothing to scroll
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= viewport["height"]

    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(live_server("/lessons/vneid/present/1"))
    page.keyboard.press("End")
    expect(page).to_have_url(live_server("/lessons/vneid/present/end"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hết bài — mời mọi người làm bài kiểm tra"
    )
    visit(page, "end")
    page.keyboard.press("Home")
    expect(page).to_have_url(live_server("/lessons/vneid/present"))
    page.keyboard.press("PageDown")
    expect(page).to_have_url(live_server("/lessons/vneid/present/1"))

    page.keyboard.press("Escape")
    expect(page).to_have_url(live_server("/lessons/vneid"))
    problems.assert_none()


def test_the_links_work_without_javascript(live_server, new_context, library):
    total = len(library.get("vneid").text("vi").steps)
    page = new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    page.goto(live_server("/lessons/vneid/present"))
    page.get_by_role("link", name="Tiếp theo →").click()
    expect(page.get_by_text(f"Bước 1/{total}")).to_be_visible()
    page.get_by_role("link", name="Thoát").click()
    expect(page).to_have_url(live_server("/lessons/vneid"))
