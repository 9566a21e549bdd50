"""Fixtures: an app per test on SQLite and, when it answers, on PostgreSQL too.

What is dear is built once per test session (per xdist worker) and shared: HọcSố's
own content library, and on each database the schema the migrations make (which
tests the migrations too). Each test then starts from empty tables: its own copy of
the migrated SQLite file, or the PostgreSQL schema's tables emptied.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Engine

from app import create_app
from content import Library
from models import Answer, Person, QuizAttempt, db

from .factories import make_communes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgresql+psycopg://127.0.0.1:5432/test"
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test",
    # One round instead of scrypt's deliberate slowness: these tests are about who
    # may do what, not about password strength (those few mark app_config).
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}


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


@functools.cache
def own_library() -> Library:
    """HọcSố's own lessons and quizzes, read once per process (parsing is slow)."""
    app = create_app(TEST_CONFIG | {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.extensions["hocso_library"]


SAMPLE_DRILLS = ROOT / "tests" / "samples" / "drills"


@functools.cache
def drill_root() -> Path:
    """HọcSố's lessons and quizzes with the test drill banks (tests/samples/drills:
    vneid and scam-calls), as a content folder: the real banks are written apart."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="hocso-drills-"))
    for name, target in [
        ("lessons", ROOT / "lessons"),
        ("quizzes", ROOT / "quizzes"),
        ("drills", SAMPLE_DRILLS),
    ]:
        (root / name).symlink_to(target)
    return root


@functools.cache
def drill_library() -> Library:
    """The library of ``drill_root()``, read once per process."""
    app = create_app(
        TEST_CONFIG
        | {"SQLALCHEMY_DATABASE_URI": "sqlite://", "CONTENT_ROOT": str(drill_root())}
    )
    library = app.extensions["hocso_library"]
    assert not library.problems, library.problems
    return library


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole process, so each test's new app need not
    parse and compile them again (Jinja checks each template's source has not changed)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()


@event.listens_for(Engine, "connect")
def _sqlite_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """A test's database is thrown away after it: no need to sync every commit."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def make_app(database_url: str, **config) -> Flask:
    """An app on ``database_url``; HọcSố's own content unless CONTENT_ROOT is given."""
    settings = TEST_CONFIG | {"SQLALCHEMY_DATABASE_URI": database_url} | config
    if "CONTENT_ROOT" not in config:
        settings["HOCSO_LIBRARY"] = own_library()
    app = create_app(settings)
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


def close(app) -> None:
    """Let go of the app's database connections (PostgreSQL keeps them otherwise)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def logging_kept() -> Iterator[None]:
    """Undo what migrations/env.py's fileConfig does to logging (levels, handlers)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logger.level for name, logger in named_loggers()}
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, logger in named_loggers():
            logger.setLevel(levels.get(name, logging.NOTSET))


def named_loggers() -> list[tuple[str, logging.Logger]]:
    """Every logger made so far, by name (not the placeholders between them)."""
    loggers = logging.root.manager.loggerDict.items()
    return [(name, lg) for name, lg in loggers if isinstance(lg, logging.Logger)]


def migrate(database_url: str) -> None:
    """Build the schema on ``database_url`` with the migrations."""
    app = make_app(database_url)
    try:
        with app.app_context(), logging_kept():
            upgrade()
    finally:
        close(app)


def deletion_order(engine: Engine) -> list[str]:
    """The tables of ``engine``'s schema, those that point at others first."""
    present = set(inspect(engine).get_table_names()) - {"alembic_version"}
    known = [table.name for table in reversed(db.metadata.sorted_tables)]
    unknown = sorted(present - set(known))
    return unknown + [name for name in known if name in present]


@pytest.fixture(scope="session")
def library() -> Library:
    """HọcSố's own lessons and quizzes, as every app of this test session serves them."""
    return own_library()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file the migrations have built, for each test to copy."""
    path = tmp_path_factory.mktemp("schema") / "migrated.db"
    migrate(f"sqlite:///{path}")
    return path


def sqlite_copy(template: Path, path: Path) -> str:
    """A database at ``path`` with the migrated schema and no rows; returns its URL."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def in_schema(url: str, schema: str) -> str:
    """``url`` with ``schema`` first on PostgreSQL's search path."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def reset_schema(engine: Engine, schema: str, create: bool = True) -> None:
    """Drop ``schema`` with all it holds and, unless told not to, make it anew."""
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if create:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')


class Postgres:
    """This process's two PostgreSQL schemas: one the migrations built, one empty.

    Their names hold the process id, so two runs or xdist workers at once, or tables
    left by another version of the code, never get in the way.
    """

    def __init__(self, server_url: str) -> None:
        self.server = create_engine(server_url)
        self.schema = f"hocso_test_{os.getpid()}"
        self.empty_schema = f"{self.schema}_empty"
        for schema in (self.schema, self.empty_schema):
            reset_schema(self.server, schema)
        self.url = in_schema(server_url, self.schema)
        self.empty_url = in_schema(server_url, self.empty_schema)
        migrate(self.url)
        self.engine = create_engine(self.url)
        # DELETE and a restart of each id counter take about 3 ms; one TRUNCATE …
        # RESTART IDENTITY CASCADE of every table takes about 60 ms (16 tables).
        self.statements = [f'DELETE FROM "{t}"' for t in deletion_order(self.engine)]
        with self.engine.connect() as connection:
            sequences = connection.exec_driver_sql(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema()"
            ).scalars()
            self.statements += [f'ALTER SEQUENCE "{s}" RESTART' for s in sequences]

    def emptied(self) -> str:
        """The migrated schema with every table emptied and every id counter reset."""
        with self.engine.begin() as connection:
            # Fail, not hang, if a test left a connection holding a table.
            connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            for statement in self.statements:
                connection.exec_driver_sql(statement)
        return self.url

    def empty(self) -> str:
        """A schema with no tables at all, for tests of the migrations themselves."""
        reset_schema(self.server, self.empty_schema)
        return self.empty_url

    def drop(self) -> None:
        """Drop both schemas and let go of every connection."""
        self.engine.dispose()
        for schema in (self.schema, self.empty_schema):
            reset_schema(self.server, schema, create=False)
        self.server.dispose()


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[Postgres | None]:
    """PostgreSQL, migrated once for this process; None when it does not answer."""
    url = postgres_url()
    if url is None:
        yield None
        return
    postgres = Postgres(url)
    yield postgres
    postgres.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Every table of the migrated schema, empty, on each database in turn.

    A test marked ``empty_database`` gets a database with no tables at all instead.
    """
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if empty:
            return f"sqlite:///{path}"
        return sqlite_copy(request.getfixturevalue("sqlite_template"), path)
    postgres = request.getfixturevalue("postgres_schema")
    if postgres is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(
                "REQUIRE_POSTGRES=1 but PostgreSQL does not answer on 127.0.0.1:5432"
            )
        pytest.skip("PostgreSQL does not answer (set TEST_DATABASE_URL to run these)")
    return postgres.empty() if empty else postgres.emptied()


@pytest.fixture
def content_app(request, database_url) -> Iterator[Callable[..., Flask]]:
    """``content_app(root, **config)``: an app serving ``root``, closed after the test.

    ``@pytest.mark.app_config(NAME=value)`` changes the configuration of every app
    the test builds (e.g. production's password hashing).
    """
    marker = request.node.get_closest_marker("app_config")
    marked = marker.kwargs if marker else {}
    built: list[Flask] = []

    def build(root: Path | None = None, **config) -> Flask:
        if root is not None:
            config["CONTENT_ROOT"] = str(root)
        app = make_app(database_url, **(marked | config))
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
def drill_app(content_app) -> Flask:
    """The app serving HọcSố's content with the test drill banks."""
    return content_app(drill_root(), HOCSO_LIBRARY=drill_library())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def communes(app) -> list[int]:
    """Two communes of one province; returns their ids."""
    return make_communes(app)


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
