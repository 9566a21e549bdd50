"""Choosing a commune among the official list, on a phone (360×640): a synthetic list
of 34 provinces and 3,321 units is imported with `flask communes import`, then a
learner picks hers by province and a few letters typed without accents, with
JavaScript (the list follows the typing) and without it (a GET search). axe-core
checks the pages; screenshots at 360×640 and 1280×800 show the picker."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from models import Commune, Person, Province, db

from .conftest import DESKTOP, Problems, screenshot

pytestmark = pytest.mark.browser

PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai",
    "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình",
    "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long",
    "Đồng Tháp", "Cà Mau", "An Giang",
]  # fmt: skip
SYLLABLES = [
    "An", "Bình", "Cẩm", "Đông", "Gia", "Hòa", "Hưng", "Kim", "Long", "Minh", "Nam",
    "Ngọc", "Phú", "Quang", "Sơn", "Tân", "Thanh", "Thuận", "Trung", "Vĩnh",
]  # fmt: skip
UNITS = 3321
TARGET = ("Hải Phòng", "Xã Thanh Hà Đông")  # typed as "thanh ha"


def official_list() -> str:
    """The CSV: 34 provinces, 3,321 units named like real ones, one of them TARGET."""
    rows = ["mã tỉnh,tên tỉnh,mã xã,tên xã"]
    for number in range(UNITS):
        province = number % len(PROVINCES)
        first = SYLLABLES[(number // len(PROVINCES)) % len(SYLLABLES)]
        second = SYLLABLES[(number // len(PROVINCES) // len(SYLLABLES)) % 20]
        kind = ("Xã", "Phường")[number % 3 == 0]
        name = f"{kind} {first} {second} {number:04}"
        rows.append(f"{province + 1:02},{PROVINCES[province]},{number:05},{name}")
    rows.append(f"18,{TARGET[0]},99999,{TARGET[1]}")
    return "\n".join(rows) + "\n"


@pytest.fixture
def official(live_server, tmp_path):
    """The live server, with the official list imported besides the demo communes."""
    path = tmp_path / "don-vi-hanh-chinh.csv"
    path.write_text(official_list(), encoding="utf-8")
    result = live_server.app.test_cli_runner().invoke(
        args=["communes", "import", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "34 provinces" in result.output and f"{UNITS + 1} communes" in result.output
    with live_server.app.app_context():
        assert db.session.scalar(select(func.count(Commune.id))) >= UNITS
        assert db.session.scalar(select(func.count(Province.id))) == 35  # and the demo
    return live_server


def registered_in(server, name: str) -> str:
    with server.app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == name))
        return person.commune.name if person else ""


def choose_province_and_type(page) -> None:
    page.get_by_label("Tỉnh hoặc thành phố").select_option(label=TARGET[0])
    page.get_by_label("Vài chữ đầu của tên xã, phường").fill("thanh ha")


def test_a_learner_picks_her_commune_among_3321_with_javascript(official, page, visit):
    problems = Problems.watching(page)
    page.goto(official("/learner/start"))
    expect(page.get_by_role("button", name="Tìm", exact=True)).to_be_hidden()
    visit(page, "picker-empty")
    choose_province_and_type(page)
    target = page.get_by_role("radio", name=f"{TARGET[1]} {TARGET[0]}")
    expect(target).to_be_visible()  # no page load: the list followed the typing
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 xã, phường.")
    assert page.url == official("/learner/start")
    expect(target).to_be_checked()  # the only one found
    visit(page, "picker-found")
    page.get_by_label("Họ và tên").fill("Bà Nga (thử)")
    page.get_by_label("Năm sinh").fill("1946")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page).to_have_url(official("/"))
    assert registered_in(official, "Bà Nga (thử)") == TARGET[1]
    problems.assert_none()


def test_the_list_is_narrowed_as_more_letters_are_typed(official, page, visit):
    page.goto(official("/learner/start"))
    page.get_by_label("Tỉnh hoặc thành phố").select_option(label=TARGET[0])
    status = page.get_by_role("status")
    expect(status).to_contain_text("Chỉ hiện 30 xã, phường đầu tiên")
    page.get_by_label("Vài chữ đầu của tên xã, phường").fill("t")
    expect(status).to_contain_text(re.compile(r"^Tìm thấy \d+ xã, phường\."))
    visit(page, "picker-many")
    page.get_by_label("Vài chữ đầu của tên xã, phường").fill("thanh ha dong")
    expect(status).to_have_text("Tìm thấy 1 xã, phường.")


def test_a_learner_picks_her_commune_without_javascript(official, new_context, visit):
    page = new_context(java_script_enabled=False, bypass_csp=False).new_page()
    page.goto(official("/learner/start?next=/lessons/vneid"))
    choose_province_and_type(page)
    page.get_by_role("button", name="Tìm", exact=True).click()
    assert "q=thanh+ha" in page.url and "next=%2Flessons%2Fvneid" in page.url
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 xã, phường.")
    visit(page, "picker-no-js", accessibility=False)
    page.get_by_role("radio", name=f"{TARGET[1]} {TARGET[0]}").check()
    page.get_by_label("Họ và tên").fill("Ông Tư (thử)")
    page.get_by_label("Năm sinh").fill("1940")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page).to_have_url(official("/lessons/vneid"))
    assert registered_in(official, "Ông Tư (thử)") == TARGET[1]


def test_the_picker_on_a_wide_screen(official, new_context, request):
    """With the site's Content-Security-Policy on: the script may ask for the list."""
    page = new_context(viewport=DESKTOP, bypass_csp=False).new_page()
    problems = Problems.watching(page)
    page.goto(official("/learner/start"))
    choose_province_and_type(page)
    expect(page.get_by_role("radio", name=f"{TARGET[1]} {TARGET[0]}")).to_be_checked()
    screenshot(page, request.node.name, "picker-desktop")
    problems.assert_none()


