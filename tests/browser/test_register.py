"""A youth member on a phone: learns as a guest, registers (the progress comes along),
sees her data, downloads it as JSON, and deletes it. axe-core on every page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from models import Person, StepView, db

from .conftest import Problems, commune_label, fill_learner_form, tick_commune

pytestmark = pytest.mark.browser

GUEST = "Mai (khách thử)"
NAME = "Nguyễn Thị Mai (thử)"
PASSWORD = "một câu dài dễ nhớ"


def count_people(server, name: str) -> int:
    with server.app.app_context():
        return db.session.scalar(
            select(func.count(Person.id)).where(Person.name == name)
        )


def test_register_with_guest_progress_see_download_delete(
    live_server, page, visit, tmp_path
):
    problems = Problems.watching(page)

    # Two steps as a guest.
    page.goto(live_server("/learner/start?next=/lessons/vneid/steps/1"))
    fill_learner_form(page, GUEST, 2004, commune_label(1))
    expect(page.get_by_text(re.compile(r"^Bước 1/\d+$"))).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Tiếp theo")).click()
    expect(page.get_by_text(re.compile(r"^Bước 2/\d+$"))).to_be_visible()

    # From the sign-in page to the registration form.
    page.goto(live_server("/sign-in"))
    page.get_by_role("link", name="Chưa có tài khoản? Đăng ký tự học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tự học")
    expect(
        page.get_by_role("checkbox", name=re.compile("^Giữ lại những gì"))
    ).to_be_checked()
    visit(page, "register")

    # A password too short, and no consent: each field says what is wrong.
    page.get_by_label("Họ và tên", exact=True).fill(NAME)
    page.get_by_label("Năm sinh", exact=True).fill("2004")
    tick_commune(page, commune_label(1))
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill("ngắn")
    page.get_by_label("Nhập lại mật khẩu", exact=True).fill("ngắn")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Xin xem lại các ô được đánh dấu bên dưới."
    )
    expect(page.get_by_text("Mật khẩu cần có ít nhất 12 ký tự.")).to_be_visible()
    expect(page.get_by_text(re.compile("^Xin đánh dấu vào ô đồng ý"))).to_be_visible()
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value(NAME)
    visit(page, "register-errors")

    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("^Tôi đồng ý")).check()
    page.get_by_role("button", name="Tạo tài khoản").click()

    expect(page).to_have_url(live_server("/"))
    status = page.get_by_role("status")
    expect(status).to_contain_text("Tài khoản của bạn đã sẵn sàng.")
    expect(status).to_contain_text("Quá trình học trước đó đã được giữ lại.")
    expect(page.get_by_text("Đã đăng nhập:")).to_be_visible()
    visit(page, "registered")
    assert count_people(live_server, GUEST) == 0

    # Everything kept, in plain words.
    page.goto(live_server("/my-data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu của tôi")
    main = page.locator("main")
    expect(main).to_contain_text(NAME)
    expect(main).to_contain_text("0912345678")
    expect(main.get_by_text(re.compile(r"^Bước 1 · "))).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Bước 2 · "))).to_be_visible()
    visit(page, "my-data")

    # A download, as a file.
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải về dạng JSON").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["person"]["name"] == NAME and data["person"]["birth_year"] == 2004
    assert [s["step"] for s in data["steps_seen"]] == [1, 2]
    assert "password" not in saved.read_text(encoding="utf-8")

    # Delete, after a plain question.
    page.get_by_role("link", name="Xóa dữ liệu của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xóa toàn bộ dữ liệu của bạn?"
    )
    expect(page.get_by_text("Đã xóa thì không lấy lại được.")).to_be_visible()
    visit(page, "delete-confirm")
    page.get_by_role("button", name="Đồng ý, xóa tất cả").click()
    expect(page).to_have_url(live_server("/"))
    expect(page.get_by_role("status")).to_contain_text(
        "Đã xóa toàn bộ dữ liệu của bạn."
    )
    expect(page.get_by_text("Đã đăng nhập:")).to_have_count(0)
    visit(page, "deleted")

    assert count_people(live_server, NAME) == 0
    with live_server.app.app_context():
        steps = select(func.count(StepView.id)).where(
            StepView.person_id == data["person"]["id"]
        )
        assert db.session.scalar(steps) == 0
    problems.assert_none()
