"""A drill weeks after the quiz, on a phone (360×640): alone, and with a helper
beside the learner; at normal and at the largest text; every page checked by axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Commune, DrillAttempt, Person, db
from services.demo import DEMO_COMMUNES
from services.drills import runs, today
from tests.conftest import drill_root
from tests.factories import make_person

from .conftest import (
    Problems,
    commune_label,
    fill_learner_form,
    sign_in,
    visit_with_largest_text,
)

pytestmark = pytest.mark.browser


def due_now(app, name: str) -> int:
    """Make ``name``'s vneid drill due today (as if the quiz was passed a week ago)."""
    with app.test_request_context():
        person = db.session.scalar(select(Person).where(Person.name == name))
        runs.begin(person, "vneid", today() - timedelta(days=7))
        db.session.commit()
        return person.id


def take_the_drill(page, visit, step: str) -> None:
    """From the home card: start, answer every item, see the result."""
    card = page.get_by_role("region", name="Đến lúc ôn tập")
    expect(card).to_be_visible()
    visit(page, f"{step}-home")
    card.get_by_role("button", name=re.compile("Bắt đầu ôn tập")).click()
    number = 0
    while True:
        number += 1
        expect(page.locator(".step-count")).to_contain_text("Ôn tập")
        if number == 1:
            visit(page, f"{step}-item")
            visit_with_largest_text(page, visit, f"{step}-item")
        page.locator("form.answer-form button").first.click()
        expect(page.locator(".feedback")).to_be_visible()
        if number == 1:
            visit(page, f"{step}-feedback")
        following = page.get_by_role("link", name=re.compile("Tiếp theo"))
        if following.count():
            following.click()
            continue
        page.get_by_role("button", name="Xem kết quả").click()
        break
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã ôn tập xong")
    visit(page, f"{step}-result")
    visit_with_largest_text(page, visit, f"{step}-result")


def test_a_learner_takes_a_drill_alone(live_server_factory, page, visit):
    server = live_server_factory(drill_root())
    problems = Problems.watching(page)
    page.goto(server("/learner/start"))
    fill_learner_form(page, "Bà Ôn (thử)", 1948, commune_label(0))
    learner = due_now(server.app, "Bà Ôn (thử)")
    page.goto(server("/"))
    take_the_drill(page, visit, "alone")
    with server.app.app_context():
        query = select(DrillAttempt).where(DrillAttempt.person_id == learner)
        attempt = db.session.scalars(query).one()
        assert not attempt.assisted
        assert attempt.finished_at is not None
    problems.assert_none()


def test_a_helper_sits_beside_a_learner_for_a_drill(live_server_factory, page, visit):
    server = live_server_factory(drill_root())
    app = server.app
    with app.app_context():
        commune = db.session.scalar(
            select(Commune.id).where(Commune.code == DEMO_COMMUNES[0][0])
        )
    helper = make_person(
        app, "Chị Ôn (thử)", commune, "helper", 2001, email="on@example.org",
        password="a long helper password",
    )  # fmt: skip
    make_person(app, "Ông Nhớ (thử)", commune)
    learner = due_now(app, "Ông Nhớ (thử)")
    problems = Problems.watching(page)
    page.goto(server("/help/"))
    sign_in(page, "on@example.org", "a long helper password", "Giúp một người học")
    due = page.get_by_role("region", name=re.compile("Đến lúc ôn tập"))
    expect(due).to_contain_text("Ông Nhớ (thử)")
    visit(page, "helper-list")
    page.get_by_role("link", name="Lần thăm tới: danh sách để in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lần thăm tới")
    visit(page, "next-visits")
    page.go_back()
    due.get_by_role("button", name=re.compile("Ông Nhớ")).click()
    take_the_drill(page, visit, "helped")
    with app.app_context():
        query = select(DrillAttempt).where(DrillAttempt.person_id == learner)
        attempt = db.session.scalars(query).one()
        assert attempt.assisted and attempt.assisted_by_id == helper
    problems.assert_none()
