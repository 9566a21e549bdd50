"""The dashboards at real size: a commune of 10,000 learners with 500,000 answers.

The database is SQLite, built by the migrations (so with their indexes), in a
temporary folder. Each query runs 7 times after a warm-up; the budget is 200 ms.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from .big_commune import ANSWERS, LEARNERS, Timing, build, time_queries
from .report import table

BUDGET_MS = 200.0


def measure_dashboard(
    tmp: Path, progress: Callable[[str], None]
) -> tuple[list[Timing], dict]:
    """Build the big commune in ``tmp`` and time what a trainer's pages run."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'big-commune.db'}"
    from flask_migrate import upgrade

    from app import create_app
    from models import Person, db, refresh_results
    from reports.dashboard import commune_figures
    from reports.dates import local_today
    from reports.drills import due_counts, due_list, retention
    from reports.questions import difficult_questions
    from services import sign_ins

    from .drills import add_drills

    app = create_app()
    with app.app_context():
        upgrade()
        library = app.extensions["hocso_library"]
        progress(f"generating {LEARNERS:,} learners and {ANSWERS:,} answers")
        began = time.perf_counter()
        commune_id, counts = build(library)
        counts["seconds to build"] = round(time.perf_counter() - began, 1)
        lessons = library.course()
        slugs = [lesson.slug for lesson in lessons]
        today = local_today()
        counts |= add_drills(commune_id, slugs, today)
        trainer = Person(
            name="Tập Huấn Viên Đo Thử",
            birth_year=1990,
            commune_id=commune_id,
            role="trainer",
        )
        db.session.add(trainer)
        db.session.flush()
        # Flask-Login keeps a sign-in's token (migration 0009), never the person's id.
        sign_in = sign_ins.start(trainer)
        db.session.commit()
        learner_id = db.session.scalar(
            db.select(db.func.min(Person.id)).where(Person.commune_id == commune_id)
        )

        def fresh(query: Callable[[], object]) -> Callable[[], object]:
            def run() -> object:
                result = query()
                db.session.rollback()  # nothing cached between runs
                return result

            return run

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = sign_in
            session["_fresh"] = True

        def page(path: str) -> Callable[[], object]:
            def get() -> object:
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                return response

            return get

        progress("timing the dashboard and difficult-questions queries")
        timings = time_queries(
            {
                "dashboard figures (query)": fresh(
                    lambda: commune_figures([commune_id], lessons)
                ),
                "difficult questions (query)": fresh(
                    lambda: difficult_questions([commune_id], lessons, "vi")
                ),
                "drills due list (10,000 learners)": fresh(
                    lambda: due_list([commune_id], today, slugs)
                ),
                "drills due and overdue counts (10,000 learners)": fresh(
                    lambda: due_counts([commune_id], today, slugs)
                ),
                "retention figures (10,000 learners)": fresh(
                    lambda: retention([commune_id], slugs)
                ),
                # What each completion or finished quiz in the commune adds.
                "one learner's results and sums refreshed (write)": fresh(
                    lambda: refresh_results(db.session.connection(), [learner_id])
                ),
                f"page /communes/{commune_id}": page(f"/communes/{commune_id}"),
                f"page /communes/{commune_id}/questions": page(
                    f"/communes/{commune_id}/questions"
                ),
            }
        )
    return timings, counts


def dashboard_table(timings: list[Timing]) -> str:
    rows = [
        [
            t.name,
            f"{t.median_ms:.1f}",
            f"{t.worst_ms:.1f}",
            "within budget" if t.worst_ms < BUDGET_MS else "OVER BUDGET",
        ]
        for t in timings
    ]
    return table(["measured", "median ms", "worst ms", f"< {BUDGET_MS:.0f} ms"], rows)
