"""The red_flag question page, without JavaScript, in both languages."""

from __future__ import annotations

import re

import pytest

from tests.samples.red_flag import files

from ..conftest import answer_token, start_quiz, stored_answers
from ..samples import write


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving the test lesson, whose quiz starts with the red_flag question."""
    app = content_app(write(tmp_path / "content", files()))
    assert app.extensions["hocso_library"].problems == []
    return app


def send(client, url: str, **fields: str):
    """Answer the question at ``url`` as a browser without JavaScript would."""
    token = answer_token(client, url)
    data = {name.replace("_", "."): value for name, value in fields.items()}
    return client.post(url, data={"token": token} | data)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;")


def test_the_question_page_works_without_javascript(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)
    # The picture is a plain image button inside the form, at its own fixed size.
    image = re.search(r'<input type="image"[^>]*>', page).group(0)
    assert (
        'name="tap"' in image and 'src="/lessons/images/red-flag-bank-sms.svg"' in image
    )
    assert 'width="300"' in image and 'height="540"' in image
    assert f'alt="{escaped(q.description)}"' in image
    assert "Trong hình có 3 dấu hiệu lừa đảo." in page
    # The list, for a keyboard or a screen reader, folded away until asked for.
    assert "<details" in page and "Không chạm được? Chọn từ danh sách" in page
    assert "Tôi nghĩ dấu hiệu lừa đảo là:" in page
    for region in q.regions:
        assert (
            f'name="region" value="{region.id}">{escaped(region.label)}</button>'
            in page
        )
        assert escaped(region.feedback) not in page  # nothing gives the answer away
    form = page.split('class="answer-form"', 1)[1].split("</form>", 1)[0]
    assert re.findall(r"data-[a-z-]+", form) == ["data-view-box"]  # no regions
    assert '<g class="marker" hidden>' in page
    assert 'href="/static/css/types/red_flag.css"' in page
    assert 'src="/static/js/types/red_flag.js"' in page
    assert client.get("/lessons/images/red-flag-bank-sms.svg").status_code == 200


def test_a_tap_on_an_empty_spot_then_a_region_then_a_red_flag(client, learner):
    url = start_quiz(client, "otp")
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)

    assert send(client, url, tap_x="150", tap_y="20").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert escaped(q.empty_feedback) in page and "Đúng rồi!" not in page
    assert '<g class="marker" transform="translate(150 20)">' in page
    assert "Vòng tròn đỏ là chỗ bạn đã chạm lần trước." in page

    send(client, url, region="sender")
    page = client.get(url).get_data(as_text=True)
    sender = q.regions[0]
    assert escaped(sender.label) in page and escaped(sender.feedback) in page
    assert '<g class="marker" transform="translate(152 112)">' in page

    send(client, url, tap_x="100", tap_y="290")
    page = client.get(url).get_data(as_text=True)
    link = q.regions[2]
    assert "Đúng rồi!" in page
    assert escaped(link.feedback) in page and escaped(q.explanation) in page
    assert stored_answers(client.application) == [
        (["spot:150,20"], False),
        (["region:sender"], False),
        (["region:link"], True),
    ]


def test_pressing_the_picture_with_a_key_is_no_answer(client, learner):
    url = start_quiz(client, "otp")
    response = send(client, url, tap_x="0", tap_y="0")
    assert response.status_code == 303 and response.location.endswith("?empty=1")
    assert stored_answers(client.application) == []
    page = client.get(response.location).get_data(as_text=True)
    assert "Xin chọn một câu trả lời trước." in page


def test_show_me_the_answer_lists_every_red_flag(client, learner):
    url = start_quiz(client, "otp")
    send(client, url, region="sender")
    page = client.get(url).get_data(as_text=True)
    token = re.findall(r'name="token" value="([^"]+)"', page)[-1]
    client.post(url, data={"token": token, "reveal": "1"})
    page = client.get(url).get_data(as_text=True)
    q = client.application.extensions["hocso_library"].get("otp").quiz("vi").question(1)
    for region in q.regions:
        assert (escaped(region.feedback) in page) == region.flag


def test_the_question_page_in_english(client, learner):
    client.post("/language", data={"language": "en"})
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    assert "This picture has 3 red flags. Tap any one of them." in page
    assert "<summary>Can't tap? Choose from a list</summary>" in page
    assert "I think the red flag is:" in page
    assert 'value="link">The link in the message</button>' in page
