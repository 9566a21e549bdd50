"""Reading without registering, and the trainer's list of learners who never did
anything, in real Chromium with axe (issue 12 item 6, issue 13 item 6)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import select

from models import Commune, db
from services.demo import DEMO_COMMUNES

from .conftest import (
    DESKTOP,
    check_accessibility,
    commune_label,
    fill_learner_form,
    sign_in,
)

SHOTS = os.environ.get("HOCSO_SHOTS")  # a folder: screenshots of each page, if set


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        size = "phone" if page.viewport_size["width"] < 600 else "desktop"
        page.screenshot(path=f"{SHOTS}/{name}-{size}.png", full_page=True)


def test_a_guest_reads_then_saves_from_the_banner(live_server, new_context):
    for viewport in ({"width": 360, "height": 640}, DESKTOP):
        page = new_context(viewport=viewport).new_page()
        page.goto(live_server("/lessons/vneid/steps/2"))
        expect(page.get_by_role("link", name="Lưu tiến độ")).to_be_visible()
        check_accessibility(page)
        shoot(page, "guest-step")
        page.goto(live_server("/lessons/vneid/quiz/"))
        expect(page.get_by_role("link", name="Cho biết ai đang học")).to_be_visible()
        check_accessibility(page)
        shoot(page, "guest-quiz")
    page.goto(live_server("/lessons/vneid/steps/2"))
    page.get_by_role("link", name="Lưu tiến độ").click()
    fill_learner_form(page, "Bà Nga", 1946, commune_label())
    expect(page).to_have_url(live_server("/lessons/vneid/steps/2"))
    expect(page.get_by_role("link", name="Lưu tiến độ")).to_have_count(0)


def test_a_trainer_removes_a_learner_who_did_nothing(live_server, new_context):
    guest = new_context().new_page()
    guest.goto(live_server("/learner/start"))
    fill_learner_form(guest, "Ông Không Học", 1950, commune_label())
    with live_server.app.app_context():
        commune = db.session.scalar(
            select(Commune.id).where(Commune.code == DEMO_COMMUNES[0][0])
        )
    for viewport in ({"width": 360, "height": 640}, DESKTOP):
        page = new_context(viewport=viewport).new_page()
        page.goto(live_server(f"/sign-in?next=/communes/{commune}/never-active"))
        sign_in(
            page,
            "hung@demo.hocso.invalid",
            "hocso-demo-trainer",
            "Người học chưa học gì",
        )
        check_accessibility(page)
        shoot(page, "never-active")
    page.get_by_label("Ông Không Học").check()
    page.get_by_role("button", name="Xóa những người đã đánh dấu…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xóa 1 người học chưa học gì?"
    )
    check_accessibility(page)
    shoot(page, "never-active-confirm")
    page.get_by_role("button", name="Đồng ý, xóa những người này").click()
    expect(page.get_by_text("Đã xóa 1 người học chưa học gì.")).to_be_visible()
    expect(page.get_by_label("Ông Không Học")).to_have_count(0)
