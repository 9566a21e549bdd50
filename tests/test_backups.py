"""`flask --app app backup` and `restore`: a round trip on each database keeps every
row, and a learner's card still signs them in afterwards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, table

from models import Person, db
from services.backups import libpq, shown
from services.cards import issue_card
from services.demo import load_demo_data

from .conftest import close, make_app, migrate
from .own_database import own_databases


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """Two empty databases of one kind: the site backed up, and a new one."""
    with own_databases(request.param, tmp_path, "site", "new") as urls:
        yield urls


@pytest.fixture
def apps(databases):
    built = [make_app(url) for url in databases]
    yield built
    for app in built:
        close(app)


def row_counts(app) -> dict[str, int]:
    """Every table's rows, alembic_version included."""
    with app.app_context():
        names = inspect(db.engine).get_table_names()
        counts = {
            name: db.session.scalar(select(func.count()).select_from(table(name)))
            for name in names
        }
        db.session.remove()
        return counts


def first_learner() -> Person:
    query = select(Person).where(Person.role == "learner").order_by(Person.id)
    return db.session.scalars(query).first()


def fill(app) -> str:
    """The demo data, and a card for one of its learners; returns the card's token."""
    with app.app_context():
        load_demo_data(app.extensions["hocso_library"])
        learner = first_learner()
        staff = db.session.scalars(select(Person).where(Person.role == "admin")).first()
        token = issue_card(learner, staff).token
        db.session.commit()
        return token


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def signs_in_with_card(app, token: str) -> bool:
    client = app.test_client()
    response = client.post(f"/card/{token}")
    page = client.get("/").get_data(as_text=True)
    return response.status_code == 303 and "Đã đăng nhập:" in page


def test_round_trip_keeps_every_row_and_cards_work(databases, apps, tmp_path):
    site, new = apps
    migrate(databases[0])
    token = fill(site)
    before = row_counts(site)
    assert before["people"] > 0 and before["learner_cards"] == 1
    output = tmp_path / "backups" / "nightly"

    made = run(site, "backup", "--output", str(output))

    assert made.exit_code == 0, made.output
    assert f"to {output.resolve()}" in made.output
    assert output.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    restored = run(new, "restore", str(output))
    assert restored.exit_code == 0, restored.output
    assert row_counts(new) == before
    assert signs_in_with_card(new, token)


def test_restore_refuses_a_database_with_data_unless_forced(databases, apps, tmp_path):
    site, _new = apps
    migrate(databases[0])
    token = fill(site)
    before = row_counts(site)
    output = tmp_path / "site.backup"
    assert run(site, "backup", "--output", str(output)).exit_code == 0
    with site.app_context():
        learner = first_learner()
        issue_card(learner, learner)  # the old card is revoked: it stops working
        db.session.commit()
    assert not signs_in_with_card(site, token)

    refused = run(site, "restore", str(output))

    assert refused.exit_code == 1
    assert "is not empty" in refused.output and "--force" in refused.output
    assert row_counts(site) != before
    forced = run(site, "restore", "--force", str(output))
    assert forced.exit_code == 0, forced.output
    assert row_counts(site) == before
    assert signs_in_with_card(site, token)


def test_backup_names_its_file_by_the_time_and_says_where(databases, apps):
    site, _new = apps
    migrate(databases[0])
    made = run(site, "backup")
    assert made.exit_code == 0, made.output
    path = Path(re.search(r" to (\S+) \(", made.output).group(1))
    try:
        assert path.parent == Path(site.instance_path)
        assert re.fullmatch(r"hocso-backup-\d{8}-\d{6}\.(sqlite3|dump)", path.name)
    finally:
        path.unlink()


def test_restore_refuses_a_file_that_is_not_a_backup(apps, tmp_path):
    site, _new = apps
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("shopping list")
    refused = run(site, "restore", str(not_a_backup))
    assert refused.exit_code == 1 and "is not a HọcSố backup" in refused.output


def test_the_postgresql_password_travels_in_the_environment_only():
    url = "postgresql+psycopg://hocso:s3cret-pw@db.example.invalid:5433/hocso"
    target, env = libpq(url)
    assert "s3cret-pw" not in target and env["PGPASSWORD"] == "s3cret-pw"
    assert target == "postgresql://hocso@db.example.invalid:5433/hocso"
    assert "s3cret-pw" not in shown(url)
