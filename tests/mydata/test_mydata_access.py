"""Who may reach whose personal data."""

from __future__ import annotations

import pytest

from .conftest import rows_of, sign_in

PAGES = ["", "/export.csv", "/export.json", "/delete"]


def not_found_everywhere(client, person_id: int) -> None:
    for page in PAGES:
        response = client.get(f"/my-data/{person_id}{page}")
        assert response.status_code == 404, page
    assert client.post(f"/my-data/{person_id}/delete").status_code == 404


@pytest.mark.parametrize(
    ("login", "target"),
    [
        ("hung@example.org", "binh"),  # a trainer of A, a learner of B
        ("trang@example.org", "mai"),  # a trainer of B, a learner of A
        ("linh@example.org", "mai"),  # a helper, even in their own commune
        ("linh@example.org", "binh"),
        ("mai@example.org", "nga"),  # a learner changing the id
        ("hung@example.org", "helper"),  # only learners' data, not colleagues'
        ("hung@example.org", "admin"),
    ],
)
def test_no_one_reaches_data_that_is_not_theirs(app, world, login, target):
    client = sign_in(app.test_client(), login)
    not_found_everywhere(client, world[target])
    assert rows_of(app, world[target])["people"] == 1


def test_an_id_that_does_not_exist_is_not_found(app, world):
    trainer = sign_in(app.test_client(), "hung@example.org")
    not_found_everywhere(trainer, 999_999)


def test_a_guest_cannot_change_the_id(client, world, learner):
    with client.session_transaction() as session:
        guest = session["person_id"]
    for other in ("mai", "nga", "binh"):
        not_found_everywhere(client, world[other])
    assert client.get(f"/my-data/{guest}").status_code == 200  # their own


def test_an_admin_reaches_learners_of_every_commune(app, world):
    admin = sign_in(app.test_client(), "admin@example.org")
    for name in ("mai", "binh"):
        assert admin.get(f"/my-data/{world[name]}/export.json").status_code == 200
    not_found_everywhere(admin, world["trainer"])
