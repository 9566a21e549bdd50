"""What the personal-data tests share: a learner with a record of everything, staff of two communes."""

from __future__ import annotations

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
    StepView,
    db,
)

from ..factories import PASSWORD, make_person


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


SECRETS = ("scrypt:", "pbkdf2:", "secret-pin-hash", "t" * 64, "c" * 64, "secret-answer")
