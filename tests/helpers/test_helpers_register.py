"""Finding a learner (without accents, by year) or registering one with consent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import (
    AssistSession,
    db,
)

from .conftest import bar_of, open_sessions, person_named, register


def test_search_ignores_accents_and_case(helper_client, make_person, communes):
    make_person("Nguyễn Thị Nga", communes[0], birth_year=1946)
    make_person("Đỗ Văn Đức", communes[0], birth_year=1950)
    make_person("Trần Văn Bình", communes[0], birth_year=1946)
    for typed, found, not_found in [
        ("nguyen thi nga", "Nguyễn Thị Nga", "Trần Văn Bình"),
        ("NGA", "Nguyễn Thị Nga", "Đỗ Văn Đức"),
        ("do duc", "Đỗ Văn Đức", "Nguyễn Thị Nga"),
        ("Đức", "Đỗ Văn Đức", "Trần Văn Bình"),
    ]:
        page = helper_client.get("/help/", query_string={"name": typed}).get_data(
            as_text=True
        )
        assert found in page and not_found not in page, typed


def test_search_by_year_of_birth(helper_client, make_person, communes):
    make_person("Nguyễn Thị Nga", communes[0], birth_year=1946)
    make_person("Trần Văn Bình", communes[0], birth_year=1952)
    page = helper_client.get("/help/?born=1952").get_data(as_text=True)
    assert "Trần Văn Bình" in page and "Nguyễn Thị Nga" not in page
    page = helper_client.get("/help/?name=nga&born=1952").get_data(as_text=True)
    assert "Không tìm thấy ai" in page


def test_nobody_found_starts_the_registration_with_what_was_typed(helper_client):
    page = helper_client.get("/help/?name=Lê Văn Tám&born=1948").get_data(as_text=True)
    assert "Không tìm thấy ai" in page
    assert 'name="new-name" required type="text" value="Lê Văn Tám"' in page
    assert 'value="1948"' in page


def test_the_page_lists_the_communes_learners_without_a_search(
    helper_client, make_person, communes, helper
):
    make_person("Nguyễn Thị Nga", communes[0])
    make_person("Phạm Thị Hoa", communes[1])
    make_person("Anh Hùng", communes[0], role="trainer")
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Nguyễn Thị Nga" in page
    assert "Phạm Thị Hoa" not in page  # another commune
    assert "Anh Hùng" not in page  # staff are not learners to help
    assert page.count("Bắt đầu giúp<span") == 1


def test_registering_keeps_consent_and_starts_helping_at_once(
    app, helper_client, helper, communes
):
    response = register(
        helper_client, communes[0], "Bà Hoa", **{"new-phone": "0912 345.678"}
    )
    assert response.status_code == 303 and response.location == "/"
    hoa = person_named(app, "Bà Hoa")
    assert hoa.role == "learner" and hoa.commune_id == communes[0]
    assert hoa.birth_year == 1950 and hoa.phone == "0912345678"
    assert hoa.consent_at is not None and hoa.password_hash is None
    (assist,) = open_sessions(app, helper)
    assert assist.learner_id == hoa.id
    home = helper_client.get("/").get_data(as_text=True)
    assert "Bạn đang giúp Bà Hoa." in home
    assert bar_of(home) == "Đang hỗ trợ: Bà Hoa Người sau Kết thúc"


def test_registering_needs_the_learners_consent(app, helper_client, communes):
    page = register(helper_client, communes[0], **{"new-consent": ""}).get_data(
        as_text=True
    )
    assert "chỉ đánh dấu vào ô khi họ đồng ý" in page
    assert 'aria-invalid="true"' in page
    assert person_named(app, "Bà Hoa") is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new-name": ""}, "Xin ghi họ và tên người học."),
        ({"new-birth_year": "năm mươi"}, "Xin chỉ ghi chữ số, ví dụ 1950."),
        ({"new-phone": "09ab"}, "Xin chỉ ghi chữ số, ví dụ 0912 345 678."),
    ],
)
def test_registering_says_what_is_missing(
    app, helper_client, communes, fields, message
):
    page = register(helper_client, communes[0], **fields).get_data(as_text=True)
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(AssistSession.id))) == 0


def test_the_same_person_twice_is_asked_about_first(
    app, helper_client, helper, make_person, communes
):
    nga = make_person("Nguyễn Thị Nga", communes[0], birth_year=1950)
    page = register(helper_client, communes[0], "nguyen thi  nga").get_data(
        as_text=True
    )
    assert "Có phải người này không?" in page
    assert f'name="learner" value="{nga}"' in page
    assert "Không phải họ: đăng ký người mới" in page
    assert open_sessions(app, helper) == []
    response = register(helper_client, communes[0], "nguyen thi  nga", confirm_new="1")
    assert response.status_code == 303
    assert person_named(app, "nguyen thi nga") is not None  # spaces tidied


def test_the_form_offers_only_the_helpers_communes(helper_client, communes):
    page = helper_client.get("/help/").get_data(as_text=True)
    assert "Xã Một" in page and "Phường Hai" not in page
    assert (
        f'name="new-commune" value="{communes[0]}" form="new-learner" checked' in page
    )
