"""The phone_call question page: the call played with links only, nothing recorded half-way."""

from __future__ import annotations

import re

import pytest

from tests.samples.phone_call import (
    WRONG_PATH,
    call_files,
)

from ..conftest import start_quiz, stored_answers, token_in
from ..samples import write


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving a lesson whose quiz is one phone call."""
    return content_app(write(tmp_path / "content", call_files()))


def reply_links(page: str) -> list[str]:
    return re.findall(r'<a class="button secondary reply" href="([^"]+)"', page)


def test_the_call_is_played_with_links_only(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    assert "Cuộc gọi đến" in page and "Số lạ 09xx xxx xxx" in page
    assert "Số của bác liên quan đến một vụ rửa tiền." in page
    assert "Bạn trả lời thế nào?" in page
    assert "css/types/phone_call.css" in page
    assert 'name="answer"' not in page  # nothing to send before the call ends
    links = reply_links(page)
    assert len(links) == 3
    assert links[0].endswith("?path=start:a#now") or links[0].endswith(
        "?path=start%3Aa#now"
    )

    # Tap "What must I do?", then "I tell nobody": the conversation so far is shown.
    page = client.get(links[0]).get_data(as_text=True)
    assert "Trời ơi, tôi phải làm gì?" in page and 'class="says you"' in page
    assert 'id="now"' in page and "Bác phải giữ bí mật" in page
    page = client.get(reply_links(page)[0]).get_data(as_text=True)
    assert "Bác chuyển tiền vào tài khoản này" in page
    page = client.get(reply_links(page)[0]).get_data(as_text=True)

    # The call ended badly: the page says what happened, and the answer can be sent.
    assert "Cuộc gọi đã kết thúc." in page and "Bạn đã mất tiền" in page
    assert 'class="call-ending unsafe"' in page
    assert reply_links(page) == []
    sent = re.findall(r'<input type="hidden" name="answer" value="([^"]+)">', page)
    assert sent == WRONG_PATH
    assert "Gửi câu trả lời" in page

    response = client.post(url, data={"token": token_in(page), "answer": sent})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Không sao, mình cùng xem lại nhé." in page
    assert "Công an không bao giờ gọi điện bắt chuyển tiền." in page
    assert "Kẻ gian giả làm công an, bắt giữ bí mật rồi bảo chuyển tiền." in page
    # The call starts again from its first line for another try.
    assert len(reply_links(page)) == 3 and 'class="says you"' not in page

    right = client.get(url + "?path=start:b").get_data(as_text=True)
    assert "Bạn đã an toàn" in right and 'class="call-ending safe"' in right
    client.post(url, data={"token": token_in(right), "answer": ["start:b"]})
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page
    assert "Công an không gọi điện bắt chuyển tiền hay giữ bí mật." in page
    assert stored_answers(client.application) == [
        (WRONG_PATH, False),
        (["start:b"], True),
    ]


def test_garbage_in_the_query_string_starts_the_call_over(client, learner):
    url = start_quiz(client, "otp")
    for query in ("?path=%3Cscript%3E", "?path=secret:a", "?path=start:q", "?path="):
        response = client.get(url + query)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Số của bác liên quan đến một vụ rửa tiền." in page
        assert 'class="says you"' not in page and "<script>" not in page


def test_an_unfinished_call_is_not_recorded(client, learner):
    url = start_quiz(client, "otp")
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"token": token_in(page), "answer": ["start:a"]})
    assert response.status_code == 303 and response.location.endswith("?empty=1")
    assert stored_answers(client.application) == []
