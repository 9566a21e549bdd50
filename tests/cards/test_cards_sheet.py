"""The sheet of cards for a commune's learners, printed or reissued."""

from __future__ import annotations

from sqlalchemy import func, select

from models import LearnerCard, db

from ..factories import make_person
from .conftest import CODE_SHOWN, issue, sign_in


def test_the_sheet_prints_cards_for_learners_who_have_none(
    app, staff, people, communes
):
    for number in range(9):
        make_person(app, f"Người học {number}", communes[0])
    page = staff.get(f"/cards/commune/{communes[0]}").get_data(as_text=True)
    assert "(10)" in page and "Bà Nga b" not in page and "Linh helper_a" not in page
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue", data={"which": "missing"}
    )
    sheet = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert len(CODE_SHOWN.findall(sheet)) == 10
    assert sheet.count('class="card-sheet sheet-page"') == 2
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue", data={"which": "missing"}
    )
    assert response.status_code == 303
    assert "đều đã có thẻ" in staff.get(response.location).get_data(as_text=True)


def test_the_sheet_reissues_the_ticked_learners(app, staff, people, communes):
    other = make_person(app, "Ông Tâm", communes[0])
    issue(staff, people["learner_a"])
    response = staff.post(
        f"/cards/commune/{communes[0]}/issue",
        data={"which": "selected", "learner": [str(people["learner_a"]), str(other)]},
    )
    assert len(CODE_SHOWN.findall(response.get_data(as_text=True))) == 2
    with app.app_context():
        revoked = select(func.count(LearnerCard.id)).where(
            LearnerCard.revoked_at.is_not(None)
        )
        assert db.session.scalar(revoked) == 1


def test_replacing_every_card_needs_the_box_ticked(app, staff, people, communes):
    url = f"/cards/commune/{communes[0]}/issue"
    response = staff.post(url, data={"which": "all"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(LearnerCard.id))) == 0
    response = staff.post(url, data={"which": "all", "confirm": "yes"})
    assert len(CODE_SHOWN.findall(response.get_data(as_text=True))) == 1


def test_a_helper_prints_the_sheet_but_cannot_replace_every_card(app, people, communes):
    helper = app.test_client()
    sign_in(helper, "helper_a")
    page = helper.get(f"/cards/commune/{communes[0]}").get_data(as_text=True)
    assert "Thay tất cả các thẻ" not in page
    url = f"/cards/commune/{communes[0]}/issue"
    assert helper.post(url, data={"which": "missing"}).status_code == 200
    assert helper.post(url, data={"which": "all", "confirm": "yes"}).status_code == 404


def test_the_who_is_learning_page_offers_the_card_code(client, communes):
    page = client.get("/learner/start").get_data(as_text=True)
    assert "Đã có thẻ học? Gõ mã trên thẻ" in page and 'href="/card?next=' in page
