"""Personal data: see it, download it (CSV, JSON), delete it; and who may do which."""

from __future__ import annotations

import codecs
import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models import (
    Answer,
    AssistSession,
    LearnerCard,
    LessonCompletion,
    Person,
    QuizAttempt,
    SignInAttempt,
    StepView,
    db,
    person_communes,
)

from .factories import PASSWORD, make_person


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 11, day, hour, minute, tzinfo=UTC)


def staff(name, role, commune_id, email) -> Person:
    return make_person(
        db.session, name, commune_id, role, 1995, email=email, password=PASSWORD
    )


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    """Mai (a self-study learner of commune A) with some of everything, and around her
    a helper, trainers and learners of communes A and B and an admin."""
    first, second = communes
    with app.app_context():
        linh = staff("Linh", "helper", first, "linh@example.org")
        people = {
            "helper": linh,
            "trainer": staff("Hùng", "trainer", first, "hung@example.org"),
            "trainer_b": staff("Trang", "trainer", second, "trang@example.org"),
            "admin": staff("Quản trị", "admin", second, "admin@example.org"),
            "mai": Person(
                name="Chị Mai",
                birth_year=2004,
                commune_id=first,
                phone="0912345678",
                email="mai@example.org",
                created_at=at(20, 1),
                consent_at=at(20, 1, 5),
            ),
            "nga": Person(name="Bà Nga", birth_year=1946, commune_id=first),
            "binh": Person(name="Ông Bình", birth_year=1950, commune_id=second),
        }
        people["mai"].set_password(PASSWORD)
        people["mai"].pin_hash = "pbkdf2:sha256:secret-pin-hash"
        db.session.add_all(people.values())
        db.session.flush()
        mai = people["mai"]
        db.session.add_all(
            [
                StepView(person_id=mai.id, lesson="vneid", step=1, seen_at=at(21, 2)),
                StepView(
                    person_id=mai.id,
                    lesson="vneid",
                    step=2,
                    assisted=True,
                    assisted_by_id=linh.id,
                    seen_at=at(21, 2, 5),
                ),
                LessonCompletion(
                    person_id=mai.id, lesson="vneid", completed_at=at(21, 2, 30)
                ),
                LearnerCard(
                    person_id=mai.id,
                    token_hash="t" * 64,
                    code_hash="c" * 64,
                    issued_at=at(20, 3),
                    revoked_at=at(22, 3),
                    issued_by_id=linh.id,
                ),
                AssistSession(
                    helper_id=linh.id,
                    learner_id=mai.id,
                    started_at=at(21, 2),
                    ended_at=at(21, 3),
                ),
            ]
        )
        attempt = QuizAttempt(
            person=mai,
            lesson="vneid",
            language="vi",
            question_count=10,
            started_at=at(21, 2, 40),
            finished_at=at(21, 2, 50),
            first_try_score=7,
        )
        db.session.add(attempt)
        for number, (key, correct) in enumerate([("a", False), ("c", True)], 1):
            db.session.add(
                Answer(
                    attempt=attempt,
                    lesson="vneid",
                    question_id="where-to-install",
                    try_number=number,
                    response=[key],
                    correct=correct,
                    token=f"secret-answer-token-{number}",
                    answered_at=at(21, 2, 40 + number),
                )
            )
        db.session.add(
            StepView(person_id=people["nga"].id, lesson="vneid", step=1)
        )  # someone else's row, which must stay
        db.session.commit()
        ids = {name: person.id for name, person in people.items()}
        ids["attempt"] = attempt.id
        return ids


def sign_in(client, email: str, password: str = PASSWORD):
    response = client.post("/sign-in", data={"login": email, "password": password})
    assert response.status_code == 303, "could not sign in"
    return client


@pytest.fixture
def as_mai(app, world):
    return sign_in(app.test_client(), "mai@example.org")


def rows_of(app, person_id: int) -> dict[str, int]:
    """How many rows each table holds for ``person_id``."""
    counts = {
        "people": (Person, Person.id == person_id),
        "step_views": (StepView, StepView.person_id == person_id),
        "lesson_completions": (
            LessonCompletion,
            LessonCompletion.person_id == person_id,
        ),
        "quiz_attempts": (QuizAttempt, QuizAttempt.person_id == person_id),
        "answers": (
            Answer,
            Answer.attempt_id.in_(
                select(QuizAttempt.id).where(QuizAttempt.person_id == person_id)
            ),
        ),
        "learner_cards": (LearnerCard, LearnerCard.person_id == person_id),
        "assist_sessions": (AssistSession, AssistSession.learner_id == person_id),
    }
    with app.app_context():
        return {
            name: db.session.scalar(
                select(func.count()).select_from(model).where(where)
            )
            for name, (model, where) in counts.items()
        }


def all_answers(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Answer.id)))


SECRETS = ("scrypt:", "pbkdf2:", "secret-pin-hash", "t" * 64, "c" * 64, "secret-answer")


# --- Seeing ------------------------------------------------------------------------------


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
    assert "quản trị viên có thể xoá tài khoản này" in page
    assert helper.get("/my-data/delete").status_code == 404
    assert helper.post("/my-data/delete").status_code == 404


# --- Downloading -------------------------------------------------------------------------

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


