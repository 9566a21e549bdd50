"""Learners who never did anything: a commune's trainers see them page by page and
remove those they tick, after a confirmation; someone active is never removed, even
if posted; the commune's figures stay right."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select

from models import (
    AssistSession,
    Certificate,
    CourseSession,
    LearnerCard,
    Participant,
    Person,
    StepView,
    db,
)
from services import never_active

from .factories import make_person, signed_in
from .report_world import build_world
from .test_province_figures import assert_kept


@pytest.fixture
def world(app, communes) -> dict[str, int]:
    """The report world (Em: registered only; everyone else active), and in commune A
    two more never-active learners, and learners whose one trace is a card, a place
    in a course session, a helper's session or a certificate, and an account."""
    ids = build_world(app, communes)
    a = communes[0]
    with app.app_context():
        for key, name in (("old", "Ông Sáu"), ("new", "Bà Bảy")):
            ids[key] = make_person(db.session, name, a).id
        traced = {
            key: make_person(db.session, f"Có {key}", a).id
            for key in ("card", "session", "assist", "certificate")
        }
        ids["account"] = make_person(
            db.session, "Chị Tám", a, email="tam@example.org", password="x" * 12
        ).id
        course = CourseSession(
            commune_id=a, held_on=date(2026, 12, 5), place="Nhà văn hóa", modules=[]
        )
        db.session.add(course)
        db.session.flush()
        db.session.add_all(
            [
                LearnerCard(person_id=traced["card"], token_hash="t", code_hash="c"),
                Participant(session_id=course.id, person_id=traced["session"]),
                AssistSession(helper_id=ids["linh"], learner_id=traced["assist"]),
                Certificate(
                    person_id=traced["certificate"], lesson="vneid", code="ABCD"
                ),
            ]
        )
        db.session.commit()
    ids.update(traced)
    return ids


@pytest.fixture
def trainer(app, communes):
    return signed_in(app, make_person(app, "Anh Hùng", communes[0], role="trainer"))


NAMES = {
    "Hoàng Thị Em": "Em",
    "Ông Sáu": "Ông Sáu",
    "Bà Bảy": "Bà Bảy",
    "Nguyễn Văn An": "An",
    "Chị Tám": "Chị Tám",
    "Đỗ Thùy Linh": "Linh",
    "Có card": "card",
    "Có session": "session",
    "Có assist": "assist",
    "Có certificate": "certificate",
}


def listed(page: str) -> set[str]:
    """Who the page lists among the people of the world."""
    return {
        short for name, short in NAMES.items() if f"<strong>{name}</strong>" in page
    }


def alive(app, *ids: int) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Person.id).where(Person.id.in_(ids))))


def test_the_list_holds_only_learners_who_did_nothing(app, world, communes, trainer):
    page = trainer.get(f"/communes/{communes[0]}/never-active").get_data(as_text=True)
    assert "Người học chưa học gì" in page
    assert listed(page) == {"Em", "Ông Sáu", "Bà Bảy"}
    assert "3 người học chưa học gì." in page
    assert 'name="csrf_token"' in page and 'name="learner"' in page
    dashboard = trainer.get(f"/communes/{communes[0]}").get_data(as_text=True)
    assert f'href="/communes/{communes[0]}/never-active"' in dashboard


def test_removing_asks_first_then_removes_only_the_ones_ticked(
    app, world, communes, trainer
):
    url = f"/communes/{communes[0]}/never-active/remove"
    ticked = {"learner": [world["old"], world["new"]]}
    confirm = trainer.post(url, data=ticked)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Ông Sáu" in page and "Bà Bảy" in page
    assert "Đã xóa thì không lấy lại được." in page
    assert alive(app, world["old"], world["new"]) == {world["old"], world["new"]}
    done = trainer.post(url, data=ticked | {"confirm": "1"})
    assert done.status_code == 303
    assert alive(app, world["old"], world["new"], world["em"]) == {world["em"]}
    assert "Đã xóa 2 người học" in trainer.get(done.location).get_data(as_text=True)
    assert_kept(app, communes)


def test_someone_active_is_never_removed_even_if_posted(app, world, communes, trainer):
    active = [world[k] for k in ("an", "dung", "card", "session", "assist")]
    active += [world["certificate"], world["account"], world["linh"]]
    url = f"/communes/{communes[0]}/never-active/remove"
    refused = trainer.post(url, data={"learner": active})
    assert refused.status_code == 400
    assert "Xin đánh dấu" in refused.get_data(as_text=True)
    done = trainer.post(url, data={"learner": [*active, world["em"]], "confirm": "1"})
    assert done.status_code == 303
    assert alive(app, *active, world["em"]) == set(active)
    assert_kept(app, communes)


def test_a_learner_who_starts_before_the_confirmation_is_kept(
    app, world, communes, trainer
):
    url = f"/communes/{communes[0]}/never-active/remove"
    ticked = {"learner": [world["old"], world["new"]]}
    assert trainer.post(url, data=ticked).status_code == 200
    with app.app_context():  # Ông Sáu opens a step while the trainer reads
        db.session.get(Person, world["old"]).see_step("vneid", 1)
        db.session.commit()
    done = trainer.post(url, data=ticked | {"confirm": "1"})
    page = trainer.get(done.location).get_data(as_text=True)
    assert "Đã xóa 1 người học" in page and "1 người không bị xóa" in page
    assert alive(app, world["old"], world["new"]) == {world["old"]}
    assert_kept(app, communes)


def test_another_communes_learners_are_not_removed_from_here(
    app, world, communes, trainer
):
    other = make_person(app, "Bà Chín", communes[1])
    url = f"/communes/{communes[0]}/never-active/remove"
    trainer.post(url, data={"learner": [other], "confirm": "1"})
    assert alive(app, other) == {other}


def test_pages_of_a_ten_thousand_learner_commune(app, communes, trainer, monkeypatch):
    """Two statements for the list, whatever the commune's size; newest first."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.session.execute(
            insert(Person),
            [
                {
                    "name": f"Người {n:05}",
                    "birth_year": 1950,
                    "commune_id": communes[0],
                    "role": "learner",
                    "created_at": start + timedelta(minutes=n),
                    "reached": n % 2 == 1,
                }
                for n in range(10_000)
            ],
        )
        odd = select(Person.id).where(Person.reached)
        db.session.execute(
            insert(StepView).from_select(
                ["person_id", "lesson", "step"],
                select(odd.subquery().c.id, func.cast("vneid", db.String), 1),
            )
        )
        db.session.commit()
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    url = f"/communes/{communes[0]}/never-active"
    trainer.get(url)  # the page's templates compiled, the trainer's row cached
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = trainer.get(f"{url}?page=2").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    per_page = never_active.PAGE_SIZE
    assert "5000 người học chưa học gì." in page
    assert f"Trang 2 / {5000 // per_page}" in page or "Trang 2" in page
    newest_of_page_2 = 9_998 - 2 * per_page  # even numbers only, newest first
    assert f"Người {newest_of_page_2:05}" in page
    assert f"Người {newest_of_page_2 + 1:05}" not in page
    assert page.count('name="learner"') == per_page
    assert len(statements) <= 5, statements  # the trainer, the commune, count, page
