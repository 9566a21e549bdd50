"""Personal data: everything HọcSố keeps about a person, without secrets, as JSON
or CSV; and deleting it all.

Exports never hold a password, PIN, card code or token, nor their hashes. Times are UTC,
ISO 8601 (``2025-11-25T09:30:00Z``).

JSON (``hocso-personal-data``, version 1)::

    person           id, name, birth_year, commune {code, name, province}, phone, email,
                     role, created_at, consent_at
    communes         further communes a helper or trainer acts in [{code, name, province}]
    cards            [{issued_at, revoked_at}]
    steps_seen       [{lesson, step, assisted, assisted_by, seen_at}]
    lessons_completed [{lesson, assisted, assisted_by, completed_at}]
    quiz_attempts    [{id, lesson, language, question_count, first_try_score, assisted,
                       assisted_by, started_at, finished_at,
                       answers [{question, try, response [...], correct, revealed,
                                 answered_at}]}]
    assist_sessions  [{helper, started_at, ended_at}]

``assisted_by`` and ``helper`` are the helper's name (null if they were deleted).

CSV (UTF-8 with a BOM, for Excel): one row per record, in the columns of ``CSV_FIELDS``;
``record`` says which kind and which columns it fills:

    person            id, date (created), name, birth_year, commune, phone, email, role
    consent           date
    commune           commune
    card              date (issued), end_date (revoked)
    step_seen         date, lesson, step, assisted, assisted_by
    lesson_completed  date, lesson, assisted, assisted_by
    quiz_attempt      id, date (started), end_date (finished), lesson, score (first try),
                      question_count, language, assisted, assisted_by
    answer            attempt_id, date, lesson, question, try, response (keys joined by
                      "; "), correct, revealed
    assist_session    date (started), end_date (ended), assisted, assisted_by

Yes/no columns hold 1 or 0.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from sqlalchemy import select

from models import (
    AssistSession,
    LearnerCard,
    LessonCompletion,
    Person,
    QuizAttempt,
    SignInAttempt,
    StepView,
    db,
)

from .spreadsheets import defuse

CSV_FIELDS = (
    "record", "id", "date", "end_date", "name", "birth_year", "commune", "phone",
    "email", "role", "lesson", "step", "attempt_id", "question", "try", "response",
    "correct", "revealed", "score", "question_count", "language", "assisted",
    "assisted_by",
)  # fmt: skip


def iso(moment: datetime | None) -> str | None:
    """A time as ISO 8601 UTC: ``2025-11-25T09:30:00Z`` (None stays None)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def commune_data(commune) -> dict:
    return {
        "code": commune.code,
        "name": commune.name,
        "province": commune.province.name,
    }


def personal_data(person: Person) -> dict:
    """Everything kept about ``person``, without secrets; times as datetimes."""

    def rows(model, *where, order=None):
        query = select(model).where(*where).order_by(order or model.id)
        return list(db.session.scalars(query))

    steps = rows(StepView, StepView.person_id == person.id)
    completions = rows(LessonCompletion, LessonCompletion.person_id == person.id)
    attempts = rows(QuizAttempt, QuizAttempt.person_id == person.id)
    cards = rows(LearnerCard, LearnerCard.person_id == person.id)
    sessions = rows(AssistSession, AssistSession.learner_id == person.id)
    helper_ids = {r.assisted_by_id for r in [*steps, *completions, *attempts]}
    helper_ids |= {s.helper_id for s in sessions}
    helper_ids.discard(None)
    names = dict(
        db.session.execute(
            select(Person.id, Person.name).where(Person.id.in_(helper_ids))
        ).all()
        if helper_ids
        else {}
    )

    def assist(row) -> dict:
        return {
            "assisted": bool(row.assisted),
            "assisted_by": names.get(row.assisted_by_id),
        }

    return {
        "person": {
            "id": person.id,
            "name": person.name,
            "birth_year": person.birth_year,
            "commune": commune_data(person.commune),
            "phone": person.phone,
            "email": person.email,
            "role": person.role,
            "created_at": person.created_at,
            "consent_at": person.consent_at,
        },
        "communes": [commune_data(c) for c in person.communes],
        "cards": [
            {"issued_at": c.issued_at, "revoked_at": c.revoked_at} for c in cards
        ],
        "steps_seen": [
            {"lesson": s.lesson, "step": s.step, **assist(s), "seen_at": s.seen_at}
            for s in steps
        ],
        "lessons_completed": [
            {"lesson": c.lesson, **assist(c), "completed_at": c.completed_at}
            for c in completions
        ],
        "quiz_attempts": [
            {
                "id": a.id,
                "lesson": a.lesson,
                "language": a.language,
                "question_count": a.question_count,
                "first_try_score": a.first_try_score,
                **assist(a),
                "started_at": a.started_at,
                "finished_at": a.finished_at,
                "answers": [
                    {
                        "question": answer.question_id,
                        "try": answer.try_number,
                        "response": list(answer.response or []),
                        "correct": bool(answer.correct),
                        "revealed": bool(answer.revealed),
                        "answered_at": answer.answered_at,
                    }
                    for answer in a.answers
                ],
            }
            for a in attempts
        ],
        "assist_sessions": [
            {
                "helper": names.get(s.helper_id),
                "started_at": s.started_at,
                "ended_at": s.ended_at,
            }
            for s in sessions
        ],
    }


