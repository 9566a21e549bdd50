"""The QR payment rehearsal: VietQR payloads, checks, grading, and its page without JavaScript."""

from __future__ import annotations

import re

import pytest
import segno
from werkzeug.datastructures import MultiDict

from content import load_library
from content.questions.qr_payment import QrPayment
from content.vietqr import (
    PayloadError,
    crc16_ccitt_false,
    format_vnd,
    parse_payload,
    qr_svg,
    vietqr_payload,
)
from tests.samples.qr_payment import QUIZ_EN, SLUG, qr_files

from .conftest import ROOT, start_quiz, stored_answers, token_in
from .samples import changed, write

# The brief's worked example (§2, "VietQR payload"), reproduced exactly.
WORKED_EXAMPLE = (
    "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA"
    "530370454061800005802VN62230819thanh toan don hang630470FA"
)


def questions(tmp_path, language: str = "vi") -> list[QrPayment]:
    library = load_library(write(tmp_path, qr_files()))
    assert library.problems == []
    return library.get(SLUG).quiz(language).questions


def messages(tmp_path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_library(write(tmp_path, files)).problems]


# --- VietQR payloads -------------------------------------------------------------------


def test_crc_check_value():
    assert crc16_ccitt_false("123456789") == "29B1"


def test_the_briefs_worked_example_byte_for_byte():
    payload = vietqr_payload(
        "970436", "1017595600", 180000, "thanh toan don hang", one_time=True
    )
    assert payload == WORKED_EXAMPLE
    assert payload.endswith("630470FA")


def test_a_static_code_without_amount_or_message():
    # The static example of xuannghia/vietnam-qr-pay's README, as a second check.
    assert vietqr_payload("970416", "257678859") == (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA"
        "53037045802VN6304AE9F"
    )


def test_a_payload_reads_back():
    transfer = parse_payload(WORKED_EXAMPLE)
    assert (transfer.bin, transfer.account, transfer.amount) == (
        "970436",
        "1017595600",
        180000,
    )
    assert transfer.message == "thanh toan don hang" and transfer.one_time
    static = parse_payload(vietqr_payload("999999", "ABC123"))
    assert static.amount is None and static.message is None and not static.one_time


def test_a_changed_payload_fails_its_crc():
    with pytest.raises(ValueError, match="CRC"):
        parse_payload(WORKED_EXAMPLE.replace("180000", "980000"))
    with pytest.raises(ValueError):
        parse_payload("hello")


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"bin": "97043"}, "bin", "'bin' must be 6 digits (found '97043')"),
        ({"bin": "97043a"}, "bin", "'bin' must be 6 digits"),
        ({"account": ""}, "account", "'account' must be 1 to 19 letters or digits"),
        ({"account": "1017 5956"}, "account", "without spaces"),
        ({"account": "1" * 20}, "account", "1 to 19"),
        ({"amount": 0}, "amount", "'amount' must be a whole number of đồng above 0"),
        ({"amount": -5}, "amount", "above 0"),
        ({"amount": 1.5}, "amount", "whole number"),
        ({"amount": True}, "amount", "whole number"),
        ({"amount": 10**13}, "amount", "at most 13 digits"),
        ({"message": "thanh toán"}, "message", "without accents"),
        ({"message": "x" * 26}, "message", "at most 25 characters (found 26)"),
        ({"message": ""}, "message", "'message' must be some text"),
    ],
)
def test_bad_values_are_refused_with_a_clear_reason(kwargs, field, words):
    values = {"bin": "999999", "account": "0009876543"} | kwargs
    with pytest.raises(PayloadError) as error:
        vietqr_payload(**values)
    assert error.value.field == field
    assert words in str(error.value)


def test_the_limits_themselves_are_allowed():
    payload = vietqr_payload("999999", "A" * 19, 10**13 - 1, "x" * 25)
    transfer = parse_payload(payload)
    assert transfer.account == "A" * 19 and transfer.message == "x" * 25


def test_the_qr_svg_is_inline_marked_sample_and_the_same_code_as_segno():
    svg = qr_svg(WORKED_EXAMPLE)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "style=" not in svg and "<script" not in svg
    assert ">MẪU</text>" in svg and 'aria-hidden="true"' in svg
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert 180 <= width <= 240  # about 200 px
    # Every dark module of segno's matrix (quiet zone of 4 included) is drawn, no more.
    rows = list(
        segno.make(WORKED_EXAMPLE, error="m", micro=False).matrix_iter(border=4)
    )
    drawn = sum(int(n) for n in re.findall(r"h(\d+)", svg))
    assert drawn == sum(map(sum, rows))
    assert f'viewBox="0 0 {len(rows)} {len(rows) + 16}"' in svg
    assert "MẪU" not in qr_svg(WORKED_EXAMPLE, label="")