# --- Deleting ----------------------------------------------------------------------------


def test_the_confirmation_says_what_goes_and_that_it_cannot_be_undone(as_mai):
    page = as_mai.get("/my-data/delete").get_data(as_text=True)
    assert "Xoá toàn bộ dữ liệu của bạn?" in page
    assert "Đã xoá thì không lấy lại được." in page
    assert "mọi bài kiểm tra và mọi câu trả lời" in page
    assert 'action="/my-data/delete"' in page and 'href="/my-data"' in page


def test_a_learner_deletes_everything_of_theirs(as_mai, app, world):
    mai = world["mai"]
    assert rows_of(app, mai) == {
        "people": 1, "step_views": 2, "lesson_completions": 1, "quiz_attempts": 1,
        "answers": 2, "learner_cards": 1, "assist_sessions": 1,
    }  # fmt: skip
    with app.app_context():
        db.session.add(SignInAttempt(key="account:mai@example.org"))
        db.session.add(SignInAttempt(key="account:linh@example.org"))
        db.session.commit()
    response = as_mai.post("/my-data/delete")
    assert response.status_code == 303 and response.location == "/"
    assert set(rows_of(app, mai).values()) == {0}
    assert all_answers(app) == 0
    page = as_mai.get("/").get_data(as_text=True)
    assert "Đã xoá toàn bộ dữ liệu của bạn." in page
    assert "Đã đăng nhập:" not in page  # signed out
    assert as_mai.get("/my-data").status_code == 302
    with app.app_context():
        keys = set(db.session.scalars(select(SignInAttempt.key)))
        assert keys == {"account:linh@example.org"}
        # Everyone else is untouched.
        assert db.session.scalar(select(func.count(Person.id))) == 6
        assert rows_of(app, world["nga"])["step_views"] == 1


def test_a_guest_deletes_their_data_and_is_forgotten(client, app, learner):
    client.get("/lessons/vneid/steps/1")
    client.post("/my-data/delete")
    assert set(rows_of(app, learner).values()) == {0}
    with client.session_transaction() as session:
        assert "person_id" not in session
    assert "Đã xoá toàn bộ dữ liệu của bạn." in client.get("/").get_data(as_text=True)


def test_a_trainer_deletes_a_learner_of_their_commune(app, world):
    trainer = sign_in(app.test_client(), "hung@example.org")
    mai = world["mai"]
    page = trainer.get(f"/my-data/{mai}/delete").get_data(as_text=True)
    assert "Xoá toàn bộ dữ liệu của Chị Mai?" in page
    assert trainer.post(f"/my-data/{mai}/delete").status_code == 303
    assert set(rows_of(app, mai).values()) == {0}
    page = trainer.get("/").get_data(as_text=True)
    assert "Đã xoá toàn bộ dữ liệu của Chị Mai." in page
    assert "Đã đăng nhập:" in page and "Hùng" in page  # still signed in


def test_a_trainer_acts_in_their_further_communes(app, world, communes):
    with app.app_context():
        db.session.execute(
            person_communes.insert().values(
                person_id=world["trainer"], commune_id=communes[1]
            )
        )
        db.session.commit()
    trainer = sign_in(app.test_client(), "hung@example.org")
    assert trainer.get(f"/my-data/{world['binh']}").status_code == 200


# --- Nobody else -------------------------------------------------------------------------

PAGES = ["", "/export.csv", "/export.json", "/delete"]


def not_found_everywhere(client, person_id: int) -> None:
    for page in PAGES:
        response = client.get(f"/my-data/{person_id}{page}")
        assert response.status_code == 404, page
    assert client.post(f"/my-data/{person_id}/delete").status_code == 404


@pytest.mark.parametrize(
    ("login", "target"),
    [
        ("hung@example.org", "binh"),  # a trainer of A, a learner of B
        ("trang@example.org", "mai"),  # a trainer of B, a learner of A
        ("linh@example.org", "mai"),  # a helper, even in their own commune
        ("linh@example.org", "binh"),
        ("mai@example.org", "nga"),  # a learner changing the id
        ("hung@example.org", "helper"),  # only learners' data, not colleagues'
        ("hung@example.org", "admin"),
    ],
)
def test_no_one_reaches_data_that_is_not_theirs(app, world, login, target):
    client = sign_in(app.test_client(), login)
    not_found_everywhere(client, world[target])
    assert rows_of(app, world[target])["people"] == 1


def test_an_id_that_does_not_exist_is_not_found(app, world):
    trainer = sign_in(app.test_client(), "hung@example.org")
    not_found_everywhere(trainer, 999_999)


def test_a_guest_cannot_change_the_id(client, world, learner):
    with client.session_transaction() as session:
        guest = session["person_id"]
    for other in ("mai", "nga", "binh"):
        not_found_everywhere(client, world[other])
    assert client.get(f"/my-data/{guest}").status_code == 200  # their own


def test_an_admin_reaches_learners_of_every_commune(app, world):
    admin = sign_in(app.test_client(), "admin@example.org")
    for name in ("mai", "binh"):
        assert admin.get(f"/my-data/{world[name]}/export.json").status_code == 200
    not_found_everywhere(admin, world["trainer"])
