"""The step page is largely rendered once and served from memory: each visitor must
still see their own language, text size, name and form tokens."""

from __future__ import annotations

import gzip
import re

from sqlalchemy import func, select

from models import Person, StepView, db

from .conftest import csrf_token_from
from .factories import make_person, signed_in


def steps_of(app, slug: str, language: str = "vi"):
    return app.extensions["hocso_library"].get(slug).text(language).steps


def test_a_step_follows_the_language_chosen(client, learner):
    steps = steps_of(client.application, "vneid")
    english = steps_of(client.application, "vneid", "en")
    vietnamese = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert f"Bước 2/{len(steps)}" in vietnamese and steps[1].title in vietnamese
    client.post("/language", data={"language": "en"})
    page = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert f"Step 2/{len(english)}" in page and english[1].title in page
    assert "Next" in page and "Tiếp theo" not in page
    assert "Text size" in page and "Sign in for helpers and trainers" in page


def test_each_language_sees_the_picture_label_in_its_own_words(client, learner):
    """Pictures show Vietnamese app screens; their "example" label follows the page."""
    vietnamese = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert 'src="/lessons/images/vneid-store.svg"' in vietnamese
    picture = client.get("/lessons/images/vneid-store.svg").get_data(as_text=True)
    assert ">HÌNH MINH HỌA</text>" in picture and "EXAMPLE" not in picture

    client.post("/language", data={"language": "en"})
    english = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert 'src="/lessons/images/vneid-store.svg?lang=en"' in english
    response = client.get("/lessons/images/vneid-store.svg?lang=en")
    assert response.mimetype == "image/svg+xml"
    picture = response.get_data(as_text=True)
    assert ">EXAMPLE</text>" in picture and "HÌNH MINH HỌA</text>" not in picture
    assert client.get("/lessons/images/nope.svg?lang=en").status_code == 404


def test_a_step_marks_the_text_size_chosen(client, learner):
    client.post("/text-size", data={"size": "large"})
    page = client.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert 'class="text-large"' in page
    assert 'value="large" class="size size-large" aria-pressed="true"' in page
    client.post("/text-size", data={"size": "normal"})
    page = client.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert 'value="large" class="size size-large" aria-pressed="false"' in page
    assert 'value="normal" class="size size-normal" aria-pressed="true"' in page


def test_each_learner_finishes_with_their_own_token(content_app, communes):
    app = content_app(WTF_CSRF_ENABLED=True)
    last = f"/lessons/vneid/steps/{len(steps_of(app, 'vneid'))}"
    tokens = []
    for name in ("Bà Nga", "Ông Ba"):
        client = app.test_client()
        start = client.get("/learner/start").get_data(as_text=True)
        form = {"name": name, "birth_year": "1950", "commune": communes[0]}
        form["csrf_token"] = csrf_token_from(start)
        assert client.post("/learner/start", data=form).status_code == 303
        page = client.get(last).get_data(as_text=True)
        assert f"<strong>{name}</strong>" in page
        token = csrf_token_from(page.split('action="/lessons/vneid/complete"')[1])
        finished = client.post("/lessons/vneid/complete", data={"csrf_token": token})
        assert finished.status_code == 303
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_the_footer_follows_who_is_signed_in(app, client, learner, communes):
    guest = client.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert "Đăng nhập dành cho người hỗ trợ và giảng viên" in guest
    helper = signed_in(app, make_person(app, "Chị Linh", communes[0], role="helper"))
    page = helper.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert "<strong>Chị Linh</strong>" in page
    assert "Đăng nhập dành cho người hỗ trợ và giảng viên" not in page


def test_templates_being_edited_are_never_served_from_memory(content_app, communes):
    """With templates reloading (debug), an edited step template shows at once."""
    app = content_app(TEMPLATES_AUTO_RELOAD=True)
    client = app.test_client()
    form = {"name": "Bà Nga", "birth_year": "1946", "commune": communes[0]}
    assert client.post("/learner/start", data=form).status_code == 303
    assert "Bước 1/" in client.get("/lessons/vneid/steps/1").get_data(as_text=True)
    assert app.jinja_env.fragments == {}


