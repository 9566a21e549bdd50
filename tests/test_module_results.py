"""Module results follow the progress rows: rebuilt when a completion or a finished
attempt is written, left alone when only an answer is (answering stays cheap)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from models import ModuleResult, db

from .factories import add_attempt, make_person


@contextmanager
def statements_on_results():
    """Collect the SQL statements that touch module_results meanwhile."""
    seen: list[str] = []

    def watch(_conn, _cursor, statement, *_args):
        if "module_results" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)


def test_answers_leave_results_alone_and_finishing_rebuilds_them(app, communes):
    with app.app_context():
        nga = make_person(db.session, "Bà Nga", communes[0], born=1946)
        attempt = add_attempt(nga.id, questions=2)
        db.session.commit()
        with statements_on_results() as seen:
            attempt.record("q1", ["a"], True, "token-1")
            attempt.record("q2", ["b"], False, "token-2")
            db.session.commit()
        assert seen == []
        with statements_on_results() as seen:
            attempt.finish(["q1", "q2"])
            db.session.commit()
        assert seen
        result = db.session.scalars(select(ModuleResult)).one()
        assert (result.lesson, result.first_percent, result.best_percent) == (
            "vneid",
            50.0,
            50.0,
        )
        assert result.completed_at is None
        nga.complete_lesson("vneid")
        db.session.commit()
        with statements_on_results() as seen:
            nga.complete_lesson("vneid")  # again: nothing new, nothing rebuilt
            db.session.commit()
        assert seen == []
        db.session.refresh(result)
        assert result.completed_at is not None and result.completed_alone
