"""Whole databases of a test's own, for what a schema cannot stand in for: backups of
a whole database, and servers started with nothing but a DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from .conftest import postgres_url


def postgres_or_skip() -> str:
    """The PostgreSQL server's URL; skip without it, or fail if REQUIRE_POSTGRES=1."""
    url = postgres_url()
    if url is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but PostgreSQL does not answer")
        pytest.skip("PostgreSQL does not answer (set TEST_DATABASE_URL to run this)")
    return url


@contextmanager
def postgres_databases(*names: str) -> Iterator[list[str]]:
    """Empty PostgreSQL databases named ``hocso_<name>_<pid>``, dropped afterwards."""
    server_url = postgres_or_skip()
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    made = [f"hocso_{name}_{os.getpid()}" for name in names]
    try:
        with server.connect() as connection:
            for database in made:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}"')
                connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        url = make_url(server_url).set(query={})
        yield [url.set(database=d).render_as_string(False) for d in made]
    finally:
        with server.connect() as connection:
            for database in made:
                connection.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
                )
        server.dispose()


@contextmanager
def own_databases(kind: str, folder: Path, *names: str) -> Iterator[list[str]]:
    """Empty databases of ``kind`` (sqlite files in ``folder``, or PostgreSQL)."""
    if kind == "sqlite":
        yield [f"sqlite:///{folder / name}.db" for name in names]
        return
    with postgres_databases(*names) as urls:
        yield urls
