"""A page from memory is sent gzipped without compressing it again: its fixed parts
are deflated once and joined around each visit's name and form token. Whatever the
page and the values, the result must unzip to exactly the page."""

from __future__ import annotations

import gzip

import pytest

from views.page_cache import NAME, TOKEN, Page

TOKEN_VALUE = "IjEwNTA5NTA1YjE2NmE0MDAwZTk4OGRjZTBlMWU5ZTZhYWQ5ZWM4YWEi.Z1Gc3A.xYz"
HEAD = "<!doctype html><html lang=vi><head><title>Bước 3/19</title></head><body>"
BODY = "<main><h1>Mở ứng dụng VNeID</h1>" + "".join(
    f"<p>Bước {n}: bấm vào ô số {n * 7919 % 1000}.</p>" for n in range(60)
)


@pytest.mark.parametrize(
    "html",
    [
        f"{HEAD}<strong>{NAME}</strong>{BODY}<input value={TOKEN}>{BODY}"
        f"<input value={TOKEN}></main>",
        f"{NAME}{BODY}{TOKEN}",  # stand-ins at both ends: empty parts
        f"{HEAD}{BODY}",  # no stand-in at all
        f"{TOKEN}{TOKEN}{NAME}{NAME}{BODY}",  # side by side
    ],
    ids=["a step", "ends", "none", "side by side"],
)
@pytest.mark.parametrize(
    "name", ["Bà Nguyễn Thị Hoa", "", "Ông &lt;Tư&gt;", "Nga" * 30_000]
)
def test_a_packed_page_unzips_to_the_page(html, name):
    page = Page.of(html, len(TOKEN_VALUE))
    plain = page.fill(TOKEN_VALUE, name)
    assert plain == html.replace(TOKEN, TOKEN_VALUE).replace(NAME, name).encode()
    assert gzip.decompress(page.fill_gzipped(TOKEN_VALUE, name)) == plain


def test_packing_is_worth_it_and_close_to_compressing_the_whole_page():
    """Deflated in parts, the page may point back across a token but not a name: a
    little bigger than the page compressed whole, far smaller than not compressed."""
    html = f"{HEAD}<strong>{NAME}</strong>{BODY}<input value={TOKEN}>{BODY}"
    page = Page.of(html, len(TOKEN_VALUE))
    plain = page.fill(TOKEN_VALUE, "Bà Hoa")
    packed = page.fill_gzipped(TOKEN_VALUE, "Bà Hoa")
    whole = gzip.compress(plain, 6)
    assert len(packed) < len(plain) / 5
    # The second BODY points back across the token to the first: no second copy.
    assert len(packed) < len(whole) + 100


def test_a_token_of_another_length_is_not_packed():
    """Deflated parts point back across a token by its length: another length would
    point at the wrong bytes, so that page is left to be compressed as a whole."""
    page = Page.of(f"{BODY}<input value={TOKEN}>{BODY}", len(TOKEN_VALUE))
    assert page.fill_gzipped(TOKEN_VALUE + "x", "Bà Hoa") is None
    assert page.fill_gzipped(TOKEN_VALUE, "Bà Hoa") is not None
