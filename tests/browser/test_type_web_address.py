"""The web address question in real Chromium at 360×640, both modes, with and without JavaScript.

axe-core checks every state of the page where it can run (with JavaScript on); each
state is saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Answer, Person, QuizAttempt, db
from tests.test_type_web_address import SLUG, content_root

from .conftest import Problems, commune_label, fill_learner_form

pytestmark = pytest.mark.browser

LEARNER = "Ông Tư (thử)"
RIGHT = {"real-check": "Thật", "one-for-l": "Giả mạo", "odd-ending": "Giả mạo"}
WRONG = RIGHT | {"one-for-l": "Thật"}


def open_the_quiz(page, server) -> None:
    page.goto(server(f"/learner/start?next=/lessons/{SLUG}/quiz/"))
    fill_learner_form(page, LEARNER, 1950, commune_label(1))
    expect(page).to_have_url(server(f"/lessons/{SLUG}/quiz/"))
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Địa chỉ nào là trang thật, địa chỉ nào là trang giả?"
    )


def learners_answers() -> list[tuple[str, list[str], bool]]:
    """What the learner of these tests answered (the demo learners have their own)."""
    answers = db.session.scalars(
        select(Answer)
        .join(QuizAttempt)
        .join(Person)
        .where(Person.name == LEARNER)
        .order_by(Answer.id)
    )
    return [(a.question_id, a.response, a.correct) for a in answers]


def mark(page, marks: dict[str, str]) -> None:
    for address_id, label in marks.items():
        page.locator(f"#item-{address_id}").get_by_label(label, exact=True).check()


def answer_button(page):
    return page.get_by_role("button", name=re.compile(r"^(Trả lời|Thử lại)$"))


def test_both_modes_wrong_then_right_with_javascript(
    live_server_factory, tmp_path, new_context, visit
):
    server = live_server_factory(content_root(tmp_path))
    page = new_context().new_page()
    problems = Problems()
    problems.watch(page)
    open_the_quiz(page, server)

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

    with server.app.app_context():
        assert [(q, ok) for q, _, ok in learners_answers()] == [
            ("check-sites", False),
            ("check-sites", True),
            ("pick-vneid", False),
            ("pick-vneid", True),
        ]


def test_both_modes_without_javascript(
    live_server_factory, tmp_path, new_context, visit
):
    server = live_server_factory(content_root(tmp_path))
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    problems = Problems()
    problems.watch(page)
    open_the_quiz(page, server)
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

    with server.app.app_context():
        assert learners_answers() == [
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
