"""Importing a course session's participants from a spreadsheet: upload, preview
(nothing saved), confirm (one transaction, checked again). The rows travel from the
preview to the confirmation signed, so they cannot be changed on the way."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from forms.sessions import ConfirmImportForm, ImportForm
from models import CourseSession, db, utcnow
from services import communes
from services.access import get_or_404
from services.learners_import import (
    MAX_ROWS,
    TEMPLATE_EXAMPLE,
    TEMPLATE_HEADER,
    plan_import,
    read_learners,
    rows_from_cells,
    save_import,
)
from services.spreadsheets import defuse

from .common import role_required

bp = Blueprint("session_import", __name__, url_prefix="/sessions")

MAX_UPLOAD = 5 * 1024 * 1024  # bytes: a list of a commune's people is far smaller
IMPORT_SALT = "hocso.sessions.import-participants"

trainer_required = role_required("trainer", start_again="sessions.index")


def the_trainer():
    """The trainer signed in (a plain object, for queries)."""
    return current_user._get_current_object()


def serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)


def preview_page(course_session, file, plan, form=None, default=None):
    return render_template(
        "sessions/preview.html",
        course_session=course_session,
        file=file,
        plan=plan,
        form=form,
        default=default or course_session.commune,
    )


def import_form(course_session) -> ImportForm:
    """The upload form; rows without a commune code go to the session's commune, or
    another the trainer chooses among theirs."""
    form = ImportForm(data={"commune": course_session.commune_id})
    form.commune.prepare(request.args, within=the_trainer())
    return form


def upload_page(course_session, form: ImportForm):
    return render_template(
        "sessions/import.html",
        course_session=course_session,
        form=form,
        max_rows=MAX_ROWS,
    )


@bp.route("/<int:session_id>/import", methods=["GET", "POST"])
@trainer_required
def import_file(session_id: int):
    """Upload a file of participants; its preview shows what saving would do."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    form = import_form(course_session)
    if request.method == "GET" or not form.validate_on_submit():
        return upload_page(course_session, form)
    upload = form.file.data
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:100]
    data = upload.stream.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        form.file.errors.append(_("The file is too big: at most 5 MB."))
        return upload_page(course_session, form)
    rows, problems = read_learners(name, data)
    default = form.commune.commune
    plan = plan_import(
        name, rows, importer=the_trainer(), session=course_session, commune=default
    )
    plan.problems[:0] = problems
    confirm = None
    if not plan.problems and plan.to_add:
        carried = {
            "session": course_session.id,
            "by": the_trainer().id,
            "commune": default.id,
            "file": name,
            "headers": rows[0].headers if rows else {},
            "rows": [row.cells() for row in rows],
        }
        confirm = ConfirmImportForm(formdata=None, rows=serializer().dumps(carried))
    return preview_page(course_session, name, plan, confirm, default)


@bp.post("/<int:session_id>/import/confirm")
@trainer_required
def confirm_import(session_id: int):
    """Save the previewed rows in one transaction, checked again against the database."""
    course_session = get_or_404(CourseSession, session_id, the_trainer())
    form = ConfirmImportForm()
    try:
        carried = serializer().loads(form.rows.data or "")
    except BadSignature:
        carried = None
    default = None
    if isinstance(carried, dict):
        default = communes.chosen(carried.get("commune"), within=the_trainer())
    if (
        default is None
        or carried.get("session") != course_session.id
        or carried.get("by") != the_trainer().id
    ):
        flash(_("The list could not be read back. Please upload the file again."))
        return redirect(url_for(".import_file", session_id=course_session.id), code=303)
    name = str(carried.get("file", ""))
    rows, problems = rows_from_cells(
        name, carried.get("rows", []), carried.get("headers", {})
    )
    plan = plan_import(
        name, rows, importer=the_trainer(), session=course_session, commune=default
    )
    plan.problems[:0] = problems
    if plan.problems or not plan.to_add:
        return preview_page(course_session, name, plan, default=default)
    if not form.validate_on_submit():
        return preview_page(course_session, name, plan, form, default)
    try:
        save_import(plan, session=course_session, consent_at=utcnow())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("The list changed meanwhile. Please upload the file again."))
        return redirect(url_for(".import_file", session_id=course_session.id), code=303)
    flash(
        _(
            "Saved: %(new)s new learners, %(existing)s registered learners added, "
            "%(already)s already in the session.",
            new=plan.new,
            existing=plan.existing,
            already=plan.in_session,
        )
    )
    url = url_for("sessions.show", session_id=course_session.id, _anchor="participants")
    return redirect(url, code=303)


@bp.get("/import-template.csv")
@trainer_required
def import_template():
    """A CSV to fill in: the headers in Vietnamese and one example row to replace."""
    out = io.StringIO()
    out.write("\ufeff")  # the byte order mark: Excel then reads it as UTF-8
    rows = [TEMPLATE_HEADER, TEMPLATE_EXAMPLE]
    csv.writer(out).writerows([[defuse(cell) for cell in row] for row in rows])
    return Response(
        out.getvalue().encode(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=danh-sach-nguoi-hoc.csv"},
    )
