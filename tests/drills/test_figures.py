"""Due counts, retention and the CLI against a small hand-computed fixture."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models import DrillAnswer, DrillAttempt, DrillSchedule, ModuleResult, db
from reports.drills import due_counts, retention
from tests.factories import make_communes, make_person, signed_in

TODAY = date(2026, 6, 30)


@pytest.fixture
def commune(drill_app):
    """Commune A: three learners. Due: one today, one 5 days late, one 10 days late
    (overdue); a fourth is due tomorrow (not counted). Answers on vneid: stage 1:
    3 of 4 right; stage 2: 1 of 2; a catch-up's wrong answer is not counted. Quiz
    first tries: 80% and 60% (mean 70%)."""
    communes = make_communes(drill_app)
    a = communes[0]
    with drill_app.app_context():
        people = [make_person(db.session, f"Học viên {n}", a) for n in range(4)]
        for person, late in zip(people, [0, 5, 10, -1], strict=True):
            db.session.add(
                DrillSchedule(
                    person_id=person.id,
                    commune_id=a,
                    lesson="vneid",
                    passed_on=TODAY - timedelta(days=60),
                    stage=1,
                    catch_up=False,
                    due_on=TODAY - timedelta(days=late),
                    seen=[],
                    wrong=[],
                )
            )
        answers = {(1, False): [1, 1, 1, 0], (2, False): [1, 0], (1, True): [0]}
        for (stage, catch_up), marks in answers.items():
            attempt = DrillAttempt(
                person_id=people[0].id,
                lesson="vneid",
                stage=stage,
                catch_up=catch_up,
                language="vi",
                items=[f"drill-{n}" for n in range(len(marks))],
            )
            db.session.add(attempt)
            db.session.flush()
            for n, mark in enumerate(marks):
                db.session.add(
                    DrillAnswer(
                        attempt_id=attempt.id,
                        item_id=f"drill-{n}",
                        commune_id=a,
                        lesson="vneid",
                        stage=stage,
                        catch_up=catch_up,
                        correct=bool(mark),
                        response=["x"],
                    )
                )
        for person, first in zip(people[:2], [80.0, 60.0], strict=True):
            db.session.add(
                ModuleResult(
                    person_id=person.id,
                    lesson="vneid",
                    first_percent=first,
                    best_percent=first,
                )
            )
        db.session.commit()
    return communes


def test_due_and_overdue_counts(drill_app, commune):
    with drill_app.app_context():
        counts = due_counts(commune, TODAY, ["vneid", "scam-calls"])
    assert (counts[commune[0]].due, counts[commune[0]].overdue) == (3, 1)
    assert (counts[commune[1]].due, counts[commune[1]].overdue) == (0, 0)


def test_retention_by_stage_against_the_quiz(drill_app, commune):
    with drill_app.app_context():
        rows = retention(commune, ["vneid"], {(commune[0], "vneid"): 70.0})
    row = rows[commune[0]][0]
    assert row.quiz_percent == 70.0
    assert (row.answered[1], row.right[1], row.percent(1)) == (4, 3, 75.0)
    assert (row.answered[2], row.percent(2)) == (2, 50.0)
    assert row.percent(3) is None
    assert rows[commune[1]][0].percent(1) is None


def test_the_dashboard_shows_them(drill_app, commune):
    drill_app.config["HOCSO_TODAY"] = TODAY.isoformat()
    trainer = make_person(
        drill_app, "Anh Hùng", commune[0], role="trainer", email="h@x.invalid"
    )
    page = signed_in(drill_app, trainer).get(f"/communes/{commune[0]}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ôn tập: mọi người còn nhớ được bao nhiêu" in html
    assert "<strong>3</strong><span>lượt ôn tập đang đến hạn" in html
    assert "<strong>1</strong><span>trong đó trễ hơn một tuần" in html
    assert "75%" in html and "50%" in html and "70%" in html


def test_cli_lists_who_is_due(drill_app, commune):
    runner = drill_app.test_cli_runner()
    result = runner.invoke(
        args=["drills", "due", "--commune", "T-0101", "--as-of", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Học viên 2\t") and "10 day(s) overdue" in lines[0]
    assert lines[1].startswith("Học viên 1\t") and lines[2].startswith("Học viên 0\t")
    assert "stage 1" in lines[0] and "due 2026-06-20" in lines[0]
    assert "3 review(s) due, 3 learner(s)" in lines[-1]
    later = runner.invoke(args=["drills", "due", "--commune", "T-0101"])
    assert later.exit_code == 0


def test_cli_says_when_the_commune_is_unknown(drill_app, commune):
    result = drill_app.test_cli_runner().invoke(
        args=["drills", "due", "--commune", "NOPE", "--as-of", "2026-06-30"]
    )
    assert result.exit_code == 1
    assert "No commune has the code 'NOPE'" in result.output


def test_the_modules_export_has_the_retention_columns(drill_app, commune):
    from reports.exports import Export, csv_chunks

    with drill_app.app_context():
        from models import Commune

        communes = [db.session.get(Commune, commune[0])]
        lessons = drill_app.extensions["hocso_library"].course()
        text = b"".join(csv_chunks(Export("modules", communes, lessons))).decode()
    header, vneid = text.splitlines()[0:2]
    assert header.endswith(
        "Ôn tập sau 3 tháng: số câu trả lời,Ôn tập sau 3 tháng: đúng lần đầu (%)"
    )
    assert vneid.endswith(",4,75.0,2,50.0,0,")
