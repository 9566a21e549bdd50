"""Fixtures: a fresh app per test on SQLite and, when it answers, on PostgreSQL too."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import MetaData, create_engine, select

from app import create_app
from models import Answer, Commune, Person, Province, QuizAttempt, db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, or the local PostgreSQL if it answers on 127.0.0.1:5432."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=0.5).close()
    except OSError:
        return None
    return DEFAULT_POSTGRES


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str | None]:
    """PostgreSQL, in a schema of this test run's own (dropped at the end), so two runs
    at once, or tables left by another version of the code, never get in the way."""
    url = postgres_url()
    if url is None:
        yield None
        return
    schema = f"hocso_test_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, postgres_schema_url) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    if postgres_schema_url is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(
                "REQUIRE_POSTGRES=1 but PostgreSQL does not answer on 127.0.0.1:5432"
            )
        pytest.skip("PostgreSQL does not answer (set TEST_DATABASE_URL to run these)")
    return postgres_schema_url


def make_app(database_url: str, tmp_path: Path | None, fresh: bool = True, **config):
    """An app on ``database_url``; ``fresh`` empties the database first."""
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test",
    } | config
    app = create_app(settings)
    if fresh:
        with app.app_context():
            # Drop every table there is, not only ours: a run of another version of
            # the code may have left tables these models do not know.
            existing = MetaData()
            existing.reflect(db.engine)
            existing.drop_all(db.engine)
            db.create_all()
    return app


def close(app) -> None:
    """Let go of the app's database connections (PostgreSQL keeps them otherwise)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def content_app(database_url, tmp_path) -> Iterator[Callable[..., Flask]]:
    """``content_app(root, **config)``: an app serving ``root``, closed after the test."""
    built: list[Flask] = []

    def build(root: Path | None = None, **config) -> Flask:
        if root is not None:
            config["CONTENT_ROOT"] = str(root)
        app = make_app(database_url, tmp_path, **config)
        built.append(app)
        return app

    yield build
    for app in built:
        close(app)


@pytest.fixture
def app(content_app) -> Flask:
    """The app serving HọcSố's own lessons and quizzes."""
    return content_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def communes(app) -> list[int]:
    """Two communes of one province; returns their ids."""
    with app.app_context():
        province = Province(code="T-01", name="Tỉnh Thử")
        first = Commune(code="T-0101", name="Xã Một", province=province)
        second = Commune(code="T-0102", name="Phường Hai", province=province)
        db.session.add_all([province, first, second])
        db.session.commit()
        return [first.id, second.id]


@pytest.fixture
def learner(client, communes) -> int:
    """Register a learner through the form, as a helper would; returns their id."""
    response = client.post(
        "/learner/start",
        data={"name": "Bà Nga", "birth_year": "1946", "commune": communes[0]},
    )
    assert response.status_code == 303
    with client.application.app_context():
        return db.session.scalar(select(Person.id).where(Person.name == "Bà Nga"))


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


# --- Answering a quiz through the test client --------------------------------------------


def start_quiz(client, slug: str = "vneid") -> str:
    """Start the quiz of lesson ``slug``; returns the first question's URL."""
    response = client.post(f"/lessons/{slug}/quiz/start")
    assert response.status_code == 303
    return response.location


def token_in(page: str) -> str:
    """The one-time ``token`` of the answer form on a question page."""
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def answer_token(client, url: str) -> str:
    """Open the question at ``url`` and return its answer form's one-time ``token``."""
    return token_in(client.get(url).get_data(as_text=True))


def stored_answers(app, *fields: str, learner: str | None = None) -> list[tuple]:
    """Stored answers, oldest first, as (response, correct) or ``fields``; only ``learner``'s."""
    query = select(Answer).order_by(Answer.id)
    if learner is not None:
        query = (
            query.join(QuizAttempt)
            .join(Person, QuizAttempt.person_id == Person.id)
            .where(Person.name == learner)
        )
    fields = fields or ("response", "correct")
    with app.app_context():
        return [
            tuple(getattr(answer, field) for field in fields)
            for answer in db.session.scalars(query)
        ]
