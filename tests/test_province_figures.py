"""The commune summaries kept on write (models/figures.py), read by the province view
(reports/province.py): they always say what a commune's dashboard counts live."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from models import Commune, CommuneTotals, Person, QuizAttempt, db, refresh_communes
from models.figures import refresh_flags
from reports.dashboard import commune_figures
from reports.province import kept_figures, province_figures
from services.accounts import move_progress

from .factories import make_person
from .report_world import TODAY, build_world, course


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    return build_world(app, communes)


def measures(figures) -> tuple:
    modules = [
        (
            m.slug,
            m.reached,
            m.completed,
            m.completed_alone,
            m.quiz_takers,
            m.passed,
            None if m.first_try_percent is None else round(m.first_try_percent, 6),
            None if m.best_percent is None else round(m.best_percent, 6),
        )
        for m in figures.modules
    ]
    weeks = [(w.starts, w.new_people, w.completions) for w in figures.weeks]
    return (figures.registered, figures.reached, figures.assisted, modules, weeks)


def assert_kept(app, communes) -> None:
    """The kept summaries equal the live count, commune by commune and summed."""
    with app.app_context():
        lessons = course(app)
        live = commune_figures(communes, lessons, TODAY)
        province = db.session.get(Commune, communes[0]).province_id
        kept = kept_figures(communes, lessons, TODAY)
        for commune in communes:
            assert measures(kept[commune]) == measures(live[commune])
        total = province_figures([province], lessons, TODAY)[province]
        assert total.registered == sum(live[c].registered for c in communes)
        assert total.reached == sum(live[c].reached for c in communes)
        assert total.completions == sum(live[c].completions for c in communes)


def test_the_kept_figures_are_the_dashboards(app, world, communes):
    assert_kept(app, communes)
    with app.app_context():
        a = kept_figures(communes, course(app), TODAY)[communes[0]]
    # The hand count of tests/test_reports.py.
    assert (a.registered, a.reached, a.assisted) == (6, 5, 3)
    assert a.module("vneid").passed == 2


def test_a_rebuild_from_nothing_gives_the_same(app, world, communes):
    with app.app_context():
        refresh_flags(db.session.connection(), None)
        refresh_communes(db.session.connection(), None)
        db.session.commit()
    assert_kept(app, communes)


def test_a_step_seen_and_a_lesson_completed_count_at_once(app, world, communes):
    with app.app_context():
        em = db.session.get(Person, world["em"])
        em.see_step("vneid", 1, helper=db.session.get(Person, world["linh"]))
        em.complete_lesson("scam-calls")
        db.session.commit()
    assert_kept(app, communes)
    with app.app_context():  # Cúc finishes a quiz, then her score is corrected
        attempt = QuizAttempt(
            person_id=world["cuc"],
            lesson="vneid",
            language="vi",
            question_count=4,
            first_try_score=3,
            finished_at=datetime(2026, 11, 24, tzinfo=UTC),
        )
        db.session.add(attempt)
        db.session.commit()
        attempt.first_try_score = 4  # and then a corrected score
        db.session.commit()
    assert_kept(app, communes)


def test_a_guests_progress_moved_on_registration_counts_once(app, world, communes):
    with app.app_context():
        guest = db.session.get(Person, world["cuc"])
        member = make_person(db.session, "Chị Mai", communes[1])
        move_progress(guest, member)
        db.session.delete(guest)
        db.session.commit()
    assert_kept(app, communes)


def test_a_learner_deleted_from_my_data_leaves_the_figures(app, world, communes):
    with app.app_context():
        db.session.delete(db.session.get(Person, world["an"]))
        db.session.commit()
    assert_kept(app, communes)


def test_a_person_moved_to_another_commune_or_role_is_recounted(app, world, communes):
    with app.app_context():
        db.session.get(Person, world["binh"]).commune_id = communes[1]
        db.session.get(Person, world["linh"]).role = "trainer"
        db.session.commit()
    assert_kept(app, communes)
    with app.app_context():
        binh = db.session.scalar(select(Person).where(Person.id == world["binh"]))
        assert (binh.reached, binh.helped) == (True, True)


def test_two_people_registered_at_once_in_one_commune_both_count(
    app, communes, database_url
):
    """Two servers recounting one commune at the same moment take turns: neither
    fails on the other's fresh rows, and both people are counted."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time")
    failures: list[BaseException] = []

    def register(name: str) -> None:
        try:
            with app.app_context():
                make_person(db.session, name, communes[0])  # recounts the commune
                time.sleep(0.3)  # the other one recounts meanwhile
                db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    threads = [threading.Thread(target=register, args=(n,)) for n in ("An", "Bình")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    with app.app_context():
        totals = db.session.get(CommuneTotals, communes[0])
        assert totals.registered == 2
