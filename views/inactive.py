"""A commune's learners who never did anything (issue 13): the trainer's list, page by
page, and removing the ones ticked after a confirmation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import Commune, db
from services.access import get_or_404
from services.never_active import (
    chosen_never_active,
    never_active_page,
    remove_never_active,
)

from .common import role_required

bp = Blueprint("inactive", __name__, url_prefix="/communes/<int:commune_id>")

trainer_required = role_required("trainer", "reports.trainer_home")


def list_page(commune: Commune, error: str | None = None, status: int = 200):
    found = never_active_page(
        current_user, commune, request.args.get("page", 1, type=int) or 1
    )
    html = render_template(
        "inactive/list.html", commune=commune, found=found, error=error
    )
    return html, status


@bp.get("/never-active")
@trainer_required
def index(commune_id: int):
    """The commune's learners who have done nothing yet, newest first."""
    return list_page(get_or_404(Commune, commune_id, current_user))


@bp.post("/never-active/remove")
@trainer_required
def remove(commune_id: int):
    """Ask to confirm removing the learners ticked; once confirmed, remove those
    still never active now (one transaction) and keep the commune's figures."""
    commune = get_or_404(Commune, commune_id, current_user)
    ids = request.form.getlist("learner", type=int)
    if not request.form.get("confirm"):
        chosen = chosen_never_active(current_user, commune, ids)
        if not chosen:
            message = _("Tick at least one learner to remove, then press the button.")
            return list_page(commune, message, 400)
        return render_template("inactive/confirm.html", commune=commune, chosen=chosen)
    removed = remove_never_active(current_user, commune, ids)
    db.session.commit()
    kept = len(set(ids)) - removed
    flash(
        ngettext(
            "%(num)s learner who had done nothing is removed.",
            "%(num)s learners who had done nothing are removed.",
            removed,
        )
    )
    if kept:
        flash(
            ngettext(
                "%(num)s person ticked was not removed: they have started "
                "learning meanwhile.",
                "%(num)s people ticked were not removed: they have started "
                "learning meanwhile.",
                kept,
            )
        )
    return redirect(url_for("inactive.index", commune_id=commune.id), code=303)
