"""Trainers' and admins' pages: the trainer's start page, a commune's dashboard,
its difficult questions, and the province view: every province, then one
province's communes side by side."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from models import Commune, CourseSession, Province, db
from reports.dashboard import commune_figures
from reports.dates import local_today
from reports.drills import due_counts, retention
from reports.province import kept_figures, province_figures
from reports.questions import difficult_questions
from services.access import communes_of, get_or_404
from services.drills import today as drills_today
from services.names import fold

from .common import language, library, role_required

bp = Blueprint("reports", __name__)

PAGE_SIZE = 50  # communes per page of a province

# The province view's sortable columns: what each sorts by.
SORT_KEYS = {
    "name": lambda row: fold(row["name"]),
    "registered": lambda row: row["figures"].registered,
    "reached": lambda row: row["figures"].reached,
    "assisted": lambda row: row["figures"].assisted,
    "completions": lambda row: row["figures"].completions,
    "pass": lambda row: _or_lowest(row["figures"].pass_percent),
}


@bp.get("/trainer")
@role_required("trainer", "reports.trainer_home")
def trainer_home():
    """The trainer's start page: their communes with the headline figures."""
    communes = communes_of(current_user, everywhere=False)
    lessons = library().course()
    figures = commune_figures([c.id for c in communes], lessons)
    upcoming = db.session.scalars(
        select(CourseSession)
        .where(
            CourseSession.commune_id.in_([c.id for c in communes]),
            CourseSession.held_on >= local_today(),
        )
        .order_by(CourseSession.held_on)
        .limit(5)
    ).all()
    return render_template(
        "reports/trainer_home.html",
        communes=communes,
        figures=figures,
        lessons=lessons,
        upcoming=upcoming,
    )


@bp.get("/communes/<int:commune_id>")
@role_required("trainer", "reports.trainer_home")
def dashboard(commune_id: int):
    """One commune: people reached, completion per module, scores, trend per week."""
    commune = get_or_404(Commune, commune_id, current_user)
    lessons = library().course()
    figures = commune_figures([commune.id], lessons)[commune.id]
    lang = language()
    titles = {ls.slug: ls.text(lang).title for ls in lessons}
    hardest = difficult_questions([commune.id], lessons, lang)[:3]
    drilled = [ls.slug for ls in lessons if ls.drills]
    quiz_first = {(commune.id, m.slug): m.first_try_percent for m in figures.modules}
    return render_template(
        "reports/dashboard.html",
        commune=commune,
        figures=figures,
        lessons=lessons,
        titles=titles,
        hardest=hardest,
        drills_due=due_counts([commune.id], drills_today(), drilled)[commune.id],
        retention=retention([commune.id], drilled, quiz_first)[commune.id],
    )


@bp.get("/communes/<int:commune_id>/questions")
@role_required("trainer", "reports.trainer_home")
def questions(commune_id: int):
    """Every question answered in the commune, the hardest first."""
    commune = get_or_404(Commune, commune_id, current_user)
    lessons = library().course()
    rows = difficult_questions([commune.id], lessons, language())
    return render_template("reports/questions.html", commune=commune, rows=rows)


@bp.get("/communes/<int:commune_id>/questions/<slug>/<question_id>")
@role_required("trainer", "reports.trainer_home")
def question(commune_id: int, slug: str, question_id: str):
    """One question as learners saw it, how the commune answered it, and where to
    re-teach it."""
    commune = get_or_404(Commune, commune_id, current_user)
    lesson = library().get(slug)
    if lesson is None or lesson.practice:
        abort(404)
    lang = language()
    rows = difficult_questions([commune.id], [lesson], lang)
    row = next((r for r in rows if r.question.id == question_id), None)
    quiz = lesson.quiz(lang)
    found = [
        (number, q)
        for number, q in enumerate(quiz.questions if quiz else [], start=1)
        if q.id == question_id
    ]
    if not found:
        abort(404)
    number, question = found[0]
    return render_template(
        "reports/question.html",
        commune=commune,
        lesson=lesson,
        title=lesson.text(lang).title,
        question=question,
        number=number,
        row=row,
    )


@bp.get("/province")
@role_required("admin", "reports.province")
def province():
    """Every province with its totals; with one province only, its communes."""
    chosen = request.args.get("province", "")
    if chosen:  # the form's GET: the province's own page
        return redirect(url_for("reports.province_communes", code=chosen))
    provinces = db.session.scalars(select(Province).order_by(Province.name)).all()
    if len(provinces) == 1:
        return _communes_page(provinces[0])
    lessons = library().course()
    figures = province_figures([p.id for p in provinces], lessons)
    rows = _rows(
        provinces, figures, lambda p: url_for("reports.province_communes", code=p.code)
    )
    return _render(rows, lessons, provinces, None)


@bp.get("/province/<code>")
@role_required("admin", "reports.province")
def province_communes(code: str):
    """One province's communes side by side, sorted and paged on the server."""
    chosen = db.first_or_404(select(Province).where(Province.code == code))
    return _communes_page(chosen)


def _communes_page(chosen: Province):
    communes = db.session.scalars(
        select(Commune).where(Commune.province_id == chosen.id)
    ).all()
    lessons = library().course()
    figures = kept_figures([c.id for c in communes], lessons)
    rows = _rows(
        communes, figures, lambda c: url_for("reports.dashboard", commune_id=c.id)
    )
    provinces = db.session.scalars(select(Province).order_by(Province.name)).all()
    return _render(rows, lessons, provinces, chosen)


def _rows(places, figures, url_of) -> list[dict]:
    """A table row per province or commune: its name, its link, its figures."""
    return [
        {"name": p.name, "url": url_of(p), "figures": figures[p.id]} for p in places
    ]


def _render(rows: list[dict], lessons, provinces, chosen: Province | None):
    sort = request.args.get("sort", "name")
    if sort not in SORT_KEYS:
        sort = "name"
    descending = request.args.get("order", "asc" if sort == "name" else "desc")
    rows.sort(key=SORT_KEYS[sort], reverse=descending == "desc")
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    lang = language()
    return render_template(
        "reports/province.html",
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        count=len(rows),
        page=page,
        pages=pages,
        lessons=lessons,
        titles={ls.slug: ls.text(lang).title for ls in lessons},
        provinces=provinces,
        chosen=chosen,
        sort=sort,
        order=descending,
        totals=_totals(rows),
    )


def _or_lowest(value: float | None) -> float:
    """A percentage to sort by: none (nobody took a quiz) below every number."""
    return -1.0 if value is None else value


def _totals(rows: list[dict]) -> dict[str, int]:
    return {
        key: sum(getattr(row["figures"], key) for row in rows)
        for key in ("registered", "reached", "assisted", "completions")
    }
