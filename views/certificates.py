"""Certificates: a learner's own, a learner's for staff of their commune, a whole course
session's to print at once, and the public page that checks a certificate's code.

What earns a certificate, and what it says, is in reports/certificates.py. Who may see
one: the learner themselves (``current_person()``) and helpers and above acting in the
learner's commune; a session's certificates, its commune's trainers (and admins).
Anything else is "not found". The public check shows no more than the certificate
itself says, without the year of birth or the helpers' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forms.certificates import VerifyForm
from models import Commune, CourseSession, Participant, Person, db
from reports.certificates import (
    Earned,
    certificate_for,
    check,
    earned,
    earned_by_person,
    earned_one,
    find,
    read_code,
    show_code,
)
from services.access import get_or_404, sees_certificates_of
from services.accounts import record_failed_tries, too_many_tries, window_minutes
from services.names import name_order

from .common import (
    client_network,
    current_person,
    language,
    library,
    private,
    role_required,
)

bp = Blueprint("certificates", __name__)

staff_required = role_required("helper", start_again="certificates.mine")
trainer_required = role_required("trainer", start_again="certificates.mine")


def public_url(endpoint: str, **values) -> str:
    """An absolute link; PUBLIC_URL, when set, says how phones reach this site."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def verify_address() -> str:
    """Where to check a certificate, as printed on it ("hocso.example.vn/verify")."""
    return urlsplit(public_url("certificates.verify")).netloc + url_for(
        "certificates.verify"
    )


# --- Printing -----------------------------------------------------------------------------


@dataclass
class Printed:
    """One certificate ready to print: who, what, its code and its QR code."""

    person: Person
    earned: Earned
    code: str
    qr: Markup


def printed(person: Person, found: Earned) -> Printed:
    """Make (the first time) the certificate's code and draw its QR code."""
    certificate = certificate_for(person, found.slug, known=found)
    code = show_code(certificate.code)
    url = public_url("certificates.verified", code=code)
    qr = segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="qr-code"
    )
    return Printed(person=person, earned=found, code=code, qr=Markup(qr))


def not_yet(person: Person, found: list[Earned]) -> list[str]:
    """The titles of the course modules ``person`` has not earned yet."""
    have = {item.slug for item in found}
    return [
        lesson.text(language()).title
        for lesson in library().course()
        if lesson.slug not in have
    ]


# --- Pages ------------------------------------------------------------------------------


@bp.get("/certificates/")
def mine():
    """The current learner's certificates, each with a link to print it."""
    person = current_person()
    if person is None:
        return render_template("certificates/list.html", person=None)
    return certificates_page(person, own=True)


@bp.get("/people/<int:person_id>/certificates")
@staff_required
def of_person(person_id: int):
    """A learner's certificates, for staff acting in the learner's commune."""
    person = get_or_404(Person, person_id, current_user, rule=sees_certificates_of)
    me = current_person()
    return certificates_page(person, own=me is not None and me.id == person.id)


def certificates_page(person: Person, own: bool):
    """The list of ``person``'s certificates and of the modules still to finish."""
    found = earned(person, library(), language())
    html = render_template(
        "certificates/list.html",
        person=person,
        found=found,
        missing=not_yet(person, found),
        own=own,
    )
    return private(html)


@bp.get("/certificates/<int:person_id>/<slug>")
def show(person_id: int, slug: str):
    """One certificate on one A4 landscape page, with its verification code."""
    viewers = current_person(), current_user  # the learner here, whoever signed in
    person = get_or_404(Person, person_id, *viewers, rule=sees_certificates_of)
    found = earned_one(person, slug, library(), language())
    if found is None:
        abort(404)
    certificate = printed(person, found)
    db.session.commit()
    html = render_template(
        "certificates/show.html", printed=certificate, site=verify_address()
    )
    return private(html)


@bp.get("/sessions/<int:session_id>/certificates")
@trainer_required
def session_certificates(session_id: int):
    """Every certificate the session's participants have earned for its modules, one
    per page, with who has not finished yet."""
    course = get_or_404(CourseSession, session_id, current_user)
    lessons = [lesson for slug in course.modules if (lesson := library().get(slug))]
    query = (
        select(Person)
        .join(Participant, Participant.person_id == Person.id)
        .where(Participant.session_id == course.id)
        .options(selectinload(Person.commune).selectinload(Commune.province))
    )
    people = [
        p for p in db.session.scalars(query) if sees_certificates_of(current_user, p)
    ]
    people.sort(key=lambda p: name_order(p.name))
    found = earned_by_person([p.id for p in people], lessons, language())
    sheets, unfinished = [], []
    for participant in people:
        mine = found[participant.id]
        sheets.extend(printed(participant, item) for item in mine)
        have = {item.slug for item in mine}
        missing = [
            lesson.text(language()).title
            for lesson in lessons
            if lesson.slug not in have
        ]
        if missing:
            unfinished.append((participant, missing))
    db.session.commit()
    html = render_template(
        "certificates/session.html",
        course=course,
        lessons=lessons,
        sheets=sheets,
        holders=len({sheet.person.id for sheet in sheets}),
        unfinished=unfinished,
        site=verify_address(),
    )
    return private(html)


# --- The public check -------------------------------------------------------------------


@bp.get("/verify")
def verify():
    """Type a certificate's code to check it (no sign-in)."""
    form = VerifyForm(formdata=request.args if "code" in request.args else None)
    if "code" in request.args and guessing():
        return limited(form)
    if "code" in request.args and form.validate():
        code = read_code(form.code.data)
        if code is None:  # cannot be a code: say so here, the code stays in the box
            return unknown(form)
        return redirect(
            url_for("certificates.verified", code=show_code(code)), code=303
        )
    html = render_template("certificates/verify.html", form=form, state="form")
    return private(html)


def guess_key() -> str:
    return f"verify:{client_network()}"


def guessing() -> bool:
    """Too many unknown codes were checked from this address lately."""
    limit = current_app.config["VERIFY_MAX_PER_ADDRESS"]
    return too_many_tries({guess_key(): limit})


def limited(form: VerifyForm):
    """Checking is paused for this address: no code is looked up, known or not."""
    html = render_template(
        "certificates/verify.html", form=form, state="limited", minutes=window_minutes()
    )
    return private(html, 429)


def unknown(form: VerifyForm):
    """No certificate has this code: the same answer for a mistyped, made-up or deleted one."""
    html = render_template("certificates/verify.html", form=form, state="unknown")
    return private(html, 404)


@bp.get("/verify/<code>")
def verified(code: str):
    """Whether the certificate with this code is valid, as the records say now."""
    form = VerifyForm(formdata=None, code=code)
    if guessing():
        return limited(form)
    certificate = find(code)
    if certificate is None:
        record_failed_tries([guess_key()])
        db.session.commit()
        return unknown(form)
    found = check(certificate, library(), language())
    html = render_template(
        "certificates/verify.html",
        form=form,
        state="valid" if found else "invalid",
        person=certificate.person,
        found=found,
        code=show_code(certificate.code),
    )
    return private(html)
