"""Course sessions: create, change, delete and list them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import Commune, CourseSession, Participant, Person, db

from ..factories import make_person
from .conftest import TODAY, add_session, count, page, session_form, sessions, text_of


def test_a_trainer_creates_a_session_modules_kept_in_course_order(
    app, communes, trainer, trainer_client
):
    helper = make_person(app, "Chị Linh", communes[0], role="helper", born=2003)
    make_person(app, "Chị Khác", communes[1], role="helper")  # another commune's
    form = page(trainer_client, "/sessions/new")
    assert "Chị Linh" in form and "Chị Khác" not in form
    assert 'type="date"' in form
    response = trainer_client.post(
        "/sessions/new", data=session_form(communes[0], helpers=[helper])
    )
    assert response.status_code == 303
    day = TODAY + timedelta(days=3)
    assert sessions(app) == [
        (communes[0], day, "Nhà văn hóa thôn Đông", ["vneid", "scam-calls"], [helper])
    ]
    with app.app_context():
        (course_session,) = db.session.scalars(select(CourseSession)).all()
        assert course_session.created_by_id == trainer
        assert response.location == f"/sessions/{course_session.id}"
    shown = text_of(page(trainer_client, response.location))
    assert "Buổi học đã được lưu" in shown
    assert "Nhà văn hóa thôn Đông" in shown and "Chị Linh" in shown
    assert shown.index("Cài đặt và dùng VNeID") < shown.index("Cuộc gọi lừa đảo")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"place": "  "}, "Xin ghi nơi tổ chức buổi học."),
        ({"place": "x" * 201}, "Địa điểm chỉ được dài tối đa 200 ký tự."),
        ({"modules": []}, "Xin đánh dấu ít nhất một bài học."),
        ({"modules": ["vneid", "no-such"]}, "Xin chỉ đánh dấu các bài học có trong danh sách."),
        ({"held_on": ""}, "Xin chọn ngày tổ chức buổi học."),
        ({"held_on": "25/12/2025"}, "Xin chọn ngày trên lịch, ví dụ 12/07/2025."),
        ({"held_on": (TODAY + timedelta(days=400)).isoformat()}, "Xin chọn một ngày từ"),
    ],
)  # fmt: skip
def test_session_form_problems_are_said_in_vietnamese_and_nothing_is_saved(
    app, communes, trainer_client, changes, message
):
    response = trainer_client.post(
        "/sessions/new", data=session_form(communes[0], **changes)
    )
    assert response.status_code == 200
    assert message in text_of(response.get_data(as_text=True))
    assert sessions(app) == []


def test_a_helper_of_another_commune_cannot_be_ticked(app, communes, trainer_client):
    other = make_person(app, "Chị Khác", communes[1], role="helper")
    response = trainer_client.post(
        "/sessions/new", data=session_form(communes[0], helpers=[other])
    )
    assert "Một người hỗ trợ bạn đánh dấu không hỗ trợ ở xã này" in text_of(
        response.get_data(as_text=True)
    )
    assert sessions(app) == []


def test_a_trainer_with_two_communes_chooses_one_and_sees_its_helpers(
    app, communes, trainer, trainer_client
):
    with app.app_context():
        person = db.session.get(Person, trainer)
        person.communes.append(db.session.get(Commune, communes[1]))
        db.session.commit()
    make_person(app, "Chị Hai", communes[1], role="helper")
    first = page(trainer_client, "/sessions/new")
    assert 'name="commune"' in first and "Chị Hai" not in first
    second = page(trainer_client, f"/sessions/new?commune={communes[1]}")
    assert "Chị Hai" in second
    response = trainer_client.post("/sessions/new", data=session_form(communes[1]))
    assert response.status_code == 303 and sessions(app)[0][0] == communes[1]


def test_editing_shows_the_session_then_saves_the_changes(
    app, communes, trainer_client
):
    helper = make_person(app, "Chị Linh", communes[0], role="helper")
    session_id = add_session(app, communes[0], place="Cũ", modules=["qr-payment"])
    form = page(trainer_client, f"/sessions/{session_id}/edit")
    assert 'value="Cũ"' in form
    assert re.search(
        r'value="qr-payment"[^>]*checked|checked[^>]*value="qr-payment"', form
    )
    response = trainer_client.post(
        f"/sessions/{session_id}/edit",
        data=session_form(
            communes[0],
            place="Mới",
            modules=["strange-links", "vneid"],
            helpers=[helper],
        ),
    )
    assert response.status_code == 303
    day = TODAY + timedelta(days=3)
    assert sessions(app) == [
        (communes[0], day, "Mới", ["vneid", "strange-links"], [helper])
    ]


def test_deleting_asks_first_then_keeps_the_people(app, communes, trainer_client):
    nga = make_person(app, "Bà Nga", communes[0])
    session_id = add_session(app, communes[0], people=[nga])
    confirm = text_of(page(trainer_client, f"/sessions/{session_id}/delete"))
    assert "Xóa buổi học" in confirm and "không lấy lại được" in confirm
    assert count(app, CourseSession) == 1
    response = trainer_client.post(f"/sessions/{session_id}/delete")
    assert response.status_code == 303 and response.location == "/sessions/"
    assert count(app, CourseSession) == 0 and count(app, Participant) == 0
    assert count(app, Person) == 2  # the trainer and Bà Nga


def test_the_list_puts_coming_sessions_first_with_their_counts(
    app, communes, trainer_client
):
    people = [make_person(app, f"Bà {n}", communes[0]) for n in "ABC"]
    add_session(app, communes[0], TODAY - timedelta(days=7), place="Tuần trước",
                people=[(people[0], True), (people[1], True), people[2]])  # fmt: skip
    add_session(app, communes[0], TODAY + timedelta(days=14), place="Hai tuần nữa")
    add_session(app, communes[0], TODAY + timedelta(days=2), place="Sắp tới",
                people=[people[0]])  # fmt: skip
    add_session(app, communes[1], TODAY, place="Xã khác")
    shown = text_of(page(trainer_client, "/sessions/"))
    assert "Tạo buổi học" in shown and "Xã khác" not in shown
    coming, past = shown.split("Các buổi học đã qua")
    assert coming.index("Sắp tới") < coming.index("Hai tuần nữa")
    assert "Tuần trước" in past
    assert (
        "Xã Một · Sắp tới" in coming and "1 người tham gia · 0 người có mặt" in coming
    )
    assert "3 người tham gia · 2 người có mặt" in past


def test_the_session_page_links_each_module_and_the_certificates(
    app, communes, trainer_client
):
    session_id = add_session(app, communes[0], modules=["vneid", "scam-calls"])
    shown = page(trainer_client, f"/sessions/{session_id}")
    assert 'href="/lessons/vneid"' in shown and 'href="/lessons/vneid/present"' in shown
    assert 'href="/lessons/scam-calls/present"' in shown
    assert f'href="/sessions/{session_id}/certificates"' in shown
    assert "In giấy chứng nhận" in shown


def test_the_demo_data_has_a_session_on_the_coming_saturday(app):
    from services.demo import DEMO_LEARNERS, load_demo_data

    with app.app_context():
        load_demo_data(app.extensions["hocso_library"])
        (course_session,) = db.session.scalars(select(CourseSession)).all()
        assert course_session.held_on.weekday() == 5  # a Saturday
        assert 0 <= (course_session.held_on - date.today()).days < 7
        assert course_session.commune.code == "DEMO-001"
        assert "(dữ liệu mẫu, demo)" in course_session.place
        assert course_session.modules == [
            lesson.slug for lesson in app.extensions["hocso_library"].course()
        ]
        assert [p.name for p in course_session.helpers] == ["Linh, người hỗ trợ (demo)"]
        came = [p.attended for p in course_session.participants]
        assert len(came) == len(DEMO_LEARNERS) == 6 and sum(came) == 3
