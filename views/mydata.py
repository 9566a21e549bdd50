"""Personal data: a learner (or a trainer for a learner of their commune) sees everything
kept about them, downloads it as CSV or JSON, and deletes it.

Who is whose: ``/my-data`` is the person signed in on this browser, or, with nobody
signed in, the guest learner it remembers. A helper sitting beside a learner still sees
only their own data here: helpers never see other people's. ``/my-data/<id>`` is for
trainers and admins, for learners of the communes they act in (admins: every commune);
any other id is "not found", whoever asks.

What is exported, and how: services/personal_data.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

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

from models import Person, db
from reports.dates import VIETNAM
from services.access import get_or_404
from services.personal_data import as_csv, as_json, delete_person, personal_data

from .common import current_person, forget_person, library

bp = Blueprint("mydata", __name__, url_prefix="/my-data")


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


# --- Showing it ---------------------------------------------------------------------


def local_time(moment: datetime | None) -> str:
    """A time as people in Vietnam read it: 25/11/2025 16:30."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else "—"


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
    return download(person, as_csv(person), "csv", "text/csv")


@bp.get("/export.json", defaults={"person_id": None})
@bp.get("/<int:person_id>/export.json")
def export_json(person_id: int | None):
    """Download everything kept, as JSON."""
    person = subject(person_id)
    return download(person, as_json(person), "json", "application/json")


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
    delete_person(person)
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
