"""The province view at several provinces: the provinces with their totals first, then
one province's communes, sorted and paged on the server; and one province's exports."""

from __future__ import annotations

import csv
import io
import re

import pytest

from models import Commune, Province, db

from .factories import earn_vneid, make_person, signed_in
from .test_statements import counting

MANY = 53  # communes of the second province: two pages of 50


@pytest.fixture
def country(app, communes) -> dict[str, int]:
    """Tỉnh Thử (T-01: Xã Một, Phường Hai) and Tỉnh Lớn (T-02: 53 communes); people in
    Xã Một and in the last communes of Tỉnh Lớn, an admin."""
    with app.app_context():
        big = Province(code="T-02", name="Tỉnh Lớn")
        db.session.add(big)
        db.session.add_all(
            Commune(code=f"T-02{n:02}", name=f"Xã Số {n:02}", province=big)
            for n in range(1, MANY + 1)
        )
        db.session.commit()
        last = db.session.scalar(
            db.select(Commune.id).where(Commune.code == f"T-02{MANY:02}")
        )
    for name in ("An", "Bình", "Cúc"):
        make_person(app, name, communes[0])
    earn_vneid(app, "An")
    for name in ("Giang", "Hà"):
        make_person(app, name, last)
    earn_vneid(app, "Giang")
    return {"admin": make_person(app, "Quản trị", communes[1], "admin"), "last": last}


def rows_of(html: str) -> list[str]:
    """The first cell of each body row of the table, as text."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.sub(r"<[^>]+>", "", cell)
        for cell in re.findall(r"<th scope=\"row\">(.*?)</th>", body)
    ]


def test_the_province_view_starts_with_the_provinces_and_their_totals(app, country):
    client = signed_in(app, country["admin"])
    html = client.get("/province").get_data(as_text=True)
    assert rows_of(html) == ["Tỉnh Lớn", "Tỉnh Thử"]
    assert 'href="/province/T-02"' in html and 'href="/province/T-01"' in html
    big = html.split('href="/province/T-02">Tỉnh Lớn</a></th>')[1]
    # Registered 2, reached 1 (Giang), with a helper 0, modules completed 1.
    cells = re.findall(r"<td>(.*?)</td>", big)[:4]
    assert cells == ["2", "1", "0", "1"]
    assert "Xã Số" not in html  # one level at a time: no commune yet
    html = client.get("/province?sort=registered&order=desc").get_data(as_text=True)
    assert rows_of(html) == ["Tỉnh Thử", "Tỉnh Lớn"]


def test_the_provinces_form_opens_a_province(app, country):
    client = signed_in(app, country["admin"])
    response = client.get("/province?province=T-02")
    assert response.status_code == 302 and response.location == "/province/T-02"


def test_one_provinces_communes_are_sorted_and_paged(app, country):
    client = signed_in(app, country["admin"])
    html = client.get("/province/T-02").get_data(as_text=True)
    names = rows_of(html)
    assert names == [f"Xã Số {n:02}" for n in range(1, 51)]
    assert "Trang 1 / 2" in html
    assert 'href="/province/T-02?sort=name&amp;order=asc&amp;page=2"' in html
    html = client.get("/province/T-02?page=2").get_data(as_text=True)
    assert rows_of(html) == [f"Xã Số {n:02}" for n in range(51, MANY + 1)]
    # Sorted by people reached, highest first: the one commune with a learner first,
    # and the totals are the whole province's, whichever page is shown.
    html = client.get("/province/T-02?sort=reached&order=desc").get_data(as_text=True)
    assert rows_of(html)[0] == f"Xã Số {MANY:02}"
    assert f'href="/communes/{country["last"]}"' in html
    footer = html.split("<tfoot>")[1]
    assert re.findall(r"<td>(.*?)</td>", footer)[:4] == ["2", "1", "0", "1"]
    assert client.get("/province/NONE").status_code == 404


def test_one_provinces_communes_export_alone(app, country):
    client = signed_in(app, country["admin"])
    response = client.get("/province/export/modules.csv?province=T-01")
    assert response.status_code == 200
    assert "hocso-T-01-theo-xa-va-bai-" in response.headers["Content-Disposition"]
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    )
    assert {row[1] for row in rows[1:]} == {"Xã Một", "Phường Hai"}
    assert client.get("/province/export/modules.csv?province=NONE").status_code == 404


@pytest.mark.parametrize("path", ["/province", "/province/T-02", "/province/T-01"])
def test_the_province_pages_cost_a_few_statements_whatever_their_size(
    app, country, path
):
    """Grouped queries over the summaries: no statement per province or commune."""
    client = signed_in(app, country["admin"])
    client.get(path)  # the content and the sign-in loaded once
    with counting(app) as statements:
        assert client.get(path).status_code == 200
    assert len(statements) <= 8, statements
