"""Who may help whom: visitors, learners, and staff against a second commune."""

from __future__ import annotations

import pytest

from models import (
    Person,
    StepView,
    db,
)

from ..factories import login_as
from .conftest import (
    PASSWORD,
    email_of,
    open_sessions,
    person_named,
    register,
    rows,
    signed_in_client,
    start_helping,
)


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/help/"), ("post", "/help/start"), ("post", "/help/register"),
     ("post", "/help/end")],
)  # fmt: skip
def test_visitors_are_asked_to_sign_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.location == "/sign-in?next=/help/"


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/help/"), ("post", "/help/start"), ("post", "/help/register"),
     ("post", "/help/end")],
)  # fmt: skip
def test_learners_find_nothing_there(app, client, make_person, communes, method, url):
    learner = make_person("Bà Nga", communes[0])
    login_as(client, learner)
    assert "Bà Nga" in client.get("/progress").get_data(as_text=True)
    assert getattr(client, method)(url).status_code == 404


def test_a_guest_learner_is_only_a_visitor(client, learner):
    assert client.get("/help/").status_code == 302


def test_the_sign_in_leads_back_to_the_help_page(client, helper, app):
    response = client.post(
        "/sign-in?next=/help/",
        data={"login": email_of(app, helper), "password": PASSWORD},
    )
    assert response.location == "/help/"
    assert "Giúp một người học" in client.get("/help/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["helper", "trainer"])
def test_no_one_acts_on_another_commune(app, make_person, communes, role):
    ours, theirs = communes
    staff = make_person("Người của xã Một", ours, role=role)
    stranger = make_person("Phạm Thị Hoa", theirs)
    client = signed_in_client(app, staff)
    assert start_helping(client, stranger).status_code == 404
    assert register(client, theirs, "Bà Mới").status_code == 404
    assert client.get(f"/help/?commune={theirs}").status_code == 404
    page = client.get("/help/?name=hoa").get_data(as_text=True)
    assert "Phạm Thị Hoa" not in page
    assert person_named(app, "Bà Mới") is None
    assert open_sessions(app, staff) == []


@pytest.mark.parametrize("learner_id", [0, 999_999, None])
def test_an_unknown_learner_is_not_found(helper_client, learner_id):
    data = {} if learner_id is None else {"learner": learner_id}
    assert helper_client.post("/help/start", data=data).status_code == 404


def test_only_learners_can_be_helped(app, helper_client, make_person, communes):
    trainer = make_person("Anh Hùng", communes[0], role="trainer")
    assert start_helping(helper_client, trainer).status_code == 404


def test_a_trainer_helps_in_every_commune_assigned_to_them(app, make_person, communes):
    trainer = make_person("Anh Hùng", communes[0], role="trainer")
    with app.app_context():
        from models import Commune

        person = db.session.get(Person, trainer)
        person.communes.append(db.session.get(Commune, communes[1]))
        db.session.commit()
    hoa = make_person("Phạm Thị Hoa", communes[1])
    client = signed_in_client(app, trainer)
    page = client.get("/help/").get_data(as_text=True)
    assert "Phạm Thị Hoa" in page and 'name="commune"' in page  # a choice of two
    assert start_helping(client, hoa).status_code == 303
    assert register(client, communes[1], "Bà Mới").status_code == 303
    assert person_named(app, "Bà Mới").commune_id == communes[1]


def test_an_admin_helps_everywhere(app, make_person, communes):
    admin = make_person("Quản trị", communes[0], role="admin")
    hoa = make_person("Phạm Thị Hoa", communes[1])
    client = signed_in_client(app, admin)
    page = client.get(f"/help/?commune={communes[1]}").get_data(as_text=True)
    assert "Phạm Thị Hoa" in page
    assert start_helping(client, hoa).status_code == 303
    client.get("/lessons/vneid/steps/1")
    (view,) = rows(app, StepView, hoa)
    assert view.assisted_by_id == admin
    assert register(client, communes[1], "Bà Mới").status_code == 303
    assert person_named(app, "Bà Mới").commune_id == communes[1]
