"""The web address question in real Chromium at 360×640, both modes, with and without JavaScript.

axe-core checks every state of the page where it can run (with JavaScript on); each
state is saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.samples.web_address import SLUG, content_root

from .conftest import (
    Learner,
    Problems,
    answer_button,
    open_quiz,
    recorded_answers,
)

pytestmark = pytest.mark.browser

LEARNER = Learner("Ông Tư (thử)", born=1950, commune=1)
PROMPT = "Địa chỉ nào là trang thật, địa chỉ nào là trang giả?"
RIGHT = {"real-check": "Thật", "one-for-l": "Giả mạo", "odd-ending": "Giả mạo"}
WRONG = RIGHT | {"one-for-l": "Thật"}


@pytest.fixture
def server(live_server_factory, tmp_path):
    """The web address lesson (vi and en), served for real (before any page opens)."""
    return live_server_factory(content_root(tmp_path))


def mark(page, marks: dict[str, str]) -> None:
    for address_id, label in marks.items():
        page.locator(f"#item-{address_id}").get_by_label(label, exact=True).check()


def test_both_modes_wrong_then_right_with_javascript(server, new_context, visit):
    page = new_context().new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)

    # Mark each: every address in its own group, named by the address itself.
    group = page.get_by_role("group", name="Địa chỉ: chong1uadao.vn")
    expect(group.get_by_role("radio")).to_have_count(2)
    expect(page.locator(".mark-count")).to_have_text("Đã chọn: 0/3")
    visit(page, "mark-each")

    mark(page, {"real-check": "Thật"})
    expect(page.locator(".mark-count")).to_have_text("Đã chọn: 1/3")
    answer_button(page).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Bạn hãy chọn cho từng địa chỉ trước đã nhé."
    )
    expect(page.locator("#item-one-for-l .mark-missing")).to_be_visible()
    visit(page, "mark-each-not-all-marked")

    mark(page, WRONG)
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("chong1uadao.vn")
    expect(feedback).to_contain_text("Số 1 (số một) được đặt vào chỗ của chữ l.")
    expect(feedback).to_contain_text("Đọc địa chỉ đến hết, từng chữ một.")  # the hint
    expect(page.locator("#item-one-for-l")).to_contain_text(
        "Hãy xem lại địa chỉ này nhé."
    )
    visit(page, "mark-each-wrong")

    mark(page, {"one-for-l": "Giả mạo"})
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    expect(page.get_by_role("status")).to_contain_text("Trang thật là tinnhiemmang.vn.")
    visit(page, "mark-each-right")

    # Pick the real one.
    page.get_by_role("link", name=re.compile(r"^Câu tiếp theo")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Địa chỉ nào là trang VNeID thật?"
    )
    expect(page.get_by_role("radio")).to_have_count(3)
    visit(page, "pick-real")
    answer_button(page).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Bạn hãy chọn một địa chỉ trước đã nhé."
    )
    page.get_by_label("vneid.gov.vn.xyz-login.top", exact=True).check()
    expect(page.get_by_role("alert")).to_be_hidden()
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Tên thật được đặt ở phía trước")
    expect(feedback).not_to_contain_text("Đúng tên vneid, đuôi .gov.vn.")
    visit(page, "pick-real-wrong")

    page.get_by_label("vneid.gov.vn", exact=True).check()
    answer_button(page).click()
    feedback = page.get_by_role("status")
    expect(feedback).to_contain_text("Đúng rồi!")
    expect(feedback).to_contain_text("Tên thật bị chèn thêm một chữ cái.")
    visit(page, "pick-real-right")
    problems.assert_none()

    assert recorded_answers(server, LEARNER, "question_id", "correct") == [
        ("check-sites", False),
        ("check-sites", True),
        ("pick-vneid", False),
        ("pick-vneid", True),
    ]


def test_both_modes_without_javascript(server, new_context, visit):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    open_quiz(page, server, SLUG, LEARNER, heading=PROMPT)
    visit(page, "mark-each", accessibility=False)

    mark(page, WRONG)
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Số 1 (số một)")
    visit(page, "mark-each-wrong", accessibility=False)
    mark(page, {"one-for-l": "Giả mạo"})
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")

    page.get_by_role("link", name=re.compile(r"^Câu tiếp theo")).click()
    page.get_by_label("vneidd.gov.vn", exact=True).check()
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Tên thật bị chèn thêm")
    page.get_by_label("vneid.gov.vn", exact=True).check()
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    visit(page, "pick-real-right", accessibility=False)
    problems.assert_none()

    fields = ("question_id", "response", "correct")
    assert recorded_answers(server, LEARNER, *fields) == [
        (
            "check-sites",
            ["real-check=real", "one-for-l=real", "odd-ending=fake"],
            False,
        ),
        (
            "check-sites",
            ["real-check=real", "one-for-l=fake", "odd-ending=fake"],
            True,
        ),
        ("pick-vneid", ["extra"], False),
        ("pick-vneid", ["real"], True),
    ]
