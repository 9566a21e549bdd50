"""The download pages (who may download what) and `flask export`."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Answer, Commune, Person, QuizAttempt, db
from reports.dates import local_today
from reports.export_tables import (
    MODULES_TABLE,
    PEOPLE_TABLE,
)

from ..factories import signed_in
from .conftest import (
    BOM,
    MODULE_ROWS,
    check_sheet,
    csv_cell,
    parse_csv,
    people_rows,
    read_xlsx,
)


def state(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Person, QuizAttempt, Answer)
        )


def test_a_trainer_downloads_their_communes_tables(app, world):
    client = signed_in(app, world["hung"])
    day = local_today().isoformat()
    response = client.get(f"/communes/{world['commune_a']}/export/people.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hocso-T-0101-nguoi-hoc-{day}.csv"'
    )
    rows = parse_csv(response.get_data())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in people_rows(app, world)]

    response = client.get(f"/communes/{world['commune_a']}/export/modules.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=hocso-T-0101-theo-xa-va-bai-{day}.xlsx"
    )
    book = read_xlsx(response.get_data())
    check_sheet(book["Theo xã và bài"], MODULES_TABLE, MODULE_ROWS[:4])


EXPORTS = [f"{kind}.{fmt}" for kind in ("people", "modules") for fmt in ("csv", "xlsx")]


@pytest.mark.parametrize("name", EXPORTS)
def test_nobody_downloads_another_communes_tables(app, world, name):
    before = state(app)
    commune_b = f"/communes/{world['commune_b']}/export/{name}"
    commune_a = f"/communes/{world['commune_a']}/export/{name}"
    assert signed_in(app, world["hung"]).get(commune_b).status_code == 404
    assert signed_in(app, world["trainer_b"]).get(commune_a).status_code == 404
    for learner_or_helper in ("linh", "an"):
        client = signed_in(app, world[learner_or_helper])
        assert client.get(commune_a).status_code == 404
    visitor = app.test_client().get(commune_a)
    assert visitor.status_code == 302 and "/sign-in" in visitor.location
    assert state(app) == before


def test_unknown_communes_tables_and_formats_are_not_found(app, world):
    client = signed_in(app, world["admin"])
    assert client.get("/communes/9999/export/people.csv").status_code == 404
    a = world["commune_a"]
    assert client.get(f"/communes/{a}/export/answers.csv").status_code == 404
    assert client.get(f"/communes/{a}/export/people.pdf").status_code == 404


def test_a_trainer_assigned_another_commune_may_export_it(app, world):
    with app.app_context():
        trainer = db.session.get(Person, world["trainer_b"])
        trainer.communes.append(db.session.get(Commune, world["commune_a"]))
        db.session.commit()
    client = signed_in(app, world["trainer_b"])
    response = client.get(f"/communes/{world['commune_a']}/export/modules.csv")
    assert response.status_code == 200


@pytest.mark.parametrize("name", EXPORTS)
def test_only_admins_download_the_province_tables(app, world, name):
    for someone in ("hung", "trainer_b", "linh", "an"):
        response = signed_in(app, world[someone]).get(f"/province/export/{name}")
        assert response.status_code == 404, someone
    response = signed_in(app, world["admin"]).get(f"/province/export/{name}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "hocso-tat-ca-xa-" in response.headers["Content-Disposition"]


def test_the_admin_province_modules_table_has_every_commune(app, world):
    response = signed_in(app, world["admin"]).get("/province/export/modules.csv")
    rows = parse_csv(response.get_data())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


def test_export_command_writes_csv_to_standard_output(runner, world):
    result = runner.invoke(args=["export", "--commune", "T-0101", "--kind", "people"])
    assert result.exit_code == 0, result.output
    rows = parse_csv(result.stdout_bytes)
    assert rows[0] == PEOPLE_TABLE.headers
    expected = people_rows(runner.app, world)
    assert rows[1:] == [[csv_cell(v) for v in row] for row in expected]


def test_export_command_defaults_to_the_modules_of_every_commune(runner, world):
    result = runner.invoke(args=["export"])
    assert result.exit_code == 0, result.output
    rows = parse_csv(result.stdout_bytes)
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


def test_export_command_writes_xlsx_from_the_extension(runner, world, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(
        args=["export", "--commune", "T-0101", "--kind", "people", "--output", target]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 24 row(s) of 1 commune(s)" in result.output
    book = read_xlsx(str(target))
    check_sheet(book["Người học"], PEOPLE_TABLE, people_rows(runner.app, world))


def test_export_command_csv_to_a_file(runner, world, tmp_path):
    target = tmp_path / "report.txt"
    args = ["export", "--commune", "T-0102", "--commune", "T-0101", "--output", target]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    rows = parse_csv(target.read_bytes())
    assert rows[1:] == [[csv_cell(v) for v in row] for row in MODULE_ROWS]


def test_export_command_refuses_unknown_communes_and_xlsx_to_the_screen(runner, world):
    result = runner.invoke(args=["export", "--commune", "T-0101", "--commune", "X-9"])
    assert result.exit_code == 1
    assert "no commune has the code 'X-9'" in result.output
    assert BOM not in result.stdout_bytes
    result = runner.invoke(args=["export", "--format", "xlsx"])
    assert result.exit_code == 1 and "--output" in result.output


def test_export_command_help_names_the_columns_document(runner):
    result = runner.invoke(args=["export", "--help"])
    assert result.exit_code == 0
    assert "docs/exports.md" in result.output
    assert "--commune CODE" in result.output
