"""Backups and restores of the whole database: SQLite through its online backup API
(safe while the app serves), PostgreSQL through pg_dump / pg_restore in custom format.

Passwords never appear on a command line or in a message: the PostgreSQL tools get
theirs in PGPASSWORD, and database addresses are shown with the password hidden.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from models import db, utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@contextmanager
def said_plainly() -> Iterator[None]:
    """For the commands: a BackupError is printed as "Error: …" with exit status 1."""
    try:
        yield
    except BackupError as error:
        print(f"Error: {error}", file=sys.stderr)
        raise SystemExit(1) from None


def kind_of(url: str) -> str:
    """``sqlite`` or ``postgresql``: the database a URL points at."""
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {backend}.")
    return backend


def shown(url: str) -> str:
    """The database's address as it may be printed: no password."""
    return make_url(url).render_as_string(hide_password=True)


def default_output(folder: Path, url: str) -> Path:
    """``hocso-backup-<date>-<time>.sqlite3`` (or ``.dump``, UTC) in ``folder``."""
    suffix = ".sqlite3" if kind_of(url) == "sqlite" else ".dump"
    return folder / f"hocso-backup-{utcnow():%Y%m%d-%H%M%S}{suffix}"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def rows_held() -> int:
    """How many rows the app's tables hold (0 for an empty or unmigrated database)."""
    present = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    total = 0
    for name in sorted(present):
        total += db.session.scalar(select(func.count()).select_from(table(name))) or 0
    db.session.rollback()
    return total


# --- Backing up --------------------------------------------------------------------


def backup(url: str, output: Path) -> int:
    """Write the whole database at ``url`` to ``output``; returns its size in bytes.

    The file is written beside ``output`` under another name and renamed at the end,
    so a backup that fails never leaves half a file under the name asked for.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if kind_of(url) == "sqlite":
            _sqlite_copy(sqlite_path(url), partial)
        else:
            _pg_tool("pg_dump", url, "--format=custom", f"--file={partial}")
        partial.chmod(0o600)  # personal data: for the owner's eyes only
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return output.stat().st_size


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another, page by page, while others write."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        with writing:
            reading.backup(writing)
    finally:
        writing.close()
        reading.close()


# --- Restoring ---------------------------------------------------------------------


def check_backup_file(url: str, backup_file: Path) -> None:
    """Refuse a file that is not a backup of this kind of database."""
    with backup_file.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    kind = kind_of(url)
    if start.startswith(PG_DUMP_MAGIC):
        made_from = "postgresql"
    elif start == SQLITE_MAGIC:
        made_from = "sqlite"
    else:
        raise BackupError(f"{backup_file} is not a HọcSố backup (SQLite or pg_dump).")
    if made_from != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{backup_file} is a backup of a {names[made_from]} database; "
            f"this one is {names[kind]}."
        )


def restore(url: str, backup_file: Path, force: bool = False) -> None:
    """Replace the whole database at ``url`` with ``backup_file``, all or nothing;
    one that holds data only with ``force``."""
    check_backup_file(url, backup_file)
    held = rows_held()
    if held and not force:
        raise BackupError(
            f"the database {shown(url)} is not empty ({held:,} rows): nothing "
            "restored. To replace everything in it with the backup, run the command "
            "again with --force."
        )
    db.session.remove()
    db.engine.dispose()  # no connection of ours in the way of the restore
    if kind_of(url) == "sqlite":
        _sqlite_copy(backup_file, sqlite_path(url))
        return
    _pg_tool(
        "pg_restore",
        url,
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        str(backup_file),
    )


# --- The PostgreSQL tools ----------------------------------------------------------


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The connection string for pg_dump / pg_restore (no password) and the
    environment that carries the password."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    # (URL.set takes password=None as "unchanged": replace it outright.)
    plain = parsed.set(drivername="postgresql")._replace(password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(tool: str, url: str, *args: str) -> None:
    """Run ``tool`` on the database at ``url``; a failure says what the tool said."""
    target, env = libpq(url)
    command = [tool, f"--dbname={target}", *args]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        ) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip()
        raise BackupError(f"{tool} failed ({done.returncode}): {said}")
