"""A trainer's Saturday, end to end: sign in, create the session, import its
participants from a spreadsheet (preview, then save), take attendance; afterwards
open the commune's dashboard, export the report upward, and print the certificates.

Runs in real Chromium on a phone (360×640) and on a desktop (1280×800); every page
visited is checked by axe-core (WCAG 2.2 A/AA, target size on) and saved as a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models import Commune, CourseSession, Participant, Person, db
from services.demo import DEMO_COMMUNES
from tests.factories import earn_vneid

from .conftest import DESKTOP, PHONE, Problems, sign_in

pytestmark = pytest.mark.browser

TRAINER_EMAIL = "hung@demo.hocso.invalid"  # the demo trainer, of the first demo commune
PASSWORD = "hocso-demo-trainer"
PLACE = "Trụ sở Công an xã (thử)"
ROWS = [
    "Họ và tên,Năm sinh,Số điện thoại",
    "Bà Xuân Thử (mẫu),1948,0912 000 001",
    "Ông Hậu Thử (mẫu),1951,",
    "nguyen thi nga (demo),1946,",  # a demo learner of the commune: reused
    "Bà Xuân Thử (mẫu),1948,",  # the first row again: counted once
]


def assert_fits_the_screen(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_trainer_prepares_runs_and_reports_a_session(
    live_server, new_context, visit, tmp_path, viewport
):
    app = live_server.app
    page = new_context(viewport=viewport).new_page()
    problems = Problems.watching(page)
    spreadsheet = tmp_path / "danh-sach.csv"
    spreadsheet.write_text("\n".join(ROWS) + "\n", encoding="utf-8-sig")
    day = date.today() + timedelta(days=10)

    # Sessions ask a visitor to sign in first, then come back.
    page.goto(live_server("/sessions/"))
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    sign_in(page, TRAINER_EMAIL, PASSWORD, "Các buổi học")
    assert_fits_the_screen(page)
    visit(page, "sessions")

    # Create the session: sent first without a module, which it asks for.
    page.get_by_role("link", name="Tạo buổi học").click()
    page.get_by_label("Ngày tổ chức").fill(day.isoformat())
    page.get_by_label("Địa điểm").fill(PLACE)
    page.get_by_label("Linh, người hỗ trợ (demo)").check()
    page.get_by_role("button", name="Lưu buổi học").click()
    expect(page.get_by_text("Xin đánh dấu ít nhất một bài học.")).to_be_visible()
    assert_fits_the_screen(page)
    visit(page, "session-form-error")
    page.get_by_label("Cài đặt và dùng VNeID").check()
    page.get_by_label("Cuộc gọi lừa đảo").check()
    page.get_by_role("button", name="Lưu buổi học").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buổi học")
    expect(page.get_by_role("status").first).to_contain_text("Buổi học đã được lưu")
    expect(
        page.get_by_role("link", name=re.compile("^Trình chiếu cho cả lớp"))
    ).to_have_count(2)
    assert_fits_the_screen(page)
    visit(page, "session-new")

    # Import the participants: a preview first, nothing saved yet.
    page.get_by_role("link", name="Nhập danh sách từ tệp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nhập danh sách người học"
    )
    assert_fits_the_screen(page)
    visit(page, "import")
    page.get_by_label("Tệp danh sách người học (.csv hoặc .xlsx)").set_input_files(
        str(spreadsheet)
    )
    page.get_by_role("button", name="Xem trước những gì sẽ được nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kiểm tra danh sách trước khi lưu"
    )
    expect(page.get_by_role("status")).to_contain_text(
        "2 người học mới, 1 người đã đăng ký sẽ được thêm, 0 người đã có trong buổi học."
    )
    expect(page.get_by_text("Trùng với dòng 2: chỉ tính một lần")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(select(Participant)).all() != []  # the demo's
        course_session = db.session.scalar(
            select(CourseSession).where(CourseSession.place == PLACE)
        )
        assert course_session.participants == []
    assert_fits_the_screen(page)
    visit(page, "import-preview")
    page.get_by_label(
        "Những người trong danh sách đã đồng ý cho lưu tên, năm sinh, số điện thoại "
        "để theo dõi việc học"
    ).check()
    page.get_by_role("button", name="Lưu 3 người").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Đã lưu: 2 người học mới, 1 người đã đăng ký được thêm"
    )
    expect(page.get_by_role("heading", name="Người học (3)")).to_be_visible()

    # Attendance: tick who came, one button.
    page.get_by_label("Bà Xuân Thử (mẫu)").check()
    page.get_by_label("Nguyễn Thị Nga (demo)").check()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Đã lưu điểm danh: 2 trên 3 người có mặt."
    )
    assert_fits_the_screen(page)
    visit(page, "session-attendance")

    with app.app_context():
        course_session = db.session.scalar(
            select(CourseSession).where(CourseSession.place == PLACE)
        )
        commune = db.session.scalar(
            select(Commune).where(Commune.code == DEMO_COMMUNES[0][0])
        )
        assert (course_session.held_on, course_session.commune_id) == (day, commune.id)
        assert course_session.modules == ["vneid", "scam-calls"]
        assert [p.name for p in course_session.helpers] == ["Linh, người hỗ trợ (demo)"]
        came = {p.person.name: p.attended for p in course_session.participants}
        assert came == {
            "Bà Xuân Thử (mẫu)": True,
            "Ông Hậu Thử (mẫu)": False,
            "Nguyễn Thị Nga (demo)": True,
        }
        xuan = db.session.scalar(
            select(Person).where(Person.name == "Bà Xuân Thử (mẫu)")
        )
        assert (xuan.phone, xuan.commune_id) == ("0912000001", commune.id)
        assert xuan.consent_at is not None
        session_id, commune_name = course_session.id, commune.name

    # Afterwards: Xuân finished VNeID. The commune's dashboard counts her...
    earn_vneid(app, "Bà Xuân Thử (mẫu)")
    page.get_by_role("link", name="Giảng viên", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giảng viên")
    visit(page, "trainer-home")
    page.get_by_role("link", name=commune_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Bảng theo dõi: {commune_name}"
    )
    expect(page.locator("svg.hbar")).to_have_count(4)
    vneid_row = page.get_by_role("row", name=re.compile("^Cài đặt và dùng VNeID"))
    shown = int(vneid_row.get_by_role("cell").first.inner_text().split()[0])
    assert shown >= 1
    assert_fits_the_screen(page)
    visit(page, "dashboard")

    # The difficult questions, and one of them with where to teach it again.
    page.get_by_role("link", name="Câu hỏi khó", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Câu hỏi khó: {commune_name}"
    )
    assert_fits_the_screen(page)
    visit(page, "difficult-questions")
    page.locator("ol.hard li a").first.click()
    expect(page.get_by_role("heading", name="Dạy lại")).to_be_visible()
    assert_fits_the_screen(page)
    visit(page, "difficult-question")
    page.go_back()
    page.go_back()

    # ...the report goes upward as a spreadsheet with the same figures...
    with page.expect_download() as download:
        page.get_by_role("link", name="Theo bài học (Excel, .xlsx)").click()
    report = tmp_path / download.value.suggested_filename
    assert report.suffix == ".xlsx"
    download.value.save_as(report)
    rows = list(openpyxl.load_workbook(report).worksheets[0].values)
    header, vneid = rows[0], next(row for row in rows[1:] if "vneid" in row)
    assert vneid[header.index("Số người hoàn thành")] == shown

    # ...and her certificate prints from the session's page, one per A4 page.
    page.goto(live_server(f"/sessions/{session_id}"))
    page.get_by_role("link", name="In giấy chứng nhận").click()
    certificates = page.locator("article.certificate")
    expect(certificates.filter(has_text="Bà Xuân Thử (mẫu)")).to_have_count(1)
    visit(page, "session-certificates")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == certificates.count()
    problems.assert_none()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_admin_compares_every_commune(live_server, new_context, visit, viewport):
    page = new_context(viewport=viewport).new_page()
    problems = Problems.watching(page)
    page.goto(live_server("/sign-in?next=/province"))
    sign_in(page, "admin@demo.hocso.invalid", "hocso-demo-admin", "Toàn tỉnh")
    rows = page.locator("table.figures tbody tr")
    expect(rows).to_have_count(len(DEMO_COMMUNES))
    assert_fits_the_screen(page)
    visit(page, "province")
    # Sorting by people reached, highest first, then lowest first.
    page.get_by_role("link", name="Đã bắt đầu học").click()
    reached = [int(n) for n in rows.locator("td:nth-of-type(2)").all_inner_texts()]
    assert reached == sorted(reached, reverse=True)
    page.get_by_role("link", name=re.compile("^Đã bắt đầu học")).click()
    reached = [int(n) for n in rows.locator("td:nth-of-type(2)").all_inner_texts()]
    assert reached == sorted(reached)
    visit(page, "province-sorted")
    problems.assert_none()
