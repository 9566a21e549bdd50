"""VietQR payloads: building, reading back, checking and drawing them."""

from __future__ import annotations

import re

import pytest
import segno

from content.vietqr import (
    PayloadError,
    crc16_ccitt_false,
    format_vnd,
    parse_payload,
    qr_svg,
    vietqr_payload,
)

from ..conftest import ROOT

# The brief's worked example (§2, "VietQR payload"), reproduced exactly.
WORKED_EXAMPLE = (
    "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA"
    "530370454061800005802VN62230819thanh toan don hang630470FA"
)


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
