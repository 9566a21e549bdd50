"""A session's participants one by one: find, register, attendance, removal."""

from __future__ import annotations

from sqlalchemy import select

from models import Participant, Person, db

from ..factories import make_person
from .conftest import add_session, count, page, participants, text_of


def test_find_a_learner_without_accents_and_add_them_once(
    app, communes, trainer_client
):
    nga = make_person(app, "Nguyễn Thị Nga", communes[0], born=1946)
    make_person(app, "Nguyễn Thị Nga", communes[1], born=1946)  # another commune
    session_id = add_session(app, communes[0])
    found = page(trainer_client, f"/sessions/{session_id}?name=nguyen+thi+nga")
    assert "Tìm thấy 1 người." in text_of(found)
    flashes = []
    for _ in range(2):
        response = trainer_client.post(
            f"/sessions/{session_id}/participants", data={"learner": nga}
        )
        assert response.status_code == 303
        flashes.append(text_of(page(trainer_client, response.location)))
    assert "Đã thêm Nguyễn Thị Nga vào buổi học." in flashes[0]
    assert "Nguyễn Thị Nga đã có trong buổi học này." in flashes[1]
    assert participants(app, session_id) == [("Nguyễn Thị Nga", False)]
    assert "Người học (1)" in flashes[1]
    again = text_of(page(trainer_client, f"/sessions/{session_id}?name=nga"))
    assert "Đã có trong buổi học này." in again  # no second "Add" button


def test_register_a_new_participant_with_consent(app, communes, trainer_client):
    session_id = add_session(app, communes[0])
    data = {
        "new-name": " Bà   Xuân ",
        "new-birth_year": "1948",
        "new-phone": "0912 345 678",
    }
    refused = trainer_client.post(f"/sessions/{session_id}/participants/new", data=data)
    assert refused.status_code == 200
    assert "chỉ đánh dấu vào ô khi họ đồng ý" in text_of(refused.get_data(as_text=True))
    assert count(app, Person) == 1
    response = trainer_client.post(
        f"/sessions/{session_id}/participants/new", data=data | {"new-consent": "y"}
    )
    assert response.status_code == 303
    assert response.location == f"/sessions/{session_id}#participants"
    with app.app_context():
        xuan = db.session.scalar(select(Person).where(Person.name == "Bà Xuân"))
        assert (xuan.birth_year, xuan.phone, xuan.commune_id) == (
            1948,
            "0912345678",
            communes[0],
        )
        assert xuan.consent_at is not None and xuan.role == "learner"
    assert participants(app, session_id) == [("Bà Xuân", False)]


def test_a_likely_duplicate_is_offered_instead_of_registered_twice(
    app, communes, trainer_client
):
    nga = make_person(app, "Nguyễn Thị Nga", communes[0], born=1946)
    session_id = add_session(app, communes[0])
    data = {"new-name": "nguyen thi  NGA", "new-birth_year": "1946", "new-consent": "y"}
    offered = trainer_client.post(f"/sessions/{session_id}/participants/new", data=data)
    shown = text_of(offered.get_data(as_text=True))
    assert "Có phải người này không?" in shown and "Nguyễn Thị Nga" in shown
    assert count(app, Person) == 2 and participants(app, session_id) == []
    # "This person": the one registered is added, no one new.
    trainer_client.post(f"/sessions/{session_id}/participants", data={"learner": nga})
    assert participants(app, session_id) == [("Nguyễn Thị Nga", False)]
    assert count(app, Person) == 2
    # "Not them": someone else with the same name and year.
    trainer_client.post(
        f"/sessions/{session_id}/participants/new", data=data | {"confirm_new": "1"}
    )
    assert count(app, Person) == 3 and len(participants(app, session_id)) == 2


def test_attendance_is_saved_from_one_form(app, communes, trainer_client):
    people = [
        make_person(app, name, communes[0]) for name in ["Bà Tâm", "Bà Nga", "Ông Ba"]
    ]
    session_id = add_session(app, communes[0], people=people)
    shown = page(trainer_client, f"/sessions/{session_id}")
    # By given name: Ba, Nga, Tâm.
    assert shown.index("Ông Ba") < shown.index("Bà Nga") < shown.index("Bà Tâm")
    assert "Lưu điểm danh" in shown
    with app.app_context():
        ids = dict(
            db.session.execute(
                select(Participant.person_id, Participant.id).where(
                    Participant.session_id == session_id
                )
            ).all()
        )
    response = trainer_client.post(
        f"/sessions/{session_id}/attendance",
        data={"attended": [ids[people[0]], ids[people[2]]]},
    )
    assert response.status_code == 303
    assert participants(app, session_id) == [
        ("Bà Nga", False), ("Bà Tâm", True), ("Ông Ba", True)
    ]  # fmt: skip
    after = text_of(page(trainer_client, response.location))
    assert "Đã lưu điểm danh: 2 trên 3 người có mặt." in after
    trainer_client.post(
        f"/sessions/{session_id}/attendance", data={"attended": [ids[people[1]]]}
    )
    assert participants(app, session_id) == [
        ("Bà Nga", True), ("Bà Tâm", False), ("Ông Ba", False)
    ]  # fmt: skip


def test_removing_a_participant_keeps_the_person(app, communes, trainer_client):
    nga = make_person(app, "Bà Nga", communes[0])
    session_id = add_session(app, communes[0], people=[nga])
    other = add_session(app, communes[0], people=[nga])
    with app.app_context():
        mine, theirs = db.session.scalars(
            select(Participant.id).order_by(Participant.id)
        ).all()
    assert (
        trainer_client.post(
            f"/sessions/{session_id}/participants/{theirs}/remove"
        ).status_code
        == 404
    )
    response = trainer_client.post(f"/sessions/{session_id}/participants/{mine}/remove")
    assert response.status_code == 303
    assert participants(app, session_id) == [] and participants(app, other) == [
        ("Bà Nga", False)
    ]
    assert count(app, Person) == 2
