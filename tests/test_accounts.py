"""Signing in for helpers, trainers and admins; tries limited in the database."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from models import Person, SignInAttempt, db

from .conftest import close, make_app
from .factories import make_person

PASSWORD = "correct horse battery"


@pytest.fixture
def helper(app, communes) -> int:
    return make_person(
        app,
        "Linh",
        communes[0],
        "helper",
        2003,
        email="linh@example.org",
        password=PASSWORD,
        phone="0900000001",
    )


def sign_in(client, login: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return client.post(
        "/sign-in",
        data={"login": login, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.mark.parametrize(
    "login", ["linh@example.org", "LINH@example.org", "0900 000 001"]
)
def test_a_helper_signs_in_with_email_or_phone(client, helper, login):
    response = sign_in(client, login)
    assert response.status_code == 303 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Đã đăng nhập:" in page and "Linh" in page
    client.post("/sign-out")
    assert "Đã đăng nhập:" not in client.get("/").get_data(as_text=True)


@pytest.mark.app_config(PASSWORD_HASH_METHOD="scrypt")
def test_the_password_is_kept_only_as_a_hash(app, helper):
    with app.app_context():
        stored = db.session.get(Person, helper).password_hash
    assert PASSWORD not in stored and stored.startswith("scrypt:")


def test_a_wrong_password_says_so_kindly_and_is_counted(client, helper, app):
    page = sign_in(client, "linh@example.org", "wrong password!!").get_data(
        as_text=True
    )
    assert "không khớp" in page
    with app.app_context():
        keys = set(db.session.scalars(select(SignInAttempt.key)))
    assert keys == {"account:linh@example.org", "address:10.0.0.1"}


def test_learners_cannot_sign_in_with_a_password(client, app, communes):
    with app.app_context():
        db.session.add(Person(name="Bà Nga", birth_year=1946, commune_id=communes[0]))
        db.session.commit()
    page = sign_in(client, "Bà Nga", "anything at all").get_data(as_text=True)
    assert "không khớp" in page


def test_tries_are_limited_per_account_even_with_the_right_password(
    client, helper, app
):
    limit = app.config["SIGN_IN_MAX_PER_ACCOUNT"]
    for number in range(limit):
        sign_in(client, "linh@example.org", "wrong", address=f"10.0.1.{number}")
    page = sign_in(client, "linh@example.org", address="10.0.2.1").get_data(
        as_text=True
    )
    assert "Bạn đã thử quá nhiều lần" in page
    assert "Đã đăng nhập:" not in client.get("/").get_data(as_text=True)


def test_tries_are_limited_per_address_across_accounts(client, helper, app):
    app.config["SIGN_IN_MAX_PER_ADDRESS"] = 3
    for number in range(3):
        sign_in(client, f"someone{number}@example.org", "wrong")
    page = sign_in(client, "linh@example.org").get_data(as_text=True)
    assert "Bạn đã thử quá nhiều lần" in page
    assert sign_in(client, "linh@example.org", address="10.9.9.9").status_code == 303


def test_the_count_is_shared_by_every_worker(app, helper):
    """Two app instances (two gunicorn workers) on one database see the same tries."""
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        for number in range(app.config["SIGN_IN_MAX_PER_ACCOUNT"]):
            address = f"10.3.0.{number}"
            sign_in(app.test_client(), "linh@example.org", "wrong", address=address)
        page = sign_in(other.test_client(), "linh@example.org", address="10.4.0.1")
        assert "Bạn đã thử quá nhiều lần" in page.get_data(as_text=True)
    finally:
        close(other)


def test_a_good_sign_in_forgets_the_accounts_failures(client, helper, app):
    sign_in(client, "linh@example.org", "wrong")
    sign_in(client, "linh@example.org")
    with app.app_context():
        count = select(func.count(SignInAttempt.id)).where(
            SignInAttempt.key == "account:linh@example.org"
        )
        assert db.session.scalar(count) == 0


def test_passwords_never_reach_the_logs(client, helper, caplog):
    with caplog.at_level(logging.DEBUG):
        sign_in(client, "linh@example.org", "wrong but secret words")
        sign_in(client, "linh@example.org")
    assert "wrong but secret words" not in caplog.text and PASSWORD not in caplog.text


def test_sign_in_never_redirects_off_site(client, helper):
    response = client.post(
        "/sign-in",
        data={
            "login": "linh@example.org",
            "password": PASSWORD,
            "next": "//evil.example",
        },
    )
    assert response.location == "/"


def test_users_create_makes_the_first_admin(runner, app, communes):
    code = "T-0101"
    result = runner.invoke(
        args=["users", "create", "--name", "Anh Hùng", "--commune", code,
              "--email", "Hung@Example.org"],
        input="a long enough password\na long enough password\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    with app.app_context():
        person = db.session.scalar(
            select(Person).where(Person.email == "hung@example.org")
        )
        assert person.role == "admin" and person.check_password(
            "a long enough password"
        )


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--commune", "NOPE", "--email", "a@b.org"],
            "long enough password",
            "no commune",
        ),
        (["--commune", "T-0101"], "long enough password", "give --email or --phone"),
        (
            ["--commune", "T-0101", "--email", "a@b.org"],
            "short",
            "at least 12 characters",
        ),
    ],
)
def test_users_create_explains_what_is_wrong(runner, communes, args, password, message):
    result = runner.invoke(
        args=["users", "create", "--name", "X", *args],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 1 and message in result.output


def test_users_create_refuses_a_login_already_used(runner, helper):
    result = runner.invoke(
        args=["users", "create", "--name", "Y", "--commune", "T-0101",
              "--phone", "0900.000.001"],
        input="another long password\nanother long password\n",
    )  # fmt: skip
    assert (
        result.exit_code == 1 and "already signs in with '0900000001'" in result.output
    )


def test_an_unknown_account_costs_the_same_hashing_as_a_known_one(
    client, helper, monkeypatch
):
    """Sign-in time does not tell which accounts exist: a hash is checked either way."""
    import services.accounts

    checked = []
    real = services.accounts.check_password_hash
    monkeypatch.setattr(
        services.accounts,
        "check_password_hash",
        lambda stored, password: checked.append(stored) or real(stored, password),
    )
    response = sign_in(client, "nobody@example.org")
    assert "không khớp" in response.get_data(as_text=True)
    assert len(checked) == 1
    method = client.application.config["PASSWORD_HASH_METHOD"]
    assert checked[0].startswith(method.split(":")[0] + ":")


def test_an_ipv6_network_counts_as_one_address(client, helper, app):
    """A phone takes new IPv6 addresses within its /64 at will: they share one count."""
    app.config["SIGN_IN_MAX_PER_ADDRESS"] = 3
    for number in range(3):
        address = f"2001:db8:5:6::{number + 1:x}"
        sign_in(client, f"someone{number}@example.org", "wrong", address=address)
    page = sign_in(client, "linh@example.org", address="2001:db8:5:6:ffff::9")
    assert "Bạn đã thử quá nhiều lần" in page.get_data(as_text=True)
    assert (
        sign_in(client, "linh@example.org", address="2001:db8:5:7::1").status_code
        == 303
    )
