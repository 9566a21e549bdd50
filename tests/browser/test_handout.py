"""Each lesson's handout prints on one or two A4 pages and passes axe on screen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_every_handout_fits_two_a4_pages(live_server, new_context, visit):
    page = new_context().new_page()
    lessons = live_server.app.extensions["hocso_library"].ordered()
    assert lessons
    for lesson in lessons:
        page.goto(live_server(f"/lessons/{lesson.slug}"))
        page.get_by_role("link", name=re.compile("Tài liệu in khổ chữ lớn")).click()
        for step in lesson.text("vi").steps:
            assert page.get_by_role("heading", name=step.title, exact=True).count() == 1
        visit(page, f"handout-{lesson.slug}")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        page.emulate_media(media="screen")
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert 1 <= pages <= 2, f"{lesson.slug}: the handout prints on {pages} pages"
