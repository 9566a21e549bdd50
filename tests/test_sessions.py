"""Course sessions on the web: create, change, delete; participants one by one or from
a file (preview, then one transaction); attendance; and who may do any of it."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import Commune, CourseSession, Participant, Person, db

from .factories import make_person, signed_in

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "samples" / "participants.csv"
TODAY = date.today()


# --- Factories -------------------------------------------------------------------------


def add_session(app, commune_id, held_on=TODAY, people=(), **fields) -> int:
    """A session with ``people`` (ids, or (id, attended)) as participants."""
    with app.app_context():
        course_session = CourseSession(
            commune_id=commune_id,
            held_on=held_on,
            place=fields.pop("place", "Hội trường UBND"),
            modules=fields.pop("modules", ["vneid", "qr-payment"]),
            **fields,
        )
        db.session.add(course_session)
        db.session.flush()
        for person in people:
            person_id, attended = (
                person if isinstance(person, tuple) else (person, False)
            )
            db.session.add(
                Participant(
                    session_id=course_session.id, person_id=person_id, attended=attended
                )
            )
        db.session.commit()
        return course_session.id


@pytest.fixture
def trainer(app, communes) -> int:
    return make_person(app, "Anh Hùng", communes[0], role="trainer", born=1990)


@pytest.fixture
def trainer_client(app, trainer):
    return signed_in(app, trainer)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def sessions(app) -> list[CourseSession]:
    with app.app_context():
        found = db.session.scalars(select(CourseSession).order_by(CourseSession.id))
        return [
            (s.commune_id, s.held_on, s.place, s.modules, [p.id for p in s.helpers])
            for s in found
        ]


def participants(app, session_id: int) -> list[tuple[str, bool]]:
    """(name, attended) of a session's participants, by name."""
    query = (
        select(Person.name, Participant.attended)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.session_id == session_id)
        .order_by(Person.name)
    )
    with app.app_context():
        return [tuple(row) for row in db.session.execute(query)]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def state(app) -> tuple:
    """Everything a request about sessions could change."""
    with app.app_context():
        people = db.session.execute(
            select(Person.id, Person.name, Person.birth_year).order_by(Person.id)
        ).all()
        rows = db.session.execute(
            select(
                Participant.session_id, Participant.person_id, Participant.attended
            ).order_by(Participant.id)
        ).all()
    return (sessions(app), people, rows)


def session_form(commune_id, **changes) -> dict:
    return {
        "commune": commune_id,
        "held_on": (TODAY + timedelta(days=3)).isoformat(),
        "place": "Nhà văn hóa thôn Đông",
        "modules": ["scam-calls", "vneid"],
    } | changes


# --- Creating, changing, deleting -------------------------------------------------------


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
    assert "Xoá buổi học" in confirm and "không lấy lại được" in confirm
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


# --- Participants one by one -------------------------------------------------------------


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


def test_the_session_page_links_each_module_and_the_certificates(
    app, communes, trainer_client
):
    session_id = add_session(app, communes[0], modules=["vneid", "scam-calls"])
    shown = page(trainer_client, f"/sessions/{session_id}")
    assert 'href="/lessons/vneid"' in shown and 'href="/lessons/vneid/present"' in shown
    assert 'href="/lessons/scam-calls/present"' in shown
    assert f'href="/sessions/{session_id}/certificates"' in shown
    assert "In giấy chứng nhận" in shown


# --- Importing participants -----------------------------------------------------------------