def test_amounts_are_written_the_vietnamese_way():
    assert format_vnd(180000) == "180.000\u00a0đ"
    assert format_vnd(1500) == "1.500\u00a0đ" and format_vnd(500) == "500\u00a0đ"


def test_vietqr_module_is_flask_free():
    source = (ROOT / "content" / "vietqr.py").read_text(encoding="utf-8")
    assert "flask" not in source.lower()


# --- Reading the quiz file -------------------------------------------------------------


def test_the_three_payments_load_with_their_qr_codes(tmp_path):
    swapped, wrong_amount, genuine = questions(tmp_path)
    assert swapped.sticker.payload == vietqr_payload("999999", "0009876543")
    assert parse_payload(wrong_amount.sticker.payload).amount == 350000
    assert parse_payload(wrong_amount.sticker.payload).one_time
    assert parse_payload(wrong_amount.sticker.payload).message == "tien rau"
    assert swapped.amount == 45000 and swapped.amount_typed
    assert wrong_amount.amount == 350000 and not wrong_amount.amount_typed
    assert genuine.correct_response() == ["confirm"]
    assert "MẪU" in genuine.sticker.svg
    assert swapped.summary() == swapped.prompt


def test_the_situation_is_optional(tmp_path):
    files = qr_files()
    vi = files["quizzes/pay.vi.yaml"]
    files["quizzes/pay.vi.yaml"] = re.sub(r"    situation: .*\n", "", vi, count=1)
    library = load_library(write(tmp_path, files))
    assert library.problems == []
    first = library.get(SLUG).quiz("vi").question(1)
    assert first.situation is None and first.prompt == "Trả tiền cơm bằng mã QR"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    price: 45000\n",
            "",
            "quizzes/pay.vi.yaml:2: question 1 has no 'price'",
        ),
        (
            "    price: 45000\n",
            "    price: 45.000\n",
            "quizzes/pay.vi.yaml:7: 'price' must be a whole number of đồng from 1 to "
            "1000000000, written with digits only: 180000, not 180.000",
        ),
        (
            "      amount: 350000",
            "      amount: -350000",
            "quizzes/pay.vi.yaml:29: 'amount' must be a whole number of đồng",
        ),
        (
            '      bin: "999999"',
            '      bin: "99999"',
            "quizzes/pay.vi.yaml:10: 'bin' must be 6 digits (found '99999')",
        ),
        (
            '      bin: "999999"',
            "      bin: 999999",
            "quizzes/pay.vi.yaml:10: 'bin' must be written in quotes",
        ),
        (
            '      account: "0009876543"',
            "      account: 0009876543",
            "quizzes/pay.vi.yaml:11: 'account' must be written in quotes, "
            'e.g. account: "9876543" (a number loses its leading zeros)',
        ),
        (
            '      account: "0009876543"',
            '      account: "0009 876 543"',
            "quizzes/pay.vi.yaml:11: 'account' must be 1 to 19 letters or digits, "
            "without spaces (found '0009 876 543')",
        ),
        (
            '      account: "0009876543"\n',
            "",
            "quizzes/pay.vi.yaml:9: the sticker has no 'account'",
        ),
        (
            '      message: "tien rau"',
            '      message: "tiền rau"',
            "quizzes/pay.vi.yaml:30: 'message' must be written without accents",
        ),
        (
            '      shop: "Quán cơm Cô A (mẫu)"',
            '      shp: "Quán cơm Cô A (mẫu)"',
            "quizzes/pay.vi.yaml:9: unknown field 'shp'",
        ),
        (
            '    sticker:\n      shop: "Quán cơm Cô A (mẫu)"\n      bin: "999999"\n'
            '      account: "0009876543"\n',
            "    sticker: QR\n",
            "quizzes/pay.vi.yaml:8: 'sticker' must be a set of 'key: value' lines",
        ),
        (
            '      name: "TRAN VAN B"\n',
            "",
            "quizzes/pay.vi.yaml:13: the banking app screen has no 'name'",
        ),
        (
            "    answer: refuse",
            "    answer: maybe",
            "quizzes/pay.vi.yaml:15: 'answer' must be one of: confirm, refuse",
        ),
        (
            '    reason: "Không chuyển: tên người nhận trên màn hình khác tên chủ quán."\n',
            "",
            "quizzes/pay.vi.yaml:2: question 1 has no 'reason'",
        ),
        (
            '    answer: refuse\n    feedback: "Chưa đúng. Hãy nhìn số tiền',
            '    answer: confirm\n    feedback: "Chưa đúng. Hãy nhìn số tiền',
            "quizzes/pay.vi.yaml:34: 'answer: confirm' but the QR code asks for "
            "350.000\u00a0đ and the price is 35.000\u00a0đ: a wrong amount is refused",
        ),
        (
            '      name: "NGUYEN THI A"\n',
            '      name: "NGUYEN THI A"\n      warning: "Cảnh báo (mẫu): tài khoản nghi lừa đảo."\n',
            "quizzes/pay.vi.yaml:52: 'answer: confirm' but the screen shows a 'warning'",
        ),
    ],
)
def test_each_problem_names_its_file_and_line(tmp_path, old, new, expected):
    found = messages(tmp_path, changed(qr_files(), "quizzes/pay.vi.yaml", old, new))
    assert any(m.startswith(expected) for m in found), found


