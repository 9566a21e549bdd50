"""Certificates: the rule that earns one (from hand-built progress rows), its codes, the
public check, who may see or print whose, and a course session's certificates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import segno
from sqlalchemy import delete, func, select

import reports.certificates as certificates
from content import Lesson
from models import (
    Certificate,
    CourseSession,
    LessonCompletion,
    Participant,
    Person,
    QuizAttempt,
    db,
)
from reports.certificates import (
    ASSISTED,
    SELF_STUDY,
    NotEarned,
    certificate_for,
    earned,
    earned_by_person,
    read_code,
    show_code,
)

from .factories import make_person, signed_in

CODE = re.compile(r"^[CFHJKMNPRTVX34679]{5}-[CFHJKMNPRTVX34679]{5}$")
CODE_ON_PAGE = re.compile(r'class="cert-code">([A-Z0-9-]+)<')
# The vneid quiz has 10 questions and the default pass mark, 75 %: 8 right passes, 7 not.
PASS, FAIL = 8, 7


def at(day: int, month: int = 1, hour: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


# --- Hand-built people and progress ----------------------------------------------------


def complete(app, person_id, when, helper_id=None, lesson="vneid") -> None:
    with app.app_context():
        db.session.add(
            LessonCompletion(
                person_id=person_id,
                lesson=lesson,
                completed_at=when,
                assisted=helper_id is not None,
                assisted_by_id=helper_id,
            )
        )
        db.session.commit()


def attempt(app, person_id, score, when, helper_id=None, lesson="vneid") -> None:
    """A finished quiz attempt of 10 questions with ``score`` right on the first try."""
    with app.app_context():
        db.session.add(
            QuizAttempt(
                person_id=person_id,
                lesson=lesson,
                language="vi",
                question_count=10,
                first_try_score=score,
                started_at=when,
                finished_at=when,
                assisted=helper_id is not None,
                assisted_by_id=helper_id,
            )
        )
        db.session.commit()


def earned_now(app, person_id) -> list:
    with app.app_context():
        person = db.session.get(Person, person_id)
        return earned(person, app.extensions["hocso_library"])


@pytest.fixture
def people(app, communes) -> dict[str, int]:
    """Learners, a helper and a trainer in each commune, and an admin."""
    ids = {}
    for index, commune in enumerate(communes):
        side = "ab"[index]
        ids[f"learner_{side}"] = make_person(app, f"Bà Nga {side}", commune, born=1946)
        ids[f"other_{side}"] = make_person(app, f"Ông Tâm {side}", commune, born=1950)
        for role in ("helper", "trainer"):
            ids[f"{role}_{side}"] = make_person(
                app, f"Linh {role} {side}", commune, role, 2000
            )
    ids["admin"] = make_person(app, "Quản trị", communes[0], "admin", 1980)
    return ids


def as_guest_learner(app, person_id: int):
    """The guest learner remembered in this browser (no sign-in), as /learner/start does."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["person_id"] = person_id
    return client


def self_study_vneid(app, person_id) -> None:
    complete(app, person_id, at(10, hour=18))
    attempt(app, person_id, PASS, at(9))


def certificate_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Certificate.id)))


# --- The rule ---------------------------------------------------------------------------


def test_completed_and_passed_alone_is_self_study(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    [found] = earned_now(app, learner)
    assert found.slug == "vneid" and found.title == "Cài đặt và dùng VNeID"
    assert found.mode == SELF_STUDY and found.helpers == []
    # The later of completion (10/1 18:00 UTC) and pass (9/1): 11/1 in Vietnam (UTC+7).
    assert found.earned_at == at(10, hour=18)
    assert found.date_text == "11/01/2025"
    assert (found.best_score, found.question_count) == (PASS, 10)


def test_an_assisted_completion_makes_it_assisted_and_names_the_helper(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(5), helper_id=helper)
    attempt(app, learner, 9, at(6))
    [found] = earned_now(app, learner)
    assert found.mode == ASSISTED
    assert found.helpers == ["Linh helper a"]
    assert found.date_text == "06/01/2025"
    assert found.best_score == 9


def test_a_completion_with_a_failed_quiz_earns_nothing(app, people):
    learner = people["learner_a"]
    complete(app, learner, at(5))
    attempt(app, learner, FAIL, at(6))
    assert earned_now(app, learner) == []


def test_a_passed_quiz_without_completing_the_lesson_earns_nothing(app, people):
    learner = people["learner_a"]
    attempt(app, learner, 10, at(6))
    assert earned_now(app, learner) == []


def test_an_unfinished_attempt_does_not_count(app, people):
    learner = people["learner_a"]
    complete(app, learner, at(5))
    with app.app_context():
        db.session.add(
            QuizAttempt(
                person_id=learner,
                lesson="vneid",
                language="vi",
                question_count=10,
                first_try_score=10,
            )
        )
        db.session.commit()
    assert earned_now(app, learner) == []


def test_learning_again_alone_later_makes_it_self_study_from_that_day(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1), helper_id=helper)
    attempt(app, learner, PASS, at(2), helper_id=helper)
    attempt(app, learner, FAIL, at(1, 2))  # alone, failed: not yet self-study
    [found] = earned_now(app, learner)
    assert (found.mode, found.date_text, found.helpers) == (
        ASSISTED,
        "02/01/2025",
        ["Linh helper a"],
    )
    complete(app, learner, at(3, 2))
    attempt(app, learner, PASS, at(5, 2))
    [found] = earned_now(app, learner)
    assert (found.mode, found.date_text, found.helpers) == (
        SELF_STUDY,
        "05/02/2025",
        [],
    )
    assert found.best_score == PASS


