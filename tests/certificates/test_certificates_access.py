"""Who may see or print whose certificates, and a course session's certificates."""

from __future__ import annotations

from datetime import date

import pytest

from models import (
    CourseSession,
    Participant,
    db,
)

from ..factories import signed_in
from .conftest import (
    CODE_ON_PAGE,
    PASS,
    as_guest_learner,
    at,
    attempt,
    certificate_count,
    complete,
    self_study_vneid,
)


def test_learners_see_only_their_own(app, people):
    learner, other = people["learner_a"], people["other_a"]
    self_study_vneid(app, other)
    guest, card_holder = as_guest_learner(app, learner), signed_in(app, learner)
    for client in (guest, card_holder, app.test_client()):
        assert client.get(f"/certificates/{other}/vneid").status_code == 404
    assert card_holder.get(f"/people/{other}/certificates").status_code == 404
    staff_page = guest.get(f"/people/{other}/certificates")  # staff only: sign in first
    assert staff_page.status_code == 302 and "/sign-in" in staff_page.location
    assert certificate_count(app) == 0


@pytest.mark.parametrize("role", ["helper", "trainer"])
def test_staff_see_the_certificates_of_their_commune(app, people, role):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    client = signed_in(app, people[f"{role}_a"])
    page = client.get(f"/people/{learner}/certificates").get_data(as_text=True)
    assert "Bà Nga a" in page and f'href="/certificates/{learner}/vneid"' in page
    assert client.get(f"/certificates/{learner}/vneid").status_code == 200


@pytest.fixture
def courses(app, people, communes) -> dict[str, int]:
    """A session in each commune, on vneid and qr-payment, with its commune's learners."""
    ids = {}
    with app.app_context():
        for index, commune in enumerate(communes):
            side = "ab"[index]
            course = CourseSession(
                commune_id=commune,
                held_on=date(2025, 3, 1),
                place=f"Nhà văn hóa {side}",
                modules=["vneid", "qr-payment"],
            )
            course.participants = [
                Participant(person_id=people[f"{who}_{side}"])
                for who in ("learner", "other")
            ]
            db.session.add(course)
            db.session.commit()
            ids[side] = course.id
    return ids


@pytest.mark.parametrize("role", ["learner", "helper", "trainer"])
def test_nobody_of_commune_a_reaches_commune_b(app, people, courses, role):
    learner_b = people["learner_b"]
    self_study_vneid(app, learner_b)
    client = signed_in(app, people[f"{role}_a"])
    for url in [
        f"/certificates/{learner_b}/vneid",
        f"/people/{learner_b}/certificates",
        f"/sessions/{courses['b']}/certificates",
    ]:
        assert client.get(url).status_code == 404, (role, url)
    assert certificate_count(app) == 0


def test_an_admin_reaches_every_commune(app, people, courses):
    learner_b = people["learner_b"]
    self_study_vneid(app, learner_b)
    client = signed_in(app, people["admin"])
    assert client.get(f"/certificates/{learner_b}/vneid").status_code == 200
    assert client.get(f"/sessions/{courses['b']}/certificates").status_code == 200


def test_helpers_cannot_print_a_whole_session(app, people, courses):
    client = signed_in(app, people["helper_a"])
    assert client.get(f"/sessions/{courses['a']}/certificates").status_code == 404
    visitor = app.test_client().get(f"/sessions/{courses['a']}/certificates")
    assert visitor.status_code == 302 and "/sign-in" in visitor.location


def test_a_session_prints_every_certificate_and_names_who_has_not_finished(
    app, people, courses
):
    nga, tam = people["learner_a"], people["other_a"]
    for slug in ("vneid", "qr-payment"):
        complete(app, nga, at(1, 3), lesson=slug)
        attempt(app, nga, 10, at(1, 3), lesson=slug)
    complete(app, tam, at(1, 3), helper_id=people["helper_a"])
    attempt(app, tam, PASS, at(1, 3))
    client = signed_in(app, people["trainer_a"])
    response = client.get(f"/sessions/{courses['a']}/certificates")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 giấy chứng nhận cho 2 người" in page
    assert "1 người chưa hoàn thành:" in page
    assert "Ông Tâm a (Thanh toán bằng mã QR)" in page
    assert page.count('<article class="certificate"') == 3
    assert "Có người hỗ trợ: Linh helper a" in page
    assert certificate_count(app) == 3
    again = client.get(f"/sessions/{courses['a']}/certificates").get_data(as_text=True)
    assert sorted(CODE_ON_PAGE.findall(again)) == sorted(CODE_ON_PAGE.findall(page))
    assert certificate_count(app) == 3


def test_a_session_where_nobody_has_finished_says_so(app, people, courses):
    client = signed_in(app, people["trainer_a"])
    page = client.get(f"/sessions/{courses['a']}/certificates").get_data(as_text=True)
    assert "0 giấy chứng nhận cho 0 người" in page
    assert "2 người chưa hoàn thành:" in page
    assert "Bà Nga a" in page and "Ông Tâm a" in page
    assert '<article class="certificate"' not in page
