"""Finding a commune or ward by province and a few letters: the commune picker's
search (static/js/commune.js asks for JSON), and a page of its own that shows the
codes, for a trainer filling in the commune column of an import file."""

from __future__ import annotations

from flask import Blueprint, get_template_attribute, render_template, request
from flask_login import current_user

from forms.fields import CommuneSearchForm
from models import Person

bp = Blueprint("communes", __name__, url_prefix="/communes")


def _within() -> Person | None:
    """``mine=1``: only the communes the signed-in helper (or above) acts in."""
    if request.args.get("mine") and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


@bp.get("/search")
def search():
    """Communes of a province whose name has a word starting with the letters typed."""
    within = _within()
    picker = CommuneSearchForm(request.args).chosen
    picker.prepare(request.args, within)
    if request.args.get("format") == "json":
        status = get_template_attribute("_commune.html", "found_status")
        return {
            "count": picker.found.count,
            "status": " ".join(str(status(picker.found)).split()),
            "communes": [
                {
                    "id": commune.id,
                    "name": commune.name,
                    "province": commune.province.name,
                    "code": commune.code,
                }
                for commune in picker.options
            ],
        }
    return render_template("communes/search.html", picker=picker)
