"""Who is learning: a short form that creates the learner and remembers them here.
Learners registering themselves are limited per address and per browser
(services/self_registration.py); a helper registers people without a limit."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from forms.learners import LearnerForm
from models import Person, db
from services import self_registration

from .common import (
    browser,
    current_person,
    forget_person,
    remember_person,
    safe_next,
)

bp = Blueprint("learners", __name__, url_prefix="/learner")


@bp.route("/start", methods=["GET", "POST"])
def start():
    """Register the learner (name, year of birth, commune) and carry on where they were
    going; when this network or browser has registered too many lately, say so kindly
    (429) and create no one."""
    form = LearnerForm()
    form.commune.prepare(request.args)
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    blocked = self_registration.blocked(request.remote_addr, browser())
    if blocked is not None:
        html = render_template(
            "learners/start.html", form=form, next_url=next_url, blocked=blocked.value
        )
        return html, 429
    if form.validate_on_submit():
        person = Person(
            name=form.name.data.strip(),
            birth_year=form.birth_year.data,
            commune_id=form.commune.data,
        )
        db.session.add(person)
        self_registration.count(request.remote_addr, browser())
        db.session.commit()
        remember_person(person)
        flash(_("Welcome, %(name)s! Your progress will be saved.", name=person.name))
        return redirect(next_url, code=303)
    return render_template(
        "learners/start.html", form=form, next_url=next_url, person=current_person()
    )


@bp.post("/forget")
def forget():
    """'Not me': stop recording progress to the current learner in this browser."""
    forget_person()
    return redirect(url_for("learners.start"), code=303)
