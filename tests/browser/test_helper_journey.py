"""A helper's Saturday on a phone: sign in, register a learner with consent, help them
through a step and a quiz answer, then switch to the next learner in two taps.

Runs in real Chromium at 360×640; every page visited is checked by axe-core (WCAG 2.2
A/AA, target size on) and saved as a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import (
    Answer,
    AssistSession,
    Commune,
    Person,
    QuizAttempt,
    StepView,
    db,
)
from services.demo import DEMO_COMMUNES
from tests.factories import make_person

from .conftest import Problems, answer_button, sign_in

pytestmark = pytest.mark.browser

HELPER = "Chị Thảo (thử)"
HELPER_EMAIL = "thao@example.org"
PASSWORD = "a long helper password"
LEARNER = "Bà Xuân (thử)"
NEXT_LEARNER = "Nguyễn Thị Nga (demo)"  # a demo learner of the helper's commune


def make_helper(app) -> int:
    with app.app_context():
        commune = db.session.scalar(
            select(Commune.id).where(Commune.code == DEMO_COMMUNES[0][0])
        )
    return make_person(
        app, HELPER, commune, "helper", 2002, email=HELPER_EMAIL, password=PASSWORD
    )


def assist_bar(page):
    return page.get_by_role("complementary", name="Đang giúp người học")


def assert_fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways"


def test_a_helper_registers_helps_and_switches_on_a_phone(live_server, page, visit):
    app = live_server.app
    helper = make_helper(app)
    lesson = app.extensions["hocso_library"].get("vneid")
    question = lesson.quiz("vi").question(1)
    problems = Problems.watching(page)

    # "Help a learner" asks a visitor to sign in first, then comes back.
    page.goto(live_server("/help/"))
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    sign_in(page, HELPER_EMAIL, PASSWORD, "Giúp một người học")
    expect(
        page.get_by_role("button", name=f"Bắt đầu giúp {NEXT_LEARNER}").first
    ).to_be_visible()
    assert_fits_the_screen(page)
    visit(page, "help")

    # Register the learner beside her, with consent: sent first without it.
    new = page.locator(
        "form", has=page.get_by_role("button", name="Đăng ký và bắt đầu giúp")
    )
    new.get_by_label("Họ và tên").fill(LEARNER)
    new.get_by_label("Năm sinh").fill("1948")
    new.get_by_role("button", name="Đăng ký và bắt đầu giúp").click()
    consent = page.get_by_label("Người học đã nghe và đồng ý")
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_be_visible()
    visit(page, "help-consent-missing")
    consent.check()
    page.get_by_role("button", name="Đăng ký và bắt đầu giúp").click()

    # Home, helping her: the bar says so on every page.
    expect(page).to_have_url(live_server("/"))
    expect(page.get_by_role("status")).to_contain_text(f"Bạn đang giúp {LEARNER}.")
    expect(assist_bar(page)).to_contain_text(f"Đang hỗ trợ: {LEARNER}")
    assert_fits_the_screen(page)
    visit(page, "home-helping")

    # A lesson step and a quiz answer, done by her with the helper beside her.
    page.get_by_role("link", name=lesson.text("vi").title, exact=True).click()
    page.get_by_role("link", name="Bắt đầu học").click()
    expect(assist_bar(page)).to_contain_text(LEARNER)
    visit(page, "step-1")
    page.goto(live_server("/lessons/vneid/quiz/"))
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    right = next(option for option in question.options if option.correct)
    page.get_by_label(right.text, exact=True).check()
    answer_button(page).click()
    expect(page.get_by_role("status")).to_contain_text("Đúng rồi!")
    visit(page, "quiz-answered")

    # The next person: two taps.
    assist_bar(page).get_by_role("link", name="Người sau").click()
    expect(page.get_by_text("Bạn đang giúp người này.")).to_be_visible()
    visit(page, "help-next")
    page.get_by_role("button", name=f"Bắt đầu giúp {NEXT_LEARNER}").first.click()
    expect(assist_bar(page)).to_contain_text(f"Đang hỗ trợ: {NEXT_LEARNER}")

    # Her progress, with a helper and alone side by side.
    assist_bar(page).get_by_role("link", name=NEXT_LEARNER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Quá trình học của {NEXT_LEARNER}"
    )
    expect(page.get_by_role("heading", name="Có người hỗ trợ").first).to_be_visible()
    expect(page.get_by_role("heading", name="Tự học").first).to_be_visible()
    assert_fits_the_screen(page)
    visit(page, "progress")

    # What the database holds now.
    with app.app_context():
        xuan = db.session.scalar(select(Person).where(Person.name == LEARNER))
        nga = db.session.scalar(select(Person).where(Person.name == NEXT_LEARNER))
        assert xuan.role == "learner" and xuan.birth_year == 1948
        assert xuan.consent_at is not None and xuan.commune_id == nga.commune_id
        (view,) = db.session.scalars(
            select(StepView).where(StepView.person_id == xuan.id)
        )
        assert (view.step, view.assisted, view.assisted_by_id) == (1, True, helper)
        (attempt,) = db.session.scalars(
            select(QuizAttempt).where(QuizAttempt.person_id == xuan.id)
        )
        assert attempt.assisted and attempt.assisted_by_id == helper
        (answer,) = db.session.scalars(
            select(Answer).where(Answer.attempt_id == attempt.id)
        )
        assert answer.correct and answer.question_id == question.id
        sessions = db.session.scalars(
            select(AssistSession)
            .where(AssistSession.helper_id == helper)
            .order_by(AssistSession.id)
        ).all()
        assert [(s.learner_id, s.ended_at is None) for s in sessions] == [
            (xuan.id, False),
            (nga.id, True),
        ]
        helper_steps = select(StepView).where(StepView.person_id == helper)
        assert db.session.scalars(helper_steps).all() == []

    # The end: the bar goes, the help page stays at hand.
    assist_bar(page).get_by_role("button", name="Kết thúc").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Bạn đã kết thúc buổi giúp {NEXT_LEARNER}."
    )
    expect(assist_bar(page)).to_have_count(0)
    visit(page, "help-ended")
    problems.assert_none()
