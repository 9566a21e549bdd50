"""Personal data: a learner (or a trainer for a learner of their commune) sees everything
kept about them, downloads it as CSV or JSON, and deletes it.

Who is whose: ``/my-data`` is the person signed in on this browser, or, with nobody
signed in, the guest learner it remembers. A helper sitting beside a learner still sees
only their own data here: helpers never see other people's. ``/my-data/<id>`` is for
trainers and admins, for learners of the communes they act in (admins: every commune);
any other id is "not found", whoever asks.

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
from datetime import UTC, datetime, timedelta, timezone

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user
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
from services.access import get_or_404

from .common import current_person, forget_person, library

bp = Blueprint("mydata", __name__, url_prefix="/my-data")

VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving
CSV_FIELDS = (
    "record", "id", "date", "end_date", "name", "birth_year", "commune", "phone",
    "email", "role", "lesson", "step", "attempt_id", "question", "try", "response",
    "correct", "revealed", "score", "question_count", "language", "assisted",
    "assisted_by",
)  # fmt: skip


# --- Whose data ----------------------------------------------------------------------


def own_record() -> Person | None:
    """The person signed in here (never the learner beside a helper), or the guest."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    guest = current_person()
    return guest if guest is not None and guest.role == "learner" else None


def subject(person_id: int | None) -> Person:
    """Whose data this page is about, or 404 if the visitor may not see it."""
    me = own_record()
    if person_id is None or (me is not None and me.id == person_id):
        if me is None:  # nobody signed in and no guest here: nothing to show
            abort(redirect(url_for("accounts.sign_in", next=request.path)))
        return me
    if not current_user.is_authenticated:
        if me is None:
            abort(redirect(url_for("accounts.sign_in", next=request.path)))
        abort(404)  # a guest asking for someone else
    if not current_user.has_role("trainer"):
        abort(404)  # only trainers and admins open someone else's data
    return get_or_404(Person, person_id, current_user)


def is_own(person: Person) -> bool:
    me = own_record()
    return me is not None and me.id == person.id


def may_delete(person: Person) -> bool:
    """Learners delete themselves; helpers and above are removed by an administrator."""
    return person.role == "learner"


def links(person: Person) -> dict[str, str]:
    """This page's addresses: /my-data/… for oneself, /my-data/<id>/… for a trainer."""
    args = {} if is_own(person) else {"person_id": person.id}
    return {
        name: url_for(f"mydata.{name}", **args)
        for name in ("show", "export_csv", "export_json", "delete")
    }


# --- What is kept --------------------------------------------------------------------


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive times; every time stored is UTC."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def iso(moment: datetime | None) -> str | None:
    moment = utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def local_time(moment: datetime | None) -> str:
    """A time as people in Vietnam read it: 25/11/2025 16:30."""
    moment = utc(moment)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else "—"


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


def download(person: Person, body: bytes, extension: str, mimetype: str) -> Response:
    """An attachment that no cache keeps (it is personal data)."""
    name = f"hocso-data-{person.id}-{datetime.now(UTC):%Y%m%d}.{extension}"
    current_app.logger.info(
        "personal data export: person %s, %s, by %s",
        person.id,
        extension,
        current_user.id if current_user.is_authenticated else "the guest",
    )
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Pages ---------------------------------------------------------------------------


@bp.get("", defaults={"person_id": None})
@bp.get("/<int:person_id>")
def show(person_id: int | None):
    """Everything kept about the person, in plain words, with download and delete."""
    person = subject(person_id)
    language = str(get_locale())
    titles, questions = {}, {}
    for lesson in library().lessons.values():
        titles[lesson.slug] = lesson.text(language).title
        quiz = lesson.quiz(language)
        if quiz is not None:
            questions[lesson.slug] = {
                q.id: (number, q) for number, q in enumerate(quiz.questions, start=1)
            }
    response = Response(
        render_template(
            "mydata/show.html",
            person=person,
            data=personal_data(person),
            own=is_own(person),
            can_delete=may_delete(person),
            links=links(person),
            titles=titles,
            questions=questions,
            when=local_time,
            password_set=person.password_hash is not None,
            pin_set=person.pin_hash is not None,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export.csv", defaults={"person_id": None})
@bp.get("/<int:person_id>/export.csv")
def export_csv(person_id: int | None):
    """Download everything kept, as CSV for a spreadsheet."""
    person = subject(person_id)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in csv_records(personal_data(person)):
        writer.writerow({key: json_ready(value) for key, value in record.items()})
    body = buffer.getvalue().encode("utf-8-sig")
    return download(person, body, "csv", "text/csv")


@bp.get("/export.json", defaults={"person_id": None})
@bp.get("/<int:person_id>/export.json")
def export_json(person_id: int | None):
    """Download everything kept, as JSON."""
    person = subject(person_id)
    document = {
        "format": "hocso-personal-data",
        "version": 1,
        "exported_at": iso(datetime.now(UTC)),
        **json_ready(personal_data(person)),
    }
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return download(person, body, "json", "application/json")


@bp.route("/delete", defaults={"person_id": None}, methods=["GET", "POST"])
@bp.route("/<int:person_id>/delete", methods=["GET", "POST"])
def delete(person_id: int | None):
    """Ask first, in plain words; then delete the person and everything of theirs."""
    person = subject(person_id)
    if not may_delete(person):
        abort(404)
    own = is_own(person)
    if request.method == "GET":
        return render_template(
            "mydata/delete.html", person=person, own=own, links=links(person)
        )
    name, deleted_id = person.name, person.id
    forget_sign_in_tries(person)
    db.session.delete(person)  # progress, answers, cards, assisted sessions cascade
    db.session.commit()
    current_app.logger.info(
        "personal data deleted: person %s, by %s",
        deleted_id,
        current_user.id if current_user.is_authenticated else "the guest",
    )
    if own:
        logout_user()
        forget_person()
        flash(_("All your data has been deleted."))
    else:
        if session.get("person_id") == deleted_id:
            forget_person()  # the guest remembered in this browser is gone
        flash(_("All the data of %(name)s has been deleted.", name=name))
    return redirect(url_for("main.home"), code=303)


def forget_sign_in_tries(person: Person) -> None:
    """Failed sign-ins are kept under the phone number or email: they go too."""
    for login in (person.phone, person.email and person.email.lower()):
        if login:
            SignInAttempt.clear(f"account:{login}")
