"""The presenter view: a lesson projected for a room, with plain links between screens,
nothing of the site around it, and nothing recorded for anyone."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import LessonCompletion, StepView, db

from .conftest import csrf_token_from

EXIT = '<a class="slide-exit" href="/lessons/vneid" data-go="exit">Thoát</a>'


def links(page: str) -> dict[str, str]:
    """The screen's Back and Next links, by rel."""
    return dict(
        (rel, href)
        for href, rel in re.findall(
            r'<a class="[^"]*" href="([^"]+)" rel="(\w+)"', page
        )
    )


def vneid_steps(library) -> list:
    """The VNeID lesson's steps in Vietnamese, as the content files say."""
    return library.get("vneid").text("vi").steps


def test_the_title_screen_leads_to_the_first_step(client, library):
    response = client.get("/lessons/vneid/present")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Cài đặt và dùng VNeID</h1>" in page
    assert f"Khoảng 15 phút · {len(vneid_steps(library))} bước" in page
    assert links(page) == {"next": "/lessons/vneid/present/1"}


def test_each_step_links_back_and_forward_and_counts(client, library):
    steps = vneid_steps(library)
    total = len(steps)
    page = client.get("/lessons/vneid/present/3").get_data(as_text=True)
    assert f"Bước 3/{total}" in page
    assert f"<h1>{steps[2].title}</h1>" in page
    assert links(page) == {
        "prev": "/lessons/vneid/present/2",
        "next": "/lessons/vneid/present/4",
    }
    first = client.get("/lessons/vneid/present/1").get_data(as_text=True)
    assert links(first)["prev"] == "/lessons/vneid/present"
    last = client.get(f"/lessons/vneid/present/{total}").get_data(as_text=True)
    assert f"Bước {total}/{total}" in last
    assert links(last) == {
        "prev": f"/lessons/vneid/present/{total - 1}",
        "next": "/lessons/vneid/present/end",
    }


def test_the_end_screen_invites_everyone_to_the_quiz(client, library):
    page = client.get("/lessons/vneid/present/end").get_data(as_text=True)
    assert "Hết bài — mời mọi người làm bài kiểm tra" in page
    assert 'href="/lessons/vneid/quiz/"' in page
    assert links(page) == {
        "prev": f"/lessons/vneid/present/{len(vneid_steps(library))}"
    }


def test_a_way_out_and_the_keys_data_on_every_screen(client):
    for url in ["/present", "/present/4", "/present/end"]:
        page = client.get(f"/lessons/vneid{url}").get_data(as_text=True)
        assert EXIT in page
        assert 'data-first="/lessons/vneid/present"' in page
        assert 'data-last="/lessons/vneid/present/end"' in page
        assert "/static/js/presenter.js" in page


def test_pictures_come_from_the_lessons_images(client):
    page = client.get("/lessons/vneid/present/2").get_data(as_text=True)
    assert '<div class="slide-pictures"><img alt="Hình minh họa kho ứng dụng' in page
    assert 'src="/lessons/images/vneid-store.svg"' in page
    assert "<p><img" not in page  # out of the text, beside it
    assert "Gõ chữ VNeID vào ô tìm kiếm." in page  # the rest of the step is all there


def test_no_site_chrome_around_the_screen(client, learner):
    """Not the header, the helper's bar, the text-size buttons or the footer."""
    page = client.get("/lessons/vneid/present/2").get_data(as_text=True)
    assert '<header class="site">' not in page
    assert "assist-bar" not in page
    assert "text-size" not in page and 'name="size"' not in page
    assert '<footer class="site">' not in page
    assert "/static/js/app.js" not in page


def test_unknown_lessons_and_steps_are_not_found(client, library):
    for url in [
        "/lessons/nope/present",
        "/lessons/nope/present/1",
        "/lessons/nope/present/end",
        "/lessons/vneid/present/0",
        f"/lessons/vneid/present/{len(vneid_steps(library)) + 1}",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_lesson_with_problems_is_not_presented(content_app, tmp_path):
    """Like the lesson itself: a lesson that failed its checks is not served."""
    lessons = tmp_path / "content" / "lessons"
    lessons.mkdir(parents=True)
    (tmp_path / "content" / "quizzes").mkdir()
    (lessons / "broken.vi.md").write_text("---\ntitle: Hỏng\n---\nNo steps\n")
    client = content_app(tmp_path / "content").test_client()
    assert client.get("/lessons/broken").status_code == 404
    assert client.get("/lessons/broken/present").status_code == 404
    assert client.get("/lessons/broken/present/1").status_code == 404


def test_presenting_records_nothing_for_anyone(app, client, learner):
    """Even with a learner remembered in this browser, no step is marked seen."""
    for url in ["/present", "/present/1", "/present/2", "/present/10", "/present/end"]:
        assert client.get(f"/lessons/vneid{url}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(StepView.id))) == 0
        assert db.session.scalar(select(func.count(LessonCompletion.id))) == 0


def test_anyone_may_present_without_saying_who_they_are(client):
    response = client.get("/lessons/vneid/present/1")
    assert response.status_code == 200


def test_the_lesson_page_links_to_the_presenter(client):
    page = client.get("/lessons/vneid").get_data(as_text=True)
    assert '<a href="/lessons/vneid/present">Trình chiếu cho cả lớp</a>' in page


def test_english_screens_too(client, library):
    page = client.get("/lessons/vneid").get_data(as_text=True)
    client.post(
        "/language",
        data={"language": "en", "csrf_token": csrf_token_from(page)},
    )
    page = client.get("/lessons/vneid/present/3").get_data(as_text=True)
    total = len(library.get("vneid").text("en").steps)
    assert '<html lang="en"' in page and f"Step 3/{total}" in page
