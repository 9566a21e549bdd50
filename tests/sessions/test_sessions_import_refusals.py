"""A participants file that could stall a server, or names that a spreadsheet would
run as formulas: refused in Vietnamese, nothing imported."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from models import Participant, Person, db

from ..hostile_files import HOSTILE, REFUSED
from .conftest import add_session, text_of
from .test_sessions_import import upload


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_web_import_refuses_it_in_vietnamese_importing_nothing(
    app, communes, trainer_client, kind
):
    session_id = add_session(app, communes[0])
    response = upload(trainer_client, session_id, f"{kind}.xlsx", HOSTILE[kind]())
    shown = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert f"{kind}.xlsx" in shown and REFUSED[kind][1] in shown
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', "+1", "-x", "@A1"])
def test_a_participant_named_like_a_formula_is_refused(
    app, communes, trainer_client, name
):
    session_id = add_session(app, communes[0])
    data = f'Họ và tên,Năm sinh\n"{name.replace(chr(34), chr(34) * 2)}",1950\n'
    response = upload(trainer_client, session_id, "ds.csv", data.encode())
    shown = html.unescape(text_of(response.get_data(as_text=True)))
    assert (
        f"Dòng 2, cột “Họ và tên”: “{name[:30]}” bắt đầu bằng “{name[0]}”, "
        "dấu mà bảng tính coi là công thức; hãy bỏ dấu đó" in shown
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == 1  # the trainer
