"""SECRET_KEY: one shared key wherever several servers may run; and who the visitor is
when nginx stands in front."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import SharedKeyMissing, create_app

from .conftest import own_library
from .factories import PASSWORD

POSTGRES = "postgresql+psycopg://hocso:do-not-show@db.example.invalid/hocso"


def settings(database: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": database, "HOCSO_LIBRARY": own_library()}


def test_postgresql_without_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(SharedKeyMissing) as refused:
        create_app(settings(POSTGRES))
    message = str(refused.value)
    assert "SECRET_KEY is not set" in message
    assert "the same on every server" in message
    assert "secrets.token_hex(32)" in message
    assert "do-not-show" not in message and "db.example.invalid" in message


def test_postgresql_with_secret_key_in_the_environment_starts(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "one key for every server")
    app = create_app(settings(POSTGRES))
    assert app.config["SECRET_KEY"] == "one key for every server"


def test_sqlite_without_secret_key_keeps_one_in_instance(monkeypatch):
    """`make run`: one machine, so a key generated once into instance/ is enough."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app(settings("sqlite://"))
    again = create_app(settings("sqlite://"))
    kept = (Path(first.instance_path) / "secret_key").read_text().strip()
    assert len(kept) >= 32
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"] == kept


def sign_in(client, address: str, *, forwarded: str):
    return client.post(
        "/sign-in",
        data={"login": "nobody@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": address},
        headers={"X-Forwarded-For": forwarded},
    )


def blocked(response) -> bool:
    return "Too many tries" in response.get_data(as_text=True)


@pytest.mark.parametrize("proxies", [0, 1])
def test_sign_in_limit_per_address_counts_the_visitor_behind_nginx(
    content_app, proxies
):
    """HOCSO_PROXIES=1 believes nginx's X-Forwarded-For; without it, a forged header
    sent straight to gunicorn changes nothing."""
    app = content_app(
        HOCSO_PROXIES=proxies,
        SIGN_IN_MAX_PER_ADDRESS=2,
        SIGN_IN_MAX_PER_ACCOUNT=100,
    )
    client = app.test_client()
    client.post("/language", data={"language": "en"})
    for _ in range(2):
        assert not blocked(sign_in(client, "127.0.0.1", forwarded="203.0.113.7"))
    third_from_same = sign_in(client, "127.0.0.1", forwarded="203.0.113.7")
    from_another = sign_in(client, "127.0.0.1", forwarded="198.51.100.9")
    assert blocked(third_from_same)
    assert blocked(from_another) is (proxies == 0)