# --- Whole pages from memory (views/page_cache.py) ----------------------------------------

TOKEN_FIELD = re.compile(r'(name="csrf_token" value=")[^"]+(")')


def both_ways(client, url: str) -> tuple[str, str]:
    """``url`` served from memory and rendered in full, forms' tokens blanked. From
    memory it is fetched twice, gzipped (as browsers take it) and not: both the same."""
    client.application.config["HOCSO_PAGE_CACHE"] = True
    plain = client.get(url).get_data(as_text=True)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data).decode() == plain
    client.application.config["HOCSO_PAGE_CACHE"] = False
    rendered = client.get(url).get_data(as_text=True)
    client.application.config["HOCSO_PAGE_CACHE"] = True
    return tuple(TOKEN_FIELD.sub(r"\1…\2", page) for page in (plain, rendered))


def test_a_page_from_memory_is_the_page_rendered_in_full(app, client, communes):
    """A guest reading, a learner remembered here, a learner signed in with a card,
    at another text size and language, on a step and the last step (Finish form)."""
    last = f"/lessons/vneid/steps/{len(steps_of(app, 'vneid'))}"
    visitors = {"guest": client}
    remembered = app.test_client()
    form = {"name": "Bà Nga", "birth_year": "1946", "commune": communes[0]}
    assert remembered.post("/learner/start", data=form).status_code == 303
    visitors["remembered"] = remembered
    card = make_person(app, "Ông Tư", communes[0])
    visitors["signed in"] = signed_in(app, card)
    for who, visitor in visitors.items():
        visitor.get("/")  # the welcome is flashed once (a page with one is not cached)
        for url in ("/lessons/vneid/steps/2", last):
            from_memory, rendered = both_ways(visitor, url)
            assert from_memory == rendered, (who, url)
        visitor.post("/text-size", data={"size": "larger"})
        visitor.post("/language", data={"language": "en"})
        from_memory, rendered = both_ways(visitor, "/lessons/vneid/steps/3")
        assert from_memory == rendered and 'class="text-larger"' in from_memory, who
    assert "<strong>Bà Nga</strong>" in both_ways(remembered, last)[0]
    assert "<strong>Ông Tư</strong>" in both_ways(visitors["signed in"], last)[0]


def test_a_name_is_escaped_in_a_page_from_memory(client, communes):
    form = {"name": "Bà <b>Tư</b> & co", "birth_year": "1946", "commune": communes[0]}
    assert client.post("/learner/start", data=form).status_code == 303
    for _ in range(2):  # rendered once, then from memory
        page = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
        assert "Bà &lt;b&gt;Tư&lt;/b&gt; &amp; co" in page and "<b>Tư</b>" not in page


def test_a_learner_deleted_meanwhile_reads_on_as_a_guest(app, client, learner):
    assert client.get("/lessons/vneid/steps/1").status_code == 200
    with app.app_context():
        db.session.delete(db.session.get(Person, learner))
        db.session.commit()
    page = client.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert "Bà Nga" not in page and "Lưu tiến độ" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StepView)) == 0


def test_a_helper_beside_a_learner_gets_the_page_rendered_for_them(
    app, communes, learner
):
    helper = signed_in(app, make_person(app, "Chị Linh", communes[0], role="helper"))
    assert helper.post("/help/start", data={"learner": learner}).status_code == 303
    page = helper.get("/lessons/vneid/steps/2").get_data(as_text=True)
    assert 'class="assist-bar' in page and "<strong>Bà Nga</strong>" in page
    with app.app_context():
        view = db.session.scalars(select(StepView).where(StepView.step == 2)).one()
        assert (view.person_id, view.assisted) == (learner, True)
