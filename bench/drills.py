"""Drills at real size, added to the big commune with set-based SQL: every learner
has a schedule per course module (due dates spread over four months, so about a
third are due), and the drills taken so far: up to three stages of 4 answers per
module, about 200,000 answers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from models import db

ITEMS = 4


def add_drills(commune_id: int, slugs: list[str], today: date) -> dict[str, int]:
    """Fill the drill tables for the commune's people; return the row counts."""
    params = {"commune": commune_id, "today": today.isoformat()}
    for number, slug in enumerate(slugs):
        params["slug"], params["n"] = slug, number
        db.session.execute(
            text(
                "INSERT INTO drill_schedules (person_id, commune_id, lesson, passed_on,"
                " stage, catch_up, due_on, seen, wrong)"
                " SELECT id, commune_id, :slug, date(:today, '-' || (id % 100) || ' days'),"
                " 1 + (id % 3), 0,"
                " date(:today, ((id * 7 + :n) % 120 - 40) || ' days'), '[]', '[]'"
                " FROM people WHERE commune_id = :commune"
            ),
            params,
        )
        db.session.execute(
            text(
                "INSERT INTO drill_attempts (person_id, lesson, stage, catch_up,"
                ' language, items, started_at, finished_at, "right", assisted)'
                " SELECT p.id, :slug, s.stage, 0, 'vi', '[]', :today, :today, 0, 0"
                " FROM people p JOIN (SELECT 1 AS stage UNION ALL SELECT 2"
                " UNION ALL SELECT 3) s ON s.stage <= 1 + (p.id % 3)"
                " WHERE p.commune_id = :commune AND (p.id + :n) % 2 = 0"
            ),
            params,
        )
    db.session.execute(
        text(
            "INSERT INTO drill_answers (attempt_id, item_id, commune_id, lesson, stage,"
            " catch_up, correct, response, answered_at)"
            " SELECT a.id, 'drill-' || i.n, :commune, a.lesson, a.stage, 0,"
            " ((a.id * 31 + i.n * 17) % 10) < (9 - a.stage), '[]', :today"
            " FROM drill_attempts a JOIN (SELECT 1 AS n UNION ALL SELECT 2"
            " UNION ALL SELECT 3 UNION ALL SELECT 4) i"
        ),
        params,
    )
    db.session.commit()
    return {
        table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        for table in ("drill_schedules", "drill_answers")
    }
