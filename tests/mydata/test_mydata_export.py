"""Personal data downloaded as CSV and JSON."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest

from models import Person, db

from .conftest import SECRETS, sign_in

EXPECTED_CSV = [
    "record,id,date,end_date,name,birth_year,commune,phone,email,role,lesson,step,attempt_id,question,try,response,correct,revealed,score,question_count,language,assisted,assisted_by",
    'person,{mai},2025-11-20T01:00:00Z,,Chị Mai,2004,"Xã Một, Tỉnh Thử",0912345678,mai@example.org,learner,,,,,,,,,,,,,',
    "consent,,2025-11-20T01:05:00Z,,,,,,,,,,,,,,,,,,,,",
    "card,,2025-11-20T03:00:00Z,2025-11-22T03:00:00Z,,,,,,,,,,,,,,,,,,,",
    "step_seen,,2025-11-21T02:00:00Z,,,,,,,,vneid,1,,,,,,,,,,0,",
    "step_seen,,2025-11-21T02:05:00Z,,,,,,,,vneid,2,,,,,,,,,,1,Linh",
    "lesson_completed,,2025-11-21T02:30:00Z,,,,,,,,vneid,,,,,,,,,,,0,",
    "quiz_attempt,{attempt},2025-11-21T02:40:00Z,2025-11-21T02:50:00Z,,,,,,,vneid,,,,,,,,7,10,vi,0,",
    "answer,,2025-11-21T02:41:00Z,,,,,,,,vneid,,{attempt},where-to-install,1,a,0,0,,,,,",
    "answer,,2025-11-21T02:42:00Z,,,,,,,,vneid,,{attempt},where-to-install,2,c,1,0,,,,,",
    "assist_session,,2025-11-21T02:00:00Z,2025-11-21T03:00:00Z,,,,,,,,,,,,,,,,,,1,Linh",
]


def test_the_csv_has_every_record_in_documented_columns(as_mai, world):
    response = as_mai.get("/my-data/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="hocso-data-')
    assert disposition.endswith('.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8)  # Excel then shows Vietnamese right
    text = body.decode("utf-8-sig")
    expected = [line.format(**world) for line in EXPECTED_CSV]
    assert text.split("\r\n") == [*expected, ""]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["commune"] == "Xã Một, Tỉnh Thử"


def test_the_json_is_exact_with_numbers_as_numbers(as_mai, world):
    response = as_mai.get("/my-data/export.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = json.loads(response.get_data(as_text=True))
    assert body.pop("exported_at").endswith("Z")
    linh = "Linh"
    assert body == {
        "format": "hocso-personal-data",
        "version": 1,
        "person": {
            "id": world["mai"],
            "name": "Chị Mai",
            "birth_year": 2004,
            "commune": {"code": "T-0101", "name": "Xã Một", "province": "Tỉnh Thử"},
            "phone": "0912345678",
            "email": "mai@example.org",
            "role": "learner",
            "created_at": "2025-11-20T01:00:00Z",
            "consent_at": "2025-11-20T01:05:00Z",
        },
        "communes": [],
        "cards": [
            {"issued_at": "2025-11-20T03:00:00Z", "revoked_at": "2025-11-22T03:00:00Z"}
        ],
        "steps_seen": [
            {"lesson": "vneid", "step": 1, "assisted": False, "assisted_by": None,
             "seen_at": "2025-11-21T02:00:00Z"},
            {"lesson": "vneid", "step": 2, "assisted": True, "assisted_by": linh,
             "seen_at": "2025-11-21T02:05:00Z"},
        ],
        "lessons_completed": [
            {"lesson": "vneid", "assisted": False, "assisted_by": None,
             "completed_at": "2025-11-21T02:30:00Z"}
        ],
        "quiz_attempts": [
            {
                "id": world["attempt"], "lesson": "vneid", "language": "vi",
                "question_count": 10, "first_try_score": 7, "assisted": False,
                "assisted_by": None, "started_at": "2025-11-21T02:40:00Z",
                "finished_at": "2025-11-21T02:50:00Z",
                "answers": [
                    {"question": "where-to-install", "try": 1, "response": ["a"],
                     "correct": False, "revealed": False,
                     "answered_at": "2025-11-21T02:41:00Z"},
                    {"question": "where-to-install", "try": 2, "response": ["c"],
                     "correct": True, "revealed": False,
                     "answered_at": "2025-11-21T02:42:00Z"},
                ],
            }
        ],
        "assist_sessions": [
            {"helper": linh, "started_at": "2025-11-21T02:00:00Z",
             "ended_at": "2025-11-21T03:00:00Z"}
        ],
    }  # fmt: skip


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_exports_never_hold_a_secret(as_mai, kind):
    body = as_mai.get(f"/my-data/export.{kind}").get_data(as_text=True)
    for secret in (*SECRETS, "password", "pin_hash", "token"):
        assert secret not in body, secret


def test_a_trainer_downloads_a_learner_of_their_commune(app, world):
    trainer = sign_in(app.test_client(), "hung@example.org")
    mai = world["mai"]
    page = trainer.get(f"/my-data/{mai}").get_data(as_text=True)
    assert "Dữ liệu của Chị Mai" in page
    assert f'href="/my-data/{mai}/export.csv"' in page
    assert f'href="/my-data/{mai}/delete"' in page
    body = trainer.get(f"/my-data/{mai}/export.json").get_json()
    assert body["person"]["name"] == "Chị Mai"
    csv_text = trainer.get(f"/my-data/{mai}/export.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith(f"person,{mai},")


FORMULA = '=HYPERLINK("http://x","y")'


def test_a_name_typed_as_a_formula_comes_out_defused(app, world):
    """Opened in a spreadsheet, the name shows as typed instead of running."""
    with app.app_context():
        db.session.get(Person, world["mai"]).name = FORMULA
        db.session.commit()
    trainer = sign_in(app.test_client(), "hung@example.org")
    for client, url in (
        (sign_in(app.test_client(), "mai@example.org"), "/my-data/export.csv"),
        (trainer, f"/my-data/{world['mai']}/export.csv"),
    ):
        text = client.get(url).get_data().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["name"] == "'" + FORMULA, url