def test_a_warning_with_refuse_is_fine_and_the_same_in_both_languages(tmp_path):
    files = qr_files()
    for name, words in (("vi", "Cảnh báo (mẫu)"), ("en", "Warning (sample)")):
        path = f"quizzes/pay.{name}.yaml"
        files[path] = files[path].replace(
            '      name: "TRAN VAN B"\n',
            f'      name: "TRAN VAN B"\n      warning: "{words}"\n',
            1,
        )
    assert messages(tmp_path, files) == []
    files["quizzes/pay.en.yaml"] = QUIZ_EN
    assert messages(tmp_path / "again", files) == [
        "quizzes/pay.en.yaml:2: question 'swapped-sticker' must have the same type, "
        "options, right answer and review_step as in quizzes/pay.vi.yaml"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    answer: confirm", "    answer: refuse"),
        ('      account: "0001112223"', '      account: "0001112224"'),
        ("    price: 45000\n    sticker:\n      shop: \"Cô A's rice stall (sample)\"\n"
         '      bin: "999999"\n      account: "0001112223"',
         "    price: 46000\n    sticker:\n      shop: \"Cô A's rice stall (sample)\"\n"
         '      bin: "999999"\n      account: "0001112223"'),
    ],
)  # fmt: skip
def test_languages_must_agree_on_answer_and_qr_code(tmp_path, old, new):
    files = qr_files()
    assert old in files["quizzes/pay.en.yaml"]
    files["quizzes/pay.en.yaml"] = files["quizzes/pay.en.yaml"].replace(old, new, 1)
    assert messages(tmp_path, files) == [
        "quizzes/pay.en.yaml:38: question 'genuine' must have the same type, options, "
        "right answer and review_step as in quizzes/pay.vi.yaml"
    ]


# --- Grading ---------------------------------------------------------------------------


def test_grading_right_wrong_and_garbage(tmp_path):
    swapped, wrong_amount, genuine = questions(tmp_path)
    right = swapped.grade(["refuse"])
    assert right.correct and right.feedback == ()
    assert right.parts[0].correct and right.parts[0].feedback == swapped.reason
    assert right.parts[0].label == "TRAN VAN B · 45.000\u00a0đ"

    wrong = swapped.grade(["confirm"])
    assert not wrong.correct and wrong.feedback == (swapped.feedback,)
    assert not wrong.parts[0].correct and "khác tên chủ quán" in wrong.parts[0].feedback

    assert wrong_amount.grade(["confirm"]).parts[0].label == "LE THI C · 350.000\u00a0đ"
    assert genuine.grade(["confirm"]).correct
    assert genuine.grade(["refuse"]).feedback == (genuine.feedback,)
    for garbage in ([], ["maybe"], ["refuse", "refuse"], ["confirm", "refuse"], [""]):
        assert not swapped.grade(garbage).correct
        assert not genuine.grade(garbage).correct
    for question in (swapped, wrong_amount, genuine):
        assert question.grade(question.correct_response()).correct


def test_the_answer_comes_from_the_button_pressed(tmp_path):
    swapped = questions(tmp_path)[0]
    assert swapped.response_from_form(MultiDict([("answer", "refuse")])) == ["refuse"]
    assert swapped.response_from_form(MultiDict([("answer", "confirm")])) == ["confirm"]
    assert swapped.response_from_form(MultiDict([("answer", "maybe")])) is None
    assert swapped.response_from_form(MultiDict()) is None
    both = MultiDict([("answer", "confirm"), ("answer", "refuse")])
    assert swapped.response_from_form(both) is None


# --- The page, through the test client (no JavaScript) --------------------------------


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