def json_ready(value):
    """Times as ISO 8601 UTC strings; everything else as it is (numbers stay numbers)."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_ready(item) for item in value]
    return value


def csv_records(data: dict) -> list[dict]:
    """The rows of the CSV export (see the module docstring)."""
    person = data["person"]
    commune = person["commune"]

    def place(c: dict) -> str:
        return f"{c['name']}, {c['province']}"

    def yes(value: bool) -> int:
        return 1 if value else 0

    def assist(row: dict) -> dict:
        return {"assisted": yes(row["assisted"]), "assisted_by": row["assisted_by"]}

    records = [
        {
            "record": "person",
            "id": person["id"],
            "date": person["created_at"],
            "name": person["name"],
            "birth_year": person["birth_year"],
            "commune": place(commune),
            "phone": person["phone"],
            "email": person["email"],
            "role": person["role"],
        }
    ]
    if person["consent_at"]:
        records.append({"record": "consent", "date": person["consent_at"]})
    records += [{"record": "commune", "commune": place(c)} for c in data["communes"]]
    records += [
        {"record": "card", "date": c["issued_at"], "end_date": c["revoked_at"]}
        for c in data["cards"]
    ]
    records += [
        {"record": "step_seen", "date": s["seen_at"], "lesson": s["lesson"],
         "step": s["step"], **assist(s)}
        for s in data["steps_seen"]
    ]  # fmt: skip
    records += [
        {"record": "lesson_completed", "date": c["completed_at"],
         "lesson": c["lesson"], **assist(c)}
        for c in data["lessons_completed"]
    ]  # fmt: skip
    for a in data["quiz_attempts"]:
        records.append(
            {"record": "quiz_attempt", "id": a["id"], "date": a["started_at"],
             "end_date": a["finished_at"], "lesson": a["lesson"],
             "score": a["first_try_score"], "question_count": a["question_count"],
             "language": a["language"], **assist(a)}
        )  # fmt: skip
        records += [
            {"record": "answer", "attempt_id": a["id"], "date": answer["answered_at"],
             "lesson": a["lesson"], "question": answer["question"],
             "try": answer["try"], "response": "; ".join(answer["response"]),
             "correct": yes(answer["correct"]), "revealed": yes(answer["revealed"])}
            for answer in a["answers"]
        ]  # fmt: skip
    records += [
        {"record": "assist_session", "date": s["started_at"], "end_date": s["ended_at"],
         "assisted": 1, "assisted_by": s["helper"]}
        for s in data["assist_sessions"]
    ]  # fmt: skip
    return records


def as_csv(person: Person) -> bytes:
    """Everything kept about ``person``, as CSV (UTF-8 with a BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in csv_records(personal_data(person)):
        writer.writerow(
            {key: defuse(json_ready(value)) for key, value in record.items()}
        )
    return buffer.getvalue().encode("utf-8-sig")


def as_json(person: Person) -> bytes:
    """Everything kept about ``person``, as a JSON document (UTF-8)."""
    document = {
        "format": "hocso-personal-data",
        "version": 1,
        "exported_at": iso(datetime.now(UTC)),
        **json_ready(personal_data(person)),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def delete_person(person: Person) -> None:
    """Delete ``person`` and everything of theirs (the caller commits)."""
    forget_sign_in_tries(person)
    db.session.delete(person)  # progress, answers, cards, assisted sessions cascade


def forget_sign_in_tries(person: Person) -> None:
    """Failed sign-ins are kept under the phone number or email: they go too."""
    for login in (person.phone, person.email and person.email.lower()):
        if login:
            SignInAttempt.clear(f"account:{login}")