def upload(client, session_id: int, name: str, data: bytes):
    from io import BytesIO

    return client.post(
        f"/sessions/{session_id}/import",
        data={"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def carried_rows(html: str) -> str:
    match = re.search(r'name="rows" type="hidden" value="([^"]+)"', html)
    assert match, "the preview has no save form"
    return match.group(1)


def write_csv(rows: list[list], bom: bool = True) -> bytes:
    from io import StringIO

    out = StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def test_import_csv_preview_saves_nothing_then_confirm_saves_exactly(
    app, communes, trainer_client
):
    registered = make_person(app, "Trần Văn Mẫu Hai (mẫu)", communes[0], born=1952)
    already = make_person(app, "Lê Thị Mẫu Ba (mẫu)", communes[0], born=1960)
    session_id = add_session(app, communes[0], people=[already])
    before = state(app)
    preview = upload(
        trainer_client, session_id, "participants.csv", SAMPLE.read_bytes()
    )
    html = preview.get_data(as_text=True)
    shown = text_of(html)
    assert preview.status_code == 200 and state(app) == before
    assert (
        "3 người học mới, 1 người đã đăng ký sẽ được thêm, 1 người đã có trong buổi học."
        in shown
    )
    assert "Dòng 2 Nguyễn Thị Mẫu Một (mẫu) (1948) · 0912000001 Người học mới" in shown
    assert "Dòng 3 Trần Văn Mẫu Hai (mẫu) (1952) Đã đăng ký: sẽ được thêm" in shown
    assert (
        "Dòng 4 Lê Thị Mẫu Ba (mẫu) (1960) · 0987000003 Đã có trong buổi học này"
        in shown
    )
    assert "Lưu 4 người" in shown
    rows = carried_rows(html)

    no_consent = trainer_client.post(
        f"/sessions/{session_id}/import/confirm", data={"rows": rows}
    )
    assert "Xin đánh dấu ô đồng ý" in text_of(no_consent.get_data(as_text=True))
    assert state(app) == before

    saved = trainer_client.post(
        f"/sessions/{session_id}/import/confirm", data={"rows": rows, "consent": "y"}
    )
    assert saved.status_code == 303
    assert (
        "Đã lưu: 3 người học mới, 1 người đã đăng ký được thêm, 1 người đã có trong buổi học."
        in text_of(page(trainer_client, saved.location))
    )
    assert [name for name, _ in participants(app, session_id)] == sorted(
        ["Nguyễn Thị Mẫu Một (mẫu)", "Trần Văn Mẫu Hai (mẫu)", "Lê Thị Mẫu Ba (mẫu)",
         "Phạm Văn Mẫu Bốn (mẫu)", "Vũ Thị Mẫu Năm (mẫu)"]
    )  # fmt: skip
    with app.app_context():
        new = db.session.scalars(
            select(Person)
            .where(Person.id.not_in([registered, already]))
            .where(Person.role == "learner")
        ).all()
        assert len(new) == 3 and all(
            p.consent_at and p.commune_id == communes[0] for p in new
        )
        assert {p.phone for p in new} == {"0912000001", None, "+84912000005"}
    # Confirming twice (a double tap) adds no one.
    again = trainer_client.post(
        f"/sessions/{session_id}/import/confirm", data={"rows": rows, "consent": "y"}
    )
    assert again.status_code == 200 and "đã có trong buổi học" in text_of(
        again.get_data(as_text=True)
    )
    assert len(participants(app, session_id)) == 5 and count(app, Person) == 6


def test_import_xlsx_with_duplicates_in_the_file(
    app, communes, trainer_client, tmp_path
):
    workbook = Workbook()
    for row in [
        ["Năm sinh", "Họ và tên"],
        [1950, "Bà Một"],
        [1950, "ba mot"],
        [1944, "Ông Hai"],
    ]:
        workbook.active.append(row)
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    session_id = add_session(app, communes[0])
    preview = upload(trainer_client, session_id, "list.xlsx", path.read_bytes())
    html = preview.get_data(as_text=True)
    assert "Dòng 3 ba mot (1950) Trùng với dòng 2: chỉ tính một lần" in text_of(html)
    assert "Lưu 2 người" in html
    trainer_client.post(
        f"/sessions/{session_id}/import/confirm",
        data={"rows": carried_rows(html), "consent": "y"},
    )
    assert participants(app, session_id) == [("Bà Một", False), ("Ông Hai", False)]


def test_one_bad_row_shows_every_problem_and_no_save_button(
    app, communes, trainer_client
):
    session_id = add_session(app, communes[0])
    data = write_csv([["Họ và tên", "Năm sinh", "Mã xã"], ["Bà Một", "1950", ""],
                      ["Bà Hai", "195", ""], ["Bà Ba", "1950", "T-0102"]])  # fmt: skip
    before = state(app)
    response = upload(trainer_client, session_id, "ds.csv", data)
    html = response.get_data(as_text=True)
    shown = text_of(html)
    assert "2 vấn đề: không có gì được nhập" in shown
    assert (
        "Dòng 3, cột “Năm sinh”: “195” không phải là năm: hãy ghi 4 chữ số, ví dụ 1950"
        in shown
    )
    assert (
        "Dòng 4, cột “Mã xã”: “T-0102” (Phường Hai) không phải là xã của bạn" in shown
    )
    assert (
        'name="rows"' not in html
        and "Lưu" not in shown.split("vấn đề")[1].split("Dòng 2")[0]
    )
    assert state(app) == before


def test_a_tampered_list_is_refused(app, communes, trainer_client):
    session_id = add_session(app, communes[0])
    html = upload(trainer_client, session_id, "p.csv", SAMPLE.read_bytes()).get_data(
        as_text=True
    )
    rows = carried_rows(html)
    before = state(app)
    for bad in [rows[:-3] + "abc", "", "x"]:
        response = trainer_client.post(
            f"/sessions/{session_id}/import/confirm", data={"rows": bad, "consent": "y"}
        )
        assert response.status_code == 303
        assert response.location == f"/sessions/{session_id}/import"
    other = add_session(
        app, communes[0]
    )  # a list made for one session, sent to another
    response = trainer_client.post(
        f"/sessions/{other}/import/confirm", data={"rows": rows, "consent": "y"}
    )
    assert response.status_code == 303 and state(app)[1:] == before[1:]


def test_the_upload_form_and_its_template(app, communes, trainer_client):
    session_id = add_session(app, communes[0])
    form = page(trainer_client, f"/sessions/{session_id}/import")
    assert 'accept=".csv,.xlsx"' in form and 'enctype="multipart/form-data"' in form
    missing = trainer_client.post(
        f"/sessions/{session_id}/import", data={}, content_type="multipart/form-data"
    )
    assert "Xin chọn tệp cần nhập." in text_of(missing.get_data(as_text=True))
    template = trainer_client.get("/sessions/import-template.csv")
    assert template.mimetype == "text/csv"
    body = template.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "Họ và tên,Năm sinh,Số điện thoại,Mã xã"
    assert "Mẫu" in lines[1] and len(lines) == 2
    # Imported as it is, the template's example row is refused.
    refused = upload(trainer_client, session_id, "mau.csv", body)
    assert "Dòng 2, cột “Họ và tên”" in text_of(refused.get_data(as_text=True))
    assert count(app, Person) == 1


# --- Who may do what ------------------------------------------------------------------------


def requests_about(session_id: int, participant_id: int, learner_id: int):
    """Every request that reads or changes a session."""
    sid = session_id
    return [
        ("get", f"/sessions/{sid}", {}),
        ("get", f"/sessions/{sid}?name=nga", {}),
        ("get", f"/sessions/{sid}/edit", {}),
        ("post", f"/sessions/{sid}/edit", {"place": "X", "modules": ["vneid"]}),
        ("get", f"/sessions/{sid}/delete", {}),
        ("post", f"/sessions/{sid}/delete", {}),
        ("post", f"/sessions/{sid}/attendance", {"attended": [participant_id]}),
        ("post", f"/sessions/{sid}/participants", {"learner": learner_id}),
        ("post", f"/sessions/{sid}/participants/new",
         {"new-name": "X", "new-birth_year": "1950", "new-consent": "y"}),
        ("post", f"/sessions/{sid}/participants/{participant_id}/remove", {}),
        ("get", f"/sessions/{sid}/import", {}),
        ("post", f"/sessions/{sid}/import", {}),
        ("post", f"/sessions/{sid}/import/confirm", {"rows": "x", "consent": "y"}),
    ]  # fmt: skip


@pytest.fixture
def session_b(app, communes):
    """A session of commune B with one participant; returns (session, participant, learner)."""
    learner = make_person(app, "Bà Nga", communes[1])
    session_id = add_session(app, communes[1], people=[learner])
    with app.app_context():
        participant = db.session.scalar(select(Participant.id))
    return session_id, participant, learner


def test_a_trainer_of_commune_a_finds_nothing_of_commune_b(
    app, communes, trainer_client, session_b
):
    before = state(app)
    for method, url, data in requests_about(*session_b):
        response = getattr(trainer_client, method)(url, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert "Bà Nga" not in page(trainer_client, "/sessions/")
    assert state(app) == before


def test_a_trainer_cannot_create_a_session_in_another_commune(
    app, communes, trainer_client
):
    response = trainer_client.post("/sessions/new", data=session_form(communes[1]))
    assert response.status_code == 404 and sessions(app) == []


def test_a_trainer_cannot_add_a_learner_of_another_commune(
    app, communes, trainer_client, session_b
):
    session_id = add_session(app, communes[0])
    before = state(app)
    response = trainer_client.post(
        f"/sessions/{session_id}/participants", data={"learner": session_b[2]}
    )
    assert response.status_code == 404 and state(app) == before
    # Nor register someone into commune B through an edited form.
    trainer_client.post(
        f"/sessions/{session_id}/participants/new",
        data={"new-name": "X", "new-birth_year": "1950", "new-consent": "y",
              "new-commune": communes[1]},
    )  # fmt: skip
    assert state(app) == before


@pytest.mark.parametrize("role", ["learner", "helper"])
def test_helpers_and_learners_find_no_sessions(app, communes, session_b, role):
    person = make_person(app, f"Người {role}", communes[1], role=role)
    client = signed_in(app, person)
    before = state(app)
    extra = [("get", "/sessions/", {}), ("get", "/sessions/new", {}),
             ("post", "/sessions/new", session_form(communes[1])),
             ("get", "/sessions/import-template.csv", {})]  # fmt: skip
    for method, url, data in [*extra, *requests_about(*session_b)]:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, (role, method, url)
    assert state(app) == before


def test_visitors_are_sent_to_sign_in(app, communes, session_b):
    client = app.test_client()
    session_id = session_b[0]
    response = client.get(f"/sessions/{session_id}")
    assert response.status_code == 302
    assert response.location == f"/sign-in?next=/sessions/{session_id}"
    response = client.post(f"/sessions/{session_id}/attendance")
    assert response.location == "/sign-in?next=/sessions/"


def test_an_admin_reaches_every_commune(app, communes, session_b):
    admin = make_person(app, "Quản trị", communes[0], role="admin")
    client = signed_in(app, admin)
    session_id, participant, _learner = session_b
    assert "Bà Nga" in page(client, f"/sessions/{session_id}")
    response = client.post(
        f"/sessions/{session_id}/attendance", data={"attended": [participant]}
    )
    assert response.status_code == 303
    assert participants(app, session_id) == [("Bà Nga", True)]


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
