"""Certificate codes and the public check of a typed code."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

import reports.certificates as certificates
from models import (
    Certificate,
    LessonCompletion,
    Person,
    db,
)
from reports.certificates import (
    NotEarned,
    certificate_for,
    read_code,
    show_code,
)

from .conftest import (
    CODE_ON_PAGE,
    FAIL,
    as_guest_learner,
    at,
    attempt,
    certificate_count,
    complete,
    printed_code,
    self_study_vneid,
)

CODE = re.compile(r"^[CFHJKMNPRTVX34679]{5}-[CFHJKMNPRTVX34679]{5}$")


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