def test_completed_alone_but_passed_only_with_a_helper_is_assisted(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1))
    attempt(app, learner, FAIL, at(1))
    attempt(app, learner, 9, at(4), helper_id=helper)
    [found] = earned_now(app, learner)
    assert (found.mode, found.helpers, found.date_text) == (
        ASSISTED,
        ["Linh helper a"],
        "04/01/2025",
    )


def test_a_deleted_helper_is_not_named_but_it_stays_assisted(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(1), helper_id=helper)
    attempt(app, learner, PASS, at(1), helper_id=helper)
    with app.app_context():
        db.session.delete(db.session.get(Person, helper))
        db.session.commit()
    [found] = earned_now(app, learner)
    assert (found.mode, found.helpers) == (ASSISTED, [])


def test_several_modules_come_in_course_order(app, people):
    learner = people["learner_a"]
    for slug in ("strange-links", "vneid"):
        complete(app, learner, at(1), lesson=slug)
        attempt(app, learner, 10, at(1), lesson=slug)
    assert [e.slug for e in earned_now(app, learner)] == ["vneid", "strange-links"]


def test_a_lesson_without_a_quiz_needs_the_completion_alone(app, people):
    learner = people["learner_a"]
    with app.app_context():
        vneid = app.extensions["hocso_library"].get("vneid")
        no_quiz = Lesson("vneid", vneid.texts, {})
        assert earned_by_person([learner], [no_quiz])[learner] == []
    complete(app, learner, at(7))
    with app.app_context():
        [found] = earned_by_person([learner], [no_quiz])[learner]
    assert (found.mode, found.date_text, found.best_score) == (
        SELF_STUDY,
        "07/01/2025",
        None,
    )


# --- Codes ------------------------------------------------------------------------------


def test_a_code_is_made_on_first_print_and_stays_the_same(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    assert certificate_count(app) == 0
    client = as_guest_learner(app, learner)
    first = client.get(f"/certificates/{learner}/vneid")
    assert first.status_code == 200
    code = CODE_ON_PAGE.search(first.get_data(as_text=True)).group(1)
    assert CODE.match(code)
    again = client.get(f"/certificates/{learner}/vneid").get_data(as_text=True)
    assert CODE_ON_PAGE.search(again).group(1) == code
    with app.app_context():
        [stored] = db.session.scalars(select(Certificate)).all()
        assert stored.code == code.replace("-", "")
        assert (stored.person_id, stored.lesson) == (learner, "vneid")


def test_a_code_already_used_is_never_given_again(app, people, monkeypatch):
    for who in ("learner_a", "other_a"):
        self_study_vneid(app, people[who])
    made = iter(["CFHJKMNPRT", "CFHJKMNPRT", "VX34679CFH"])
    monkeypatch.setattr(certificates, "new_code", lambda _length: next(made))
    with app.app_context():
        first = certificate_for(db.session.get(Person, people["learner_a"]), "vneid")
        second = certificate_for(db.session.get(Person, people["other_a"]), "vneid")
        db.session.commit()
        assert (first.code, second.code) == ("CFHJKMNPRT", "VX34679CFH")
        assert show_code(second.code) == "VX346-79CFH"


def test_no_certificate_for_a_module_not_earned(app, people):
    learner = people["learner_a"]
    complete(app, learner, at(5))
    attempt(app, learner, FAIL, at(6))
    with app.app_context(), pytest.raises(NotEarned):
        certificate_for(db.session.get(Person, learner), "vneid")
    client = as_guest_learner(app, learner)
    assert client.get(f"/certificates/{learner}/vneid").status_code == 404
    assert client.get(f"/certificates/{learner}/practice").status_code == 404
    assert client.get(f"/certificates/{learner}/no-such-lesson").status_code == 404
    assert certificate_count(app) == 0


@pytest.mark.parametrize(
    "typed", ["KMN47-RTX9C", "kmn47rtx9c", " kmn47 rtx9c ", "KMN47–RTX9C"]
)
def test_a_typed_code_may_be_small_letters_with_or_without_dash(typed):
    assert read_code(typed) == "KMN47RTX9C"


@pytest.mark.parametrize("typed", ["KMN47-RTX9", "KMN47-RTX9CC", "AAAAA-AAAAA", ""])
def test_what_cannot_be_a_code_is_refused(typed):
    assert read_code(typed) is None


# --- The printed certificate -------------------------------------------------------------


def test_the_certificate_says_who_what_how_when_and_how_to_check_it(app, people):
    learner, helper = people["learner_a"], people["helper_a"]
    complete(app, learner, at(5), helper_id=helper)
    attempt(app, learner, 9, at(6))
    app.config["PUBLIC_URL"] = "https://hocso.example.vn/"
    response = as_guest_learner(app, learner).get(f"/certificates/{learner}/vneid")
    page = response.get_data(as_text=True)
    assert "Bình dân học vụ số" in page and "Giấy chứng nhận" in page
    assert "Bà Nga a" in page and "Sinh năm 1946 · Xã Một, Tỉnh Thử" in page
    assert "Cài đặt và dùng VNeID" in page
    assert "Có người hỗ trợ: Linh helper a" in page
    assert "Ngày: 06/01/2025" in page
    assert "đúng 9/10 câu ngay lần đầu" in page
    code = CODE_ON_PAGE.search(page).group(1)
    assert "hoặc mở hocso.example.vn/verify và gõ mã" in page
    assert qr_of(f"https://hocso.example.vn/verify/{code}") in page
    assert response.headers["Cache-Control"] == "no-store"


def qr_of(url: str) -> str:
    """The QR code the page must show for ``url``, drawn as the app draws it."""
    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="qr-code"
    )


