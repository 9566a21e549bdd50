"""Trainers' and admins' pages: the trainer's start page, a commune's dashboard,
its difficult questions, and the province view with every commune side by side."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Commune, CourseSession, Province, db
from reports.dashboard import commune_figures
from reports.dates import local_today
from reports.questions import difficult_questions
from services.access import communes_of, get_or_404
from services.names import fold

from .common import language, library, role_required

bp = Blueprint("reports", __name__)

# The province view's sortable columns: what each sorts by.
SORT_KEYS = {
    "name": lambda row: fold(row["commune"].name),
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
    return render_template(
        "reports/dashboard.html",
        commune=commune,
        figures=figures,
        lessons=lessons,
        titles=titles,
        hardest=hardest,
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
    """Every commune side by side, sortable, with the same measures as a dashboard."""
    provinces = db.session.scalars(select(Province).order_by(Province.name)).all()
    chosen = request.args.get("province", "")
    query = select(Commune).options(selectinload(Commune.province))
    if chosen:
        query = query.join(Province).where(Province.code == chosen)
    communes = db.session.scalars(query).all()
    lessons = library().course()
    figures = commune_figures([c.id for c in communes], lessons)
    rows = [{"commune": c, "figures": figures[c.id]} for c in communes]
    sort = request.args.get("sort", "name")
    if sort not in SORT_KEYS:
        sort = "name"
    descending = request.args.get("order", "asc" if sort == "name" else "desc")
    rows.sort(key=SORT_KEYS[sort], reverse=descending == "desc")
    lang = language()
    return render_template(
        "reports/province.html",
        rows=rows,
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
