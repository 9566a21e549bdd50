"""Choosing a commune among thousands: province, then a few letters (accents optional),
as a GET search without JavaScript; the JSON the script asks for; the few communes a
helper acts in offered at once; the folded names kept by the import."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from models import Commune, CourseSession, Person, Province, db

from .factories import make_person, signed_in

UNITS = {
    ("HP", "Hải Phòng"): [
        ("HP-1", "Xã Nam Sách"),
        ("HP-2", "Phường Nam Đồng"),
        ("HP-3", "Xã An Nam"),
        ("HP-4", "Phường Lê Thanh Nghị"),
        ("HP-5", "Xã Ninh Giang"),
        ("HP-6", "Xã Tân_Kỳ"),
    ],
    ("HN", "Hà Nội"): [
        ("HN-1", "Phường Hoàn Kiếm"),
        ("HN-2", "Xã Nam Phù"),
    ],
}


@pytest.fixture
def units(app, runner, tmp_path) -> dict[str, int]:
    """Two provinces and eight units, loaded by `flask communes import`; ids by code."""
    rows = ["province_code,province_name,commune_code,commune_name"]
    for (province_code, province_name), communes in UNITS.items():
        for code, name in communes:
            rows.append(f"{province_code},{province_name},{code},{name}")
    path = tmp_path / "communes.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(args=["communes", "import", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        ids = {c.code: c.id for c in db.session.scalars(select(Commune))}
        ids |= {
            f"province:{p.code}": p.id for p in db.session.scalars(select(Province))
        }
        return ids


def names_offered(page: str, field: str = "commune") -> list[str]:
    """The communes a page offers to tick, in order."""
    pattern = rf'name="{field}" value="\d+"[^>]*> <span>([^<]+)<'
    return re.findall(pattern, page)


def staff(app, role: str, commune: int, *also: int):
    """A client signed in as a ``role`` of ``commune`` who also acts in ``also``."""
    person = make_person(app, role.title(), commune, role=role, email=f"{role}@x.org")
    with app.app_context():
        someone = db.session.get(Person, person)
        someone.communes.extend(db.session.get(Commune, ident) for ident in also)
        db.session.commit()
    return signed_in(app, person)


def commune_of(app, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Person.commune_id).where(Person.name == name))


def register_tu(client, commune: int):
    """A helper registers Ông Tư in ``commune``."""
    data = {"new-name": "Ông Tư", "new-birth_year": "1940", "new-consent": "y"}
    return client.post("/help/register", data={**data, "new-commune": commune})


def search_json(client, **args) -> dict:
    response = client.get("/communes/search", query_string={**args, "format": "json"})
    assert response.status_code == 200
    return response.get_json()


# --- Finding -----------------------------------------------------------------------------


def test_a_few_letters_find_the_commune_with_or_without_accents(client, units):
    hai_phong = units["province:HP"]
    for letters in ("nam", "NAM", "Nam", "năm"):
        found = search_json(client, province=hai_phong, q=letters)
        names = [c["name"] for c in found["communes"]]
        # At the start of any word of the name, only in the province chosen.
        assert names == ["Phường Nam Đồng", "Xã An Nam", "Xã Nam Sách"], letters
    found = search_json(client, province=hai_phong, q="nam sa")
    assert [c["name"] for c in found["communes"]] == ["Xã Nam Sách"]
    assert found["count"] == 1 and found["status"] == "Tìm thấy 1 xã, phường."
    found = search_json(client, province=hai_phong, q="le thanh")
    assert [c["code"] for c in found["communes"]] == ["HP-4"]
    assert search_json(client, province=hai_phong, q="dong")["communes"][0]["name"] == (
        "Phường Nam Đồng"  # đ is typed as d
    )


def test_letters_that_match_nothing_say_so(client, units):
    hai_phong = units["province:HP"]
    for letters in ("am sach", "%", "_", "zzz"):  # inside a word, or LIKE's wildcards
        found = search_json(client, province=hai_phong, q=letters)
        assert found["communes"] == [], letters
        assert (
            found["status"]
            == "Không tìm thấy xã, phường nào. Hãy xem lại tỉnh và các chữ đã gõ."
        )
    assert [c["name"] for c in search_json(client, q="tan_")["communes"]] == [
        "Xã Tân_Kỳ"
    ]


def test_without_a_province_the_letters_search_everywhere(client, units):
    found = search_json(client, q="nam")
    assert {c["province"] for c in found["communes"]} == {"Hải Phòng", "Hà Nội"}
    assert found["count"] == 4
    assert search_json(client)["communes"] == []  # nothing asked, nothing listed


def test_the_chosen_commune_stays_listed_while_typing(client, units):
    found = search_json(
        client, province=units["province:HP"], q="ninh", chosen=units["HN-1"]
    )
    assert [c["name"] for c in found["communes"]] == [
        "Phường Hoàn Kiếm",
        "Xã Ninh Giang",
    ]


def test_a_long_list_shows_the_first_and_asks_for_more_letters(app, client, units):
    from services.communes import SHOWN, set_name

    with app.app_context():
        province = db.session.get(Province, units["province:HN"])
        for number in range(SHOWN + 5):
            commune = Commune(code=f"HN-X{number}", province=province)
            set_name(commune, f"Xã Thử {number:02}")
            db.session.add(commune)
        db.session.commit()
    found = search_json(client, province=units["province:HN"], q="thu")
    assert found["count"] == SHOWN + 5 and len(found["communes"]) == SHOWN
    assert f"Chỉ hiện {SHOWN} xã, phường đầu tiên" in found["status"]


def test_mine_lists_only_the_communes_a_helper_acts_in(app, units):
    found = search_json(staff(app, "helper", units["HP-1"]), q="nam", mine=1)
    assert [c["code"] for c in found["communes"]] == ["HP-1"]
    # A learner asking for "mine" acts in no commune: nothing.
    learner = make_person(app, "Bà Nga", units["HP-1"])
    assert search_json(signed_in(app, learner), q="nam", mine=1)["communes"] == []


def test_the_search_page_shows_the_codes_for_an_import_file(client, units):
    page = client.get(
        "/communes/search", query_string={"province": units["province:HP"], "q": "ninh"}
    ).get_data(as_text=True)
    assert "Tìm xã, phường" in page and "Xã Ninh Giang" in page
    assert "mã HP-5" in page and "Phường Nam Đồng" not in page


# --- The forms, without JavaScript -------------------------------------------------------


def test_a_learner_finds_and_picks_the_commune_with_get_searches(app, client, units):
    """Province, letters, Find: a GET search; tick the commune; save."""
    page = client.get("/learner/start?next=/lessons/vneid").get_data(as_text=True)
    assert names_offered(page) == []  # two provinces: nothing guessed
    assert 'name="next" value="/lessons/vneid"' in page  # kept by the search
    assert '<script src="/static/js/commune.js' in page
    page = client.get(
        "/learner/start",
        query_string={"next": "/lessons/vneid", "province": units["province:HP"]},
    ).get_data(as_text=True)
    assert len(names_offered(page)) == 6  # the province's communes, to narrow
    page = client.get(
        "/learner/start",
        query_string={"province": units["province:HP"], "q": "nam sach"},
    ).get_data(as_text=True)
    assert names_offered(page) == ["Xã Nam Sách"]
    # The only one found comes ticked; it belongs to the form that saves.
    assert f'value="{units["HP-1"]}" form="learner" checked' in page
    response = client.post(
        "/learner/start",
        data={
            "name": "Bà Nga",
            "birth_year": "1946",
            "commune": units["HP-1"],
            "next": "/lessons/vneid",
        },
    )
    assert response.status_code == 303 and response.location == "/lessons/vneid"
    assert commune_of(app, "Bà Nga") == units["HP-1"]


def test_no_commune_ticked_is_asked_for_and_the_rest_is_kept(client, units):
    response = client.post(
        "/learner/start", data={"name": "Bà Nga", "birth_year": "1946"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Xin chọn xã hoặc phường." in page and 'value="Bà Nga"' in page
    for bad in ("0", "x", "999999"):
        page = client.post(
            "/learner/start",
            data={"name": "Bà Nga", "birth_year": "1946", "commune": bad},
        ).get_data(as_text=True)
        assert "Xin chọn xã hoặc phường." in page, bad


def test_a_chosen_commune_is_shown_ticked_after_a_mistake(client, units):
    page = client.post(
        "/learner/start",
        data={"name": "", "birth_year": "1946", "commune": units["HN-1"]},
    ).get_data(as_text=True)
    assert re.search(rf'value="{units["HN-1"]}" form="learner" checked', page)
    # Its province is the one chosen, for a search nearby.
    assert re.search(rf'<option value="{units["province:HN"]}" selected>', page)


def test_self_study_registration_uses_the_same_picker(app, client, units):
    page = client.get(
        "/register", query_string={"province": units["province:HN"], "q": "hoan"}
    ).get_data(as_text=True)
    assert names_offered(page) == ["Phường Hoàn Kiếm"] and 'form="register"' in page
    client.post(
        "/register",
        data={
            "name": "Chị Mai",
            "birth_year": "2004",
            "commune": units["HN-1"],
            "phone": "0912 345 678",
            "password": "a long enough password",
            "confirm": "a long enough password",
            "consent": "y",
        },
    )
    assert commune_of(app, "Chị Mai") == units["HN-1"]


def test_a_helper_of_few_communes_ticks_one_their_own_first(app, units):
    client = staff(app, "helper", units["HP-3"], units["HN-2"])
    page = client.get("/help/").get_data(as_text=True)
    assert names_offered(page, "new-commune") == ["Xã An Nam", "Xã Nam Phù"]
    assert f'value="{units["HP-3"]}" form="new-learner" checked' in page
    assert 'name="q"' not in page  # nothing to search
    assert register_tu(client, units["HN-2"]).status_code == 303
    assert commune_of(app, "Ông Tư") == units["HN-2"]


def test_an_admin_searches_and_registers_a_learner_anywhere(app, units):
    client = staff(app, "admin", units["HP-1"])
    page = client.get("/help/").get_data(as_text=True)
    # Their own province is chosen to start with; the search goes back to /help/.
    assert re.search(rf'<option value="{units["province:HP"]}" selected>', page)
    assert 'action="/help/#new-commune-picker"' in page
    page = client.get(
        "/help/", query_string={"province": units["province:HN"], "q": "nam"}
    ).get_data(as_text=True)
    assert names_offered(page, "new-commune") == ["Xã Nam Phù"]
    assert register_tu(client, units["HN-2"]).status_code == 303
    assert commune_of(app, "Ông Tư") == units["HN-2"]


def test_a_session_is_created_in_a_commune_found_by_letters(app, units):
    client = staff(app, "admin", units["HP-1"])
    page = client.get(
        "/sessions/new", query_string={"province": units["province:HN"], "q": "hoan k"}
    ).get_data(as_text=True)
    # Their own commune, chosen to start with, stays listed above what is found.
    assert names_offered(page) == ["Xã Nam Sách", "Phường Hoàn Kiếm"]
    assert 'form="session"' in page
    response = client.post(
        "/sessions/new",
        data={
            "commune": units["HN-1"],
            "held_on": "2026-12-12",
            "place": "Nhà văn hóa",
            "modules": ["vneid"],
        },
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(CourseSession.commune_id)) == units["HN-1"]


def test_a_trainer_of_one_commune_is_not_asked(app, units):
    page = (
        staff(app, "trainer", units["HP-2"]).get("/sessions/new").get_data(as_text=True)
    )
    assert "Phường Nam Đồng" in page and 'name="q"' not in page
    assert f'type="hidden" name="commune" value="{units["HP-2"]}"' in page


# --- The folded names ----------------------------------------------------------------------


def test_the_import_keeps_the_folded_names_when_a_name_changes(
    app, runner, units, tmp_path
):
    path = tmp_path / "renamed.csv"
    path.write_text(
        "province_code,province_name,commune_code,commune_name\n"
        "HP,Hải Phòng,HP-1,Phường Nam Sách Mới\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["communes", "import", str(path)]).exit_code == 0
    with app.app_context():
        commune = db.session.get(Commune, units["HP-1"])
        assert commune.search_name == "phuong nam sach moi"
        assert db.session.get(Commune, units["HP-2"]).search_name == "phuong nam dong"


def test_an_import_puts_rows_without_a_code_in_the_commune_chosen(app, units):
    """A trainer of two communes imports into a session of one the people of the
    other: the preview says where they go, and saving puts them there."""
    from io import BytesIO

    client = staff(app, "trainer", units["HP-1"], units["HP-3"])
    with app.app_context():
        course = CourseSession(
            commune_id=units["HP-1"], held_on=date.today(), place="Nhà văn hóa",
            modules=["vneid"],
        )  # fmt: skip
        db.session.add(course)
        db.session.commit()
        session_id = course.id
    page = client.get(f"/sessions/{session_id}/import").get_data(as_text=True)
    assert (
        names_offered(page) == ["Xã Nam Sách", "Xã An Nam"] and 'form="import"' in page
    )
    assert f'value="{units["HP-1"]}" form="import" checked' in page  # the session's
    assert 'href="/communes/search?mine=1"' in page  # to look a code up

    def upload(commune: int) -> str:
        data = "Họ và tên,Năm sinh\nBà Nga,1946\nÔng Tư,1940\n".encode()
        return client.post(
            f"/sessions/{session_id}/import",
            data={"file": (BytesIO(data), "ds.csv"), "commune": commune},
            content_type="multipart/form-data",
        ).get_data(as_text=True)

    preview = upload(units["HP-3"])
    assert "Người không có mã xã: Xã An Nam, Hải Phòng" in preview
    rows = re.search(r'name="rows" type="hidden" value="([^"]+)"', preview).group(1)
    response = client.post(
        f"/sessions/{session_id}/import/confirm", data={"rows": rows, "consent": "y"}
    )
    assert response.status_code == 303
    with app.app_context():
        placed = db.session.execute(
            select(Person.name, Person.commune_id).where(Person.role == "learner")
        ).all()
        assert sorted(placed) == [("Bà Nga", units["HP-3"]), ("Ông Tư", units["HP-3"])]
    # A commune the trainer does not act in is no choice.
    assert "Xin chọn xã hoặc phường." in upload(units["HN-1"])


def test_an_admins_learner_search_lists_only_her_communes_not_thousands(app, units):
    client = staff(app, "admin", units["HP-1"])
    make_person(app, "Bà Hoa", units["HN-1"])
    find = client.get("/help/").get_data(as_text=True).split('id="new"')[0]
    assert 'name="commune"' not in find  # only her own: nothing to narrow to
    assert "Phường Hoàn Kiếm" not in find
    # Another commune, asked for by its id (from its dashboard, say), is searched.
    found = client.get(
        "/help/", query_string={"commune": units["HN-1"], "name": "hoa"}
    ).get_data(as_text=True)
    assert "Bà Hoa" in found and "Phường Hoàn Kiếm, Hà Nội</option>" in found