def sign_in(page, server, email: str, password: str, path: str) -> None:
    page.goto(server(path))
    page.get_by_label("Số điện thoại hoặc email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_a_helper_ticks_her_commune_and_an_admin_finds_any(
    official, new_context, visit
):
    """The demo helper acts in one commune: it is ticked already. The demo admin
    acts everywhere: she finds the commune by letters, then registers the learner."""
    helper = new_context().new_page()
    sign_in(helper, official, "linh@demo.hocso.invalid", "hocso-demo-helper", "/help/")
    helper.goto(official("/help/#new"))
    picker = helper.get_by_role("group", name="Xã hoặc phường")
    expect(picker.get_by_role("radio")).to_have_count(1)
    expect(picker.get_by_role("radio")).to_be_checked()
    expect(picker.get_by_label("Tỉnh hoặc thành phố")).to_have_count(0)
    picker.scroll_into_view_if_needed()
    visit(helper, "helper-own-commune")

    admin = new_context().new_page()
    sign_in(admin, official, "admin@demo.hocso.invalid", "hocso-demo-admin", "/help/")
    picker = admin.get_by_role("group", name="Xã hoặc phường")
    picker.get_by_label("Tỉnh hoặc thành phố").select_option(label=TARGET[0])
    picker.get_by_label("Vài chữ đầu của tên xã, phường").fill("thanh ha")
    expect(picker.get_by_role("radio", name=f"{TARGET[1]} {TARGET[0]}")).to_be_checked()
    picker.scroll_into_view_if_needed()
    visit(admin, "admin-finds-commune")
    admin.locator("#new-name").fill("Bà Lan (thử)")
    admin.locator("#new-birth_year").fill("1944")
    admin.get_by_role("checkbox", name=re.compile("^Người học đã nghe")).check()
    admin.get_by_role("button", name="Đăng ký và bắt đầu giúp").click()
    expect(admin).to_have_url(official("/"))
    assert registered_in(official, "Bà Lan (thử)") == TARGET[1]