def test_without_public_url_the_qr_code_links_to_the_address_asked_for(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    client = as_guest_learner(app, learner)
    page = client.get(f"/certificates/{learner}/vneid").get_data(as_text=True)
    code = CODE_ON_PAGE.search(page).group(1)
    assert qr_of(f"http://localhost/verify/{code}") in page
    assert "mở localhost/verify và gõ mã" in page


def test_my_certificates_lists_what_is_earned_and_what_is_not_yet(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    page = as_guest_learner(app, learner).get("/certificates/").get_data(as_text=True)
    assert f'href="/certificates/{learner}/vneid"' in page
    assert "Tự học" in page and "Ngày: 11/01/2025" in page
    assert "Thanh toán bằng mã QR" in page  # a module not earned yet is named
    assert page.count('href="/certificates/') == 1


def test_a_visitor_is_asked_to_say_who_is_learning(client, communes):
    page = client.get("/certificates/").get_data(as_text=True)
    assert "/learner/start?next=/certificates/" in page


def test_the_progress_page_links_the_certificate_of_an_earned_module(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    page = as_guest_learner(app, learner).get("/progress").get_data(as_text=True)
    assert page.count(f'href="/certificates/{learner}/') == 1
    assert f'href="/certificates/{learner}/vneid"' in page


# --- The public check -------------------------------------------------------------------


def printed_code(app, person_id: int, slug: str = "vneid") -> str:
    page = (
        as_guest_learner(app, person_id)
        .get(f"/certificates/{person_id}/{slug}")
        .get_data(as_text=True)
    )
    return CODE_ON_PAGE.search(page).group(1)


def test_the_public_page_confirms_a_valid_certificate(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    code = printed_code(app, learner)
    response = app.test_client().get(f"/verify/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Giấy chứng nhận hợp lệ" in page
    for shown in ("Bà Nga a", "Xã Một, Tỉnh Thử", "Cài đặt và dùng VNeID", "Tự học"):
        assert shown in page
    assert "11/01/2025" in page and code in page
    assert "1946" not in page  # no year of birth in public
    assert '<meta name="robots" content="noindex">' in page


def test_the_form_accepts_the_code_as_people_type_it(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    code = printed_code(app, learner)
    client = app.test_client()
    form = client.get("/verify").get_data(as_text=True)
    assert 'name="code"' in form and 'method="get"' in form
    assert '<meta name="robots" content="noindex">' in form
    typed = " " + code.replace("-", " ").lower()
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 303
    assert response.location == f"/verify/{code}"
    assert client.get(f"/verify/{code.replace('-', '').lower()}").status_code == 200


def test_an_unknown_code_is_not_found(app, people):
    client = app.test_client()
    for url in ["/verify/CFHJK-MNPRT", "/verify/hello", "/verify?code=not+a+code"]:
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 404, url
        assert "Không tìm thấy giấy chứng nhận với mã này" in page
    response = client.get("/verify?code=")
    assert response.status_code == 200
    assert "Xin gõ mã in trên giấy chứng nhận" in response.get_data(as_text=True)


def test_a_certificate_whose_learner_was_deleted_is_not_found(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    code = printed_code(app, learner)
    client = as_guest_learner(app, learner)
    assert client.post("/my-data/delete").status_code in (302, 303)
    response = app.test_client().get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Bà Nga a" not in response.get_data(as_text=True)
    assert certificate_count(app) == 0


def test_a_certificate_no_longer_earned_is_not_valid(app, people):
    learner = people["learner_a"]
    self_study_vneid(app, learner)
    code = printed_code(app, learner)
    with app.app_context():
        db.session.execute(
            delete(LessonCompletion).where(LessonCompletion.person_id == learner)
        )
        db.session.commit()
    page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "không còn hợp lệ" in page
    assert "Giấy chứng nhận hợp lệ" not in page and "Bà Nga a" not in page


# --- Who may see whose ------------------------------------------------------------------


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


# --- A course session's certificates ----------------------------------------------------


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
