"""The certificate page, its QR code, and the pages that list certificates."""

from __future__ import annotations

import segno

from .conftest import (
    CODE_ON_PAGE,
    as_guest_learner,
    at,
    attempt,
    complete,
    self_study_vneid,
)


def test_the_certificate_says_who_what_how_when_and_how_to_check_it(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(5), helper_id=helper)
    attempt(app, learner, 9, at(6))
    app.config["PUBLIC_URL"] = "https://hocso.example.vn/"
    response = as_guest_learner(app, learner).get(f"/certificates/{learner}/vneid")
    page = response.get_data(as_text=True)
    assert "Bình dân học vụ số" in page and "Giấy chứng nhận" in page
    assert "Bà Nga a" in page and "Sinh năm 1946 · Xã Một, Tỉnh Thử" in page
    assert "Cài đặt và dùng VNeID" in page
    assert "Có người hỗ trợ: Linh helper a" in page
    assert "Ngày: 06/01/2025" in page
    assert "đúng 9/10 câu ngay lần đầu" in page
    code = CODE_ON_PAGE.search(page).group(1)
    assert "hoặc mở hocso.example.vn/verify và gõ mã" in page
    assert qr_of(f"https://hocso.example.vn/verify/{code}") in page
    assert response.headers["Cache-Control"] == "no-store"


def qr_of(url: str) -> str:
    """The QR code the page must show for ``url``, drawn as the app draws it."""
    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="qr-code"
    )


def test_without_public_url_the_qr_code_links_to_the_address_asked_for(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    client = as_guest_learner(app, learner)
    page = client.get(f"/certificates/{learner}/vneid").get_data(as_text=True)
    code = CODE_ON_PAGE.search(page).group(1)
    assert qr_of(f"http://localhost/verify/{code}") in page
    assert "mở localhost/verify và gõ mã" in page


def test_my_certificates_lists_what_is_earned_and_what_is_not_yet(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    page = as_guest_learner(app, learner).get("/certificates/").get_data(as_text=True)
    assert f'href="/certificates/{learner}/vneid"' in page
    assert "Tự học" in page and "Ngày: 11/01/2025" in page
    assert "Thanh toán bằng mã QR" in page  # a module not earned yet is named
    assert page.count('href="/certificates/') == 1


def test_a_visitor_is_asked_to_say_who_is_learning(client, communes):
    page = client.get("/certificates/").get_data(as_text=True)
    assert "/learner/start?next=/certificates/" in page


def test_the_progress_page_links_the_certificate_of_an_earned_module(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    page = as_guest_learner(app, learner).get("/progress").get_data(as_text=True)
    assert page.count(f'href="/certificates/{learner}/') == 1
    assert f'href="/certificates/{learner}/vneid"' in page
