"""Personal data: a learner sees everything kept about them and no secret."""

from __future__ import annotations

import pytest

from models import (
    AssistSession,
    db,
)

from .conftest import SECRETS, rows_of, sign_in


def test_a_learner_sees_everything_kept_and_no_secret(as_mai, app, world):
    response = as_mai.get("/my-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<h1>Dữ liệu của tôi</h1>" in page
    for text in (
        "Chị Mai",
        "2004",
        "Xã Một, Tỉnh Thử",
        "0912345678",
        "mai@example.org",
        "Người học",
        "20/11/2025 08:00",  # registered, in Vietnam time
        "20/11/2025 08:05",  # consent
        "Cấp ngày 20/11/2025 10:00",  # the card: dates only
        "hết hiệu lực từ 22/11/2025 10:00",
        "Cài đặt và dùng VNeID",
        "Bước 1 · 21/11/2025 09:00 · tự học",
        "Bước 2 · 21/11/2025 09:05 · có Linh hỗ trợ",
        "7/10",
        "Câu 1, lần 1:",
        "Từ App Store (iPhone) hoặc Google Play (Android)",  # an answer, in words
        "21/11/2025 09:00 – 21/11/2025 10:00 · có Linh hỗ trợ",  # the session
        'href="/my-data/export.csv"',
        'href="/my-data/export.json"',
        'href="/my-data/delete"',
    ):
        assert text in page, text
    for secret in SECRETS:
        assert secret not in page, secret


def test_a_guest_sees_their_own_data(client, learner):
    client.get("/lessons/vneid/steps/1")
    page = client.get("/my-data").get_data(as_text=True)
    assert "Bà Nga" in page and "Bước 1" in page and "1946" in page


@pytest.mark.parametrize(
    "path",
    ["/my-data", "/my-data/export.csv", "/my-data/export.json", "/my-data/delete"],
)
def test_nobody_here_is_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == f"/sign-in?next={path}"
    assert client.post("/my-data/delete").status_code == 302
    assert rows_of(client.application, world["mai"])["people"] == 1


def test_a_helper_beside_a_learner_still_sees_only_their_own_data(app, world):
    helper = sign_in(app.test_client(), "linh@example.org")
    with app.app_context():
        assist = AssistSession(helper_id=world["helper"], learner_id=world["nga"])
        db.session.add(assist)
        db.session.commit()
        assist_id = assist.id
    with helper.session_transaction() as session:
        session["assist_id"] = assist_id
    page = helper.get("/my-data").get_data(as_text=True)
    assert "<dd>Linh</dd>" in page and "<dd>linh@example.org</dd>" in page
    assert "<dd>Bà Nga</dd>" not in page and "1946" not in page
    body = helper.get("/my-data/export.json").get_json()
    assert body["person"]["name"] == "Linh"
    # Staff accounts are removed by an administrator, not from here.
    assert "quản trị viên có thể xóa tài khoản này" in page
    assert helper.get("/my-data/delete").status_code == 404
    assert helper.post("/my-data/delete").status_code == 404
