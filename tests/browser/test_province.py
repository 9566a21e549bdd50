"""An admin of several provinces: the provinces first, then one province's communes,
page by page, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import Commune, Person, Province, db
from services.demo import DEMO_PROVINCE

from .conftest import DESKTOP, PHONE, Problems, sign_in

COMMUNES = 60  # of the second province: two pages


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_admin_goes_from_the_provinces_to_one_provinces_communes(
    live_server, new_context, visit, viewport
):
    with live_server.app.app_context():
        big = Province(code="TL", name="Tỉnh Lớn (thử)")
        communes = [
            Commune(code=f"TL-{n:03}", name=f"Xã Thử Số {n:02}", province=big)
            for n in range(1, COMMUNES + 1)
        ]
        db.session.add_all([big, *communes])
        db.session.flush()
        db.session.add(
            Person(name="Người Thử", birth_year=1950, commune_id=communes[-1].id)
        )
        db.session.commit()
    page = new_context(viewport=viewport).new_page()
    problems = Problems.watching(page)
    page.goto(live_server("/sign-in?next=/province"))
    sign_in(page, "admin@demo.hocso.invalid", "hocso-demo-admin", "Toàn tỉnh")
    rows = page.locator("table.figures tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(DEMO_PROVINCE[1])  # by name
    expect(rows.last).to_contain_text("Tỉnh Lớn (thử)")
    assert (
        page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    )
    visit(page, "provinces")
    page.get_by_role("link", name="Tỉnh Lớn (thử)").click()
    expect(rows).to_have_count(50)
    expect(page.get_by_text("Trang 1 / 2")).to_be_visible()
    visit(page, "communes")
    page.get_by_role("link", name="Trang sau").click()
    expect(rows).to_have_count(COMMUNES - 50)
    expect(rows.last).to_contain_text(f"Xã Thử Số {COMMUNES}")
    visit(page, "communes-page-2")
    problems.assert_none()
