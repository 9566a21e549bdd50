"""Importing learners: matching likely duplicates and the importer's communes."""

from __future__ import annotations

from models import Commune, Person, db
from services.learners_import import plan_import, read_learners

from ..factories import make_person
from .conftest import where, write_csv


def test_likely_duplicates_are_reused_and_rows_repeated_in_the_file_counted_once(
    app, communes, tmp_path
):
    first, second = communes
    nga = make_person(app, "Nguyễn Thị Nga", first, born=1946)
    make_person(
        app, "Nguyễn Thị Nga", second, born=1946
    )  # another commune: someone else
    make_person(app, "Nguyễn Thị Nga", first, born=1947)  # another year: someone else
    path = write_csv(
        tmp_path / "l.csv",
        [
            ["name", "birth_year"],
            ["nguyen thi  NGA", "1946"],  # row 2: the registered Nga
            ["Trần Văn Bình", "1950"],  # row 3: new
            ["Tran Van Binh", "1950"],  # row 4: row 3 again
        ],
    )
    with app.app_context():
        commune = db.session.get(Commune, first)
        rows, _ = read_learners(str(path))
        plan = plan_import(str(path), rows, commune=commune)
        assert [
            (e.row.row, e.status, e.person_id, e.first_row) for e in plan.entries
        ] == [
            (2, "existing", nga, None),
            (3, "new", None, None),
            (4, "repeat", None, 3),
        ]
        assert (plan.new, plan.existing, plan.repeats, plan.to_add) == (1, 1, 1, 2)


def test_commune_codes_must_exist_and_be_the_importers(app, communes, tmp_path):
    trainer = make_person(app, "Anh Hùng", communes[0], born=1990, role="trainer")
    path = write_csv(
        tmp_path / "l.csv",
        [
            ["name", "birth_year", "mã xã"],
            ["Bà Một", "1950", "T-0101"],
            ["Bà Hai", "1950", "T-0102"],
            ["Bà Ba", "1950", "NOPE"],
            ["Bà Bốn", "1950", ""],
        ],
    )
    rows, _ = read_learners(str(path))
    with app.app_context():
        plan = plan_import(str(path), rows, importer=db.session.get(Person, trainer))
        assert where(plan.problems) == [
            (3, "mã xã", '"T-0102" (Phường Hai) is not one of your communes'),
            (4, "mã xã", 'no commune has the code "NOPE"'),
            (5, "mã xã", "is empty: give the commune code, or import with --commune"),
        ]
