"""Certificates in real Chromium, on a phone (360×640) and a desktop (1280×800): a
learner finds and prints theirs (exactly one A4 page), anyone checks its code on the
public page, and a trainer prints a session's certificates one per page. axe-core
checks every page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from models import (
    Certificate,
    Commune,
    CourseSession,
    Participant,
    Person,
    db,
)
from services.demo import DEMO_COMMUNES
from tests.factories import earn_vneid

from .conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Problems,
    commune_label,
    fill_learner_form,
    sign_in,
)

pytestmark = pytest.mark.browser

LEARNER = "Chị Mai (thử)"
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]


def pdf_pages(page, name: str) -> tuple[int, bytes]:
    """Print the page as Chromium does (kept in test-artifacts/); count the pages."""
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return len(re.findall(rb"/Type\s*/Page\b", pdf)), pdf


def landscape(pdf: bytes) -> bool:
    """The first page's MediaBox is wider than it is tall."""
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    return float(box.group(1)) > float(box.group(2))


@pytest.mark.parametrize("viewport", SIZES)
def test_a_learner_prints_a_certificate_and_anyone_checks_it(
    live_server, new_context, visit, viewport
):
    page = new_context(viewport=viewport).new_page()
    problems = Problems.watching(page)
    page.goto(live_server("/learner/start?next=/certificates/"))
    fill_learner_form(page, LEARNER, 2004, commune_label(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận của tôi")
    expect(page.get_by_text("Chưa có giấy chứng nhận nào.")).to_be_visible()
    earn_vneid(live_server.app, LEARNER)

    # The progress page leads to it.
    page.goto(live_server("/progress"))
    page.get_by_role("link", name="Giấy chứng nhận — Cài đặt và dùng VNeID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận")
    page.get_by_role("link", name="Giấy chứng nhận của tôi").click()
    expect(page.get_by_role("heading", name="Cài đặt và dùng VNeID")).to_be_visible()
    visit(page, "my-certificates")

    page.get_by_role("link", name="Xem và in giấy chứng nhận").click()
    certificate = page.locator("article.certificate")
    expect(certificate).to_contain_text(LEARNER)
    expect(certificate).to_contain_text("Tự học")
    expect(certificate).to_contain_text("Ngày: 20/11/2025")
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()
    visit(page, "certificate")
    code = page.locator(".cert-code").inner_text()
    assert re.fullmatch(r"[CFHJKMNPRTVX34679]{5}-[CFHJKMNPRTVX34679]{5}", code)
    pages, pdf = pdf_pages(page, f"certificate-{viewport['width']}")
    assert pages == 1, f"the certificate prints on {pages} pages"
    assert landscape(pdf)

    # Anyone checks it, typing the code as it comes.
    checker = new_context(viewport=viewport).new_page()
    checker.goto(live_server("/verify"))
    expect(checker.get_by_role("heading", level=1)).to_have_text(
        "Kiểm tra giấy chứng nhận"
    )
    visit(checker, "verify-form")
    checker.get_by_label("Mã trên giấy chứng nhận").fill(code.lower().replace("-", " "))
    checker.get_by_role("button", name="Kiểm tra").click()
    expect(checker).to_have_url(live_server(f"/verify/{code}"))
    expect(checker.get_by_role("heading", level=1)).to_have_text(
        "✔ Giấy chứng nhận hợp lệ"
    )
    expect(checker.locator("main")).to_contain_text(LEARNER)
    expect(checker.locator("main")).not_to_contain_text("2004")
    visit(checker, "verify-valid")

    checker.goto(live_server("/verify/CFHJK-MNPRT"))
    expect(checker.get_by_role("heading", level=1)).to_have_text(
        "✘ Không tìm thấy giấy chứng nhận với mã này"
    )
    visit(checker, "verify-unknown")
    problems.assert_none()


def make_session(app) -> tuple[int, list[str]]:
    """A session in the first demo commune on VNeID and QR payments, with its learners."""
    with app.app_context():
        commune = db.session.scalars(
            select(Commune).filter_by(name=DEMO_COMMUNES[0][1])
        ).one()
        learners = db.session.scalars(
            select(Person).filter_by(commune_id=commune.id, role="learner")
        ).all()
        course = CourseSession(
            commune_id=commune.id,
            held_on=date(2025, 11, 22),
            place="Nhà văn hóa (thử)",
            modules=["vneid", "qr-payment"],
            participants=[Participant(person_id=p.id) for p in learners],
        )
        db.session.add(course)
        db.session.commit()
        return course.id, [p.name for p in learners]


def test_a_trainer_prints_a_sessions_certificates_one_per_page(
    live_server, new_context, visit
):
    app = live_server.app
    course, people = make_session(app)
    assert len(people) >= 2
    for name in people[:2]:
        earn_vneid(app, name)
    page = new_context(viewport=DESKTOP).new_page()
    problems = Problems.watching(page)
    page.goto(live_server(f"/sign-in?next=/sessions/{course}/certificates"))
    sign_in(
        page,
        "hung@demo.hocso.invalid",
        "hocso-demo-trainer",
        "Giấy chứng nhận của buổi học",
    )
    count = page.locator("article.certificate").count()
    assert count >= 2  # the two who finished VNeID, and whatever the demo learners did
    expect(page.locator(".cert-summary")).to_contain_text(
        f"{count} giấy chứng nhận cho"
    )
    visit(page, "session-certificates")
    pages, pdf = pdf_pages(page, "session-certificates")
    assert pages == count, f"{count} certificates print on {pages} pages"
    assert landscape(pdf)
    with app.app_context():
        assert db.session.scalar(select(func.count(Certificate.id))) == count
    problems.assert_none()
