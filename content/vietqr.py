"""VietQR payloads (EMVCo, NAPAS) for practice QR codes that really decode, drawn as SVG.

Each field is an ID (2 digits), a length (2 digits) and a value; fields 38 and 62 hold
fields of their own. The string ends with ``6304`` and a CRC-16/CCITT-FALSE of
everything before it (``6304`` included). The content brief (§2, "VietQR payload")
gives the layout and a worked example that the tests reproduce byte for byte.

Practice codes use an obviously fake bank and account, and are always drawn with the
word "MẪU" (sample) under them: a correct VietQR string can be scanned by real banking
apps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import segno

GUID = "A000000727"  # NAPAS, the VietQR network
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # a transfer to an account number
CURRENCY_VND = "704"
COUNTRY = "VN"
STATIC, ONE_TIME = "11", "12"
MAX_AMOUNT_DIGITS = 13
MAX_ACCOUNT = 19
MAX_MESSAGE = 25
SAMPLE_LABEL = "MẪU"

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(rf"[A-Za-z0-9]{{1,{MAX_ACCOUNT}}}")
_PRINTABLE_ASCII = re.compile(r"[ -~]*")


class PayloadError(ValueError):
    """A value that cannot go into a VietQR payload; ``field`` names which one."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of ``data`` as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def check_bin(bin: str) -> str:
    """The bank's BIN: exactly 6 digits."""
    if not isinstance(bin, str) or not _BIN.fullmatch(bin):
        raise PayloadError("bin", f"'bin' must be 6 digits (found '{bin}')")
    return bin


def check_account(account: str) -> str:
    """The account number: 1 to 19 letters or digits, no spaces."""
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise PayloadError(
            "account",
            f"'account' must be 1 to {MAX_ACCOUNT} letters or digits, without spaces "
            f"(found '{account}')",
        )
    return account


def check_amount(amount: int) -> int:
    """An amount in whole VND, above zero."""
    if (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or amount <= 0
        or len(str(amount)) > MAX_AMOUNT_DIGITS
    ):
        raise PayloadError(
            "amount",
            f"'amount' must be a whole number of đồng above 0, at most "
            f"{MAX_AMOUNT_DIGITS} digits (found '{amount}')",
        )
    return amount


def check_message(message: str) -> str:
    """The transfer message: at most 25 unaccented ASCII characters."""
    if not isinstance(message, str) or not message:
        raise PayloadError("message", "'message' must be some text")
    if not _PRINTABLE_ASCII.fullmatch(message):
        raise PayloadError(
            "message",
            f"'message' must be written without accents, e.g. 'thanh toan' not "
            f"'thanh toán' (found '{message}')",
        )
    if len(message) > MAX_MESSAGE:
        raise PayloadError(
            "message",
            f"'message' must be at most {MAX_MESSAGE} characters (found {len(message)})",
        )
    return message


def vietqr_payload(
    bin: str,
    account: str,
    amount: int | None = None,
    message: str | None = None,
    one_time: bool = False,
) -> str:
    """The VietQR string for a transfer to ``account`` at the bank ``bin``.

    ``one_time`` marks a code for one payment (``01``=``12``) rather than a sticker
    that is used again and again (``11``). Raises PayloadError for a value that does
    not fit.
    """
    beneficiary = _field("00", check_bin(bin)) + _field("01", check_account(account))
    merchant = (
        _field("00", GUID)
        + _field("01", beneficiary)
        + _field("02", SERVICE_TO_ACCOUNT)
    )
    text = (
        _field("00", "01")
        + _field("01", ONE_TIME if one_time else STATIC)
        + _field("38", merchant)
        + _field("53", CURRENCY_VND)
    )
    if amount is not None:
        text += _field("54", str(check_amount(amount)))
    text += _field("58", COUNTRY)
    if message is not None:
        text += _field("62", _field("08", check_message(message)))
    text += "6304"
    return text + crc16_ccitt_false(text)


@dataclass(frozen=True)
class Transfer:
    """What a VietQR string asks for, read back from it."""

    bin: str
    account: str
    amount: int | None
    message: str | None
    one_time: bool


def parse_fields(text: str) -> dict[str, str]:
    """Split ID-length-value fields into a dict; raise ValueError if they do not fit."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(text):
        head = text[at : at + 4]
        if len(head) < 4 or not head.isdigit():
            raise ValueError(f"bad field header at character {at}")
        length = int(head[2:])
        value = text[at + 4 : at + 4 + length]
        if len(value) != length:
            raise ValueError(f"field {head[:2]} is cut short")
        fields[head[:2]] = value
        at += 4 + length
    return fields


def parse_payload(payload: str) -> Transfer:
    """Read a VietQR string back (checking its CRC); raise ValueError if it is not one."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise ValueError("no CRC field at the end")
    if crc16_ccitt_false(payload[:-4]) != payload[-4:]:
        raise ValueError("the CRC does not match")
    fields = parse_fields(payload[:-8])
    merchant = parse_fields(fields.get("38", ""))
    beneficiary = parse_fields(merchant.get("01", ""))
    if (
        fields.get("00") != "01"
        or merchant.get("00") != GUID
        or merchant.get("02") != SERVICE_TO_ACCOUNT
        or fields.get("53") != CURRENCY_VND
        or fields.get("58") != COUNTRY
    ):
        raise ValueError("not a VietQR transfer to an account")
    amount = fields.get("54")
    return Transfer(
        bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        amount=int(amount) if amount is not None else None,
        message=parse_fields(fields["62"]).get("08") if "62" in fields else None,
        one_time=fields.get("01") == ONE_TIME,
    )


def format_vnd(amount: int) -> str:
    """An amount the Vietnamese way: 180000 → "180.000 đ" (no break before the đ)."""
    return f"{amount:,}".replace(",", ".") + "\u00a0đ"


def qr_svg(payload: str, label: str = SAMPLE_LABEL, size: int = 200) -> str:
    """An inline SVG of ``payload`` as a QR code (quiet zone included), ``label`` below it.

    No XML declaration and no style attributes, so it can be put straight into a
    page under a strict Content-Security-Policy. The QR code is about ``size`` pixels
    wide; the SVG scales down with its container. It is hidden from screen readers:
    the page describes it in words.
    """
    qr = segno.make(payload, error="m", micro=False)
    rows = list(qr.matrix_iter(border=4))
    width = len(rows)
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append(f"M{start} {y}.5h{x - start}")
            else:
                x += 1
    label_height = 16 if label else 0
    height = width + label_height
    scale = max(1, round(size / width))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vietqr" '
        f'viewBox="0 0 {width} {height}" width="{width * scale}" '
        f'height="{height * scale}" aria-hidden="true" focusable="false">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<path stroke="#000" stroke-width="1" shape-rendering="crispEdges" d="{"".join(runs)}"/>',
    ]
    if label:
        parts.append(
            f'<text x="{width / 2:g}" y="{width + 12}" text-anchor="middle" '
            f'font-family="system-ui, sans-serif" font-size="11" font-weight="700" '
            f'fill="#a1261c">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
