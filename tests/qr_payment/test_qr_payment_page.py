"""The QR payment question page without JavaScript, in both languages."""

from __future__ import annotations

import pytest

from tests.samples.qr_payment import SLUG, qr_files

from ..conftest import start_quiz, stored_answers, token_in
from ..samples import write


@pytest.fixture
def app(content_app, tmp_path):
    """The app serving the small QR payment lesson instead of HọcSố's own content."""
    return content_app(write(tmp_path / "content", qr_files()))


def test_the_page_shows_sticker_screen_and_two_buttons(client, learner):
    page = client.get(start_quiz(client, SLUG)).get_data(as_text=True)
    assert "<h1>Trả tiền cơm bằng mã QR</h1>" in page
    assert '<p class="qr-situation">Bạn ăn cơm ở quán Cô A' in page
    assert "Số tiền bạn cần trả:" in page and "45.000\u00a0đ" in page
    assert "MẪU – không phải tài khoản thật" in page
    assert "Quán cơm Cô A (mẫu)" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="vietqr"' in page
    assert (
        'role="img" aria-label="Mã QR mẫu trên tấm dán của Quán cơm Cô A (mẫu)"' in page
    )
    assert "Màn hình ứng dụng ngân hàng của bạn:" in page
    assert "Ngân hàng ABC (mẫu)" in page and "TRAN VAN B" in page
    assert "0009876543" in page and "(bạn tự nhập)" in page
    assert (
        '<button class="button qr-confirm" name="answer" value="confirm">Xác nhận chuyển</button>'
        in page
    )
    assert (
        '<button class="button secondary qr-refuse" name="answer" value="refuse">Không chuyển</button>'
        in page
    )
    assert "data-scan-first" in page and "Quét mã" in page
    assert "css/types/qr_payment.css" in page and "js/types/qr_payment.js" in page
    assert " style=" not in page and " onclick=" not in page
    assert "<script>" not in page


def test_the_wrong_amount_page_shows_the_amount_in_the_code(client, learner):
    url = start_quiz(client, SLUG).rsplit("/", 1)[0] + "/2"
    page = client.get(url).get_data(as_text=True)
    assert "350.000\u00a0đ" in page and "35.000\u00a0đ" in page
    assert "tien rau" in page and "(bạn tự nhập)" not in page


def test_answering_by_plain_post_wrong_then_right(client, learner):
    url = start_quiz(client, SLUG)
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"token": token_in(page), "answer": "confirm"})
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Không sao, mình cùng xem lại nhé." in page
    assert "TRAN VAN B không phải tên Cô A dặn" in page
    assert "khác tên chủ quán" in page  # the reason, in the ✔/✗ list
    assert "Đúng rồi!" not in page
    assert "data-scan-first" not in page  # a second try shows the screen at once
    assert "Xem câu trả lời đúng" in page

    response = client.post(url, data={"token": token_in(page), "answer": "refuse"})
    page = client.get(url).get_data(as_text=True)
    assert "Đúng rồi!" in page
    assert "Mã QR chỉ chứa số tài khoản, không chứa tên." in page
    responses = [response for response, _ in stored_answers(client.application)]
    assert responses == [["confirm"], ["refuse"]]


def test_a_made_up_answer_asks_to_choose(client, learner):
    url = start_quiz(client, SLUG)
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"token": token_in(page), "answer": "maybe"})
    assert response.status_code == 303 and response.location.endswith("?empty=1")


def test_the_page_in_english(client, learner):
    client.post("/language", data={"language": "en"})
    page = client.get(start_quiz(client, SLUG)).get_data(as_text=True)
    assert "You need to pay:" in page and "SAMPLE – not a real account" in page
    assert "Cô A&#39;s rice stall (sample)" in page
    assert "Confirm transfer" in page and "Don't transfer" in page
    assert ">MẪU</text>" in page
