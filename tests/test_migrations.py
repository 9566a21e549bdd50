"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from models import db

# These tests build the schema themselves, from nothing.
pytestmark = pytest.mark.empty_database


def upgrade_empty_database_to(revision: str) -> None:
    """Drop every table, then build the schema by the migrations up to ``revision``."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(revision=revision)


def with_one_commune(revision: str, name: str) -> None:
    """An empty database at ``revision`` holding commune 7, ``name``, of province 1."""
    upgrade_empty_database_to(revision)
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO provinces (id, code, name) VALUES (1, 'P', 'Tỉnh')"
        )
        connection.exec_driver_sql(
            "INSERT INTO communes (id, code, name, province_id)"
            f" VALUES (7, 'C', '{name}', 1)"
        )


def test_upgrade_from_empty_matches_the_models(app):
    with app.app_context():
        upgrade_empty_database_to("head")
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = compare_metadata(context, db.metadata)
        assert differences == [], differences
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "people",
            "communes",
            "answers",
            "quiz_attempts",
            "step_views",
        } <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_answers_given_before_0004_count_in_their_learners_commune(app):
    """0004 copies each answer's lesson and its learner's commune onto it; a
    trainer's answers are given no commune, so they never count."""
    with app.app_context():
        with_one_commune("0003", "Xã")
        with db.engine.begin() as connection:
            run = connection.exec_driver_sql
            for person_id, role in [(1, "learner"), (2, "trainer")]:
                run(
                    "INSERT INTO people (id, name, birth_year, commune_id, role, created_at)"
                    f" VALUES ({person_id}, 'P{person_id}', 1950, 7, '{role}', '2026-11-01')"
                )
                run(
                    "INSERT INTO quiz_attempts (id, person_id, lesson, assisted, language,"
                    " question_count, started_at)"
                    f" VALUES ({person_id}, {person_id}, 'vneid', false, 'vi', 10, '2026-11-01')"
                )
                run(
                    "INSERT INTO answers (attempt_id, question_id, try_number, response,"
                    " correct, revealed, token, answered_at)"
                    f" VALUES ({person_id}, 'q', 1, '[\"a\"]', true, false, 't{person_id}',"
                    " '2026-11-01')"
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT attempt_id, lesson, commune_id FROM answers ORDER BY attempt_id"
            ).all()
        assert [tuple(row) for row in rows] == [(1, "vneid", 7), (2, "vneid", None)]


def test_communes_imported_before_0005_can_be_found_by_their_folded_name(app):
    """0005 folds every commune's name into search_name, which the picker searches."""
    with app.app_context():
        with_one_commune("0004", "Phường  Nam Đồng")
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT search_name FROM communes").all()
        assert [tuple(row) for row in rows] == [("phuong nam dong",)]


def test_0006_counts_the_progress_recorded_before_it(app):
    """0006 flags who was reached or helped and sums each commune's figures."""
    with app.app_context():
        with_one_commune("0005", "Xã")
        with db.engine.begin() as connection:
            run = connection.exec_driver_sql
            for person_id in (1, 2):
                run(
                    "INSERT INTO people (id, name, birth_year, commune_id, role, created_at)"
                    f" VALUES ({person_id}, 'P{person_id}', 1950, 7, 'learner',"
                    " '2026-11-01 03:00:00')"
                )
            run(
                "INSERT INTO step_views (person_id, lesson, step, assisted, seen_at)"
                " VALUES (1, 'vneid', 1, true, '2026-11-01 04:00:00')"
            )
            run(
                "INSERT INTO lesson_completions (person_id, lesson, assisted, completed_at)"
                " VALUES (1, 'vneid', true, '2026-11-01 05:00:00')"
            )
            run(
                "INSERT INTO module_results (person_id, lesson, completed_at,"
                " completed_alone) VALUES (1, 'vneid', '2026-11-01 05:00:00', false)"
            )
        upgrade()
        with db.engine.connect() as connection:
            run = connection.exec_driver_sql
            flags = run("SELECT id, reached, helped FROM people ORDER BY id").all()
            totals = run("SELECT * FROM commune_totals").all()
            results = run(
                "SELECT lesson, people, completed, completed_alone FROM commune_results"
            ).all()
            days = run("SELECT day, people FROM commune_joins").all()
            kept = run("SELECT count(*) FROM lesson_completions").scalar()
        assert [tuple(row) for row in flags] == [(1, True, True), (2, False, False)]
        assert [tuple(row) for row in totals] == [(7, 2, 1, 1)]
        assert [tuple(row) for row in results] == [("vneid", 1, 1, 0)]
        assert [(str(day), people) for day, people in days] == [("2026-11-01", 2)]
        assert kept == 1  # adding the columns never copies people (a copy cascades)


def test_0007_keeps_every_answer_and_one_attempt_per_start_form(app):
    """0007 adds the start form's token to quiz attempts; answers given before stay,
    and two attempts cannot share one token."""
    with app.app_context():
        with_one_commune("0006", "Xã")
        with db.engine.begin() as connection:
            run = connection.exec_driver_sql
            run(
                "INSERT INTO people (id, name, birth_year, commune_id, role, created_at,"
                " reached, helped) VALUES (1, 'P', 1950, 7, 'learner', '2026-11-01',"
                " false, false)"
            )
            run(
                "INSERT INTO quiz_attempts (id, person_id, lesson, assisted, language,"
                " question_count, started_at) VALUES (1, 1, 'vneid', false, 'vi', 10,"
                " '2026-11-01')"
            )
            run(
                "INSERT INTO answers (attempt_id, question_id, try_number, response,"
                " correct, revealed, token, answered_at, lesson) VALUES (1, 'q', 1,"
                " '[\"a\"]', true, false, 't1', '2026-11-01', 'vneid')"
            )
        upgrade()
        with db.engine.connect() as connection:
            run = connection.exec_driver_sql
            assert run("SELECT count(*) FROM answers").scalar() == 1
            assert run("SELECT start_token FROM quiz_attempts").scalar() is None
        insert = (
            "INSERT INTO quiz_attempts (id, person_id, lesson, assisted, language,"
            " question_count, started_at, start_token) VALUES ({}, 1, 'vneid', false,"
            " 'vi', 10, '2026-11-02', 'same-form-token')"
        )
        with db.engine.begin() as connection:
            connection.exec_driver_sql(insert.format(2))
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.exec_driver_sql(insert.format(3))
