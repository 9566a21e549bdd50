"""A session's participants from a file: preview, then one transaction."""

from __future__ import annotations

import csv
import re

from openpyxl import Workbook
from sqlalchemy import select

from models import Person, db

from ..conftest import ROOT
from ..factories import make_person
from .conftest import add_session, count, page, participants, state, text_of

SAMPLE = ROOT / "docs" / "samples" / "participants.csv"


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
