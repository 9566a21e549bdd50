"""Whole pages that are the same for every learner but for two things: the forms'
token and the learner's name. Such a page is rendered once per variant (language,
text size, guest or learner, signed in or not) with stand-ins for those two, then
filled in for each request: a dictionary lookup and two replacements instead of a
template render, which was a third of a lesson step's cost.

The fixed parts are also kept deflated, so a browser that takes gzip gets the page
without compressing it again (compressing was a sixth of what was left): the parts are
joined around the real values into one gzip stream (views/deflate_pieces.py).
Flask-Compress leaves a response that already has its Content-Encoding alone.

Only plain visits are served this way. Anyone signed in who is not a learner, a helper
beside a learner, a page with a message to flash or with a query string: rendered as
usual (``variant`` answers None).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from flask import Response, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from .common import current_assist, language, text_size
from .deflate_pieces import WINDOW, deflated, gzip_stream, stored

# Stand-ins that cannot occur in a page otherwise (letters and digits only, so
# escaping leaves them as they are).
TOKEN = "hocsoStandInToken7d41c9"
NAME = "hocsoStandInName2b86e0"
# Lessons × steps × 2 languages × 3 text sizes × 4 kinds of visitor stay under this;
# it only bounds the memory (about 10 KB a page, deflated parts included) if that
# ever grows.
MAX_PAGES = 2_000
# Sessions whose signed form token a worker keeps (about 150 bytes each).
MAX_TOKENS = 50_000
MISSING = object()
STAND_INS = re.compile(f"({TOKEN}|{NAME})")  # split keeps them: text, stand-in, text…


@dataclass(frozen=True)
class StandIn:
    """Whoever is learning, as the templates see them while a page is rendered once."""

    name: str = NAME
    is_authenticated: bool = False
    password_hash: str | None = None
    role: str = "learner"

    def has_role(self, _role: str) -> bool:
        return False  # a learner: no helper's, trainer's or admin's links


def real_values(token: str, name: str) -> dict[bytes, bytes]:
    """What each stand-in becomes on this visit."""
    return {TOKEN.encode(): token.encode(), NAME.encode(): name.encode()}


@dataclass(frozen=True)
class Page:
    """A page rendered with stand-ins, split where the real values go; each fixed part
    as UTF-8 and deflated.

    Each deflated part may point back past a form token (every token is as long as
    ``token_length``: the distances hold) but not past the learner's name, whose
    length varies. Unknown bytes stand for the token while packing: NUL, which no page
    holds, so nothing points into it."""

    parts: tuple[bytes, ...]  # text, stand-in, text, stand-in, … text
    packed: tuple[bytes, ...]  # the same, the text parts deflated
    token_length: int

    @classmethod
    def of(cls, html: str, token_length: int) -> Page:
        parts = tuple(part.encode() for part in STAND_INS.split(html))
        packed, before = [], b""
        for part in parts:
            if part == NAME.encode():
                packed.append(part)
                before = b""
            elif part == TOKEN.encode():
                packed.append(part)
                before += b"\0" * token_length
            else:
                packed.append(deflated(part, b"" if b"\0" in part else before))
                before = (before + part)[-WINDOW:]
        return cls(parts, tuple(packed), token_length)

    def fill(self, token: str, name: str) -> bytes:
        """The page for this visit, as UTF-8."""
        real = real_values(token, name)
        return b"".join(real.get(part, part) for part in self.parts)

    def fill_gzipped(self, token: str, name: str) -> bytes | None:
        """The same page gzipped (the deflated parts around the real values), or None
        if this token is not as long as the one the page was packed for."""
        if len(token) != self.token_length:
            return None
        real = real_values(token, name)
        pieces = []
        for index, part in enumerate(self.parts):
            if index % 2:  # a stand-in
                pieces.append((real[part], stored(real[part])))
            else:
                pieces.append((part, self.packed[index]))
        return gzip_stream(pieces)


class PageCache:
    """Pages by key, the oldest forgotten past MAX_PAGES; shared by a worker's threads."""

    def __init__(self) -> None:
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = Lock()

    def get(self, key: tuple, make: Callable[[], Page]) -> Page:
        page = self.pages.get(key)
        if page is None:
            page = make()
            with self.lock:
                self.pages[key] = page
                if len(self.pages) > MAX_PAGES:
                    self.pages.popitem(last=False)
        return page


def init_app(app) -> None:
    """Each app (and worker) keeps its own pages and signed tokens."""
    app.extensions["hocso_pages"] = PageCache()
    app.extensions["hocso_tokens"] = {}


def variant(learning: bool) -> tuple | None:
    """What a cached page depends on besides its address (and whether someone is
    learning), or None when this visit must be rendered as usual."""
    if (
        not current_app.config["HOCSO_PAGE_CACHE"]
        or current_app.jinja_env.auto_reload  # debug: an edited template shows at once
        or request.query_string
        or "_flashes" in session
        or current_assist() is not None
    ):
        return None
    if current_user.is_authenticated:
        if current_user.role != "learner":
            return None
        signed_in = ("learner", bool(current_user.password_hash))
    else:
        signed_in = ("guest",)
    return (
        language(),
        text_size(),
        signed_in,
        learning,
    )


def stand_ins(key: tuple) -> dict[str, object]:
    """The template names to render a page of this variant with, once."""
    _language, _size, signed_in, learning = key
    if signed_in[0] == "learner":
        who = StandIn(
            is_authenticated=True, password_hash="x" if signed_in[1] else None
        )
        return {"current_user": who, "current_person": who}
    return {"current_person": StandIn() if learning else None}


def form_token() -> str:
    """The forms' token for this session, signed once per worker rather than on every
    page (signing is a tenth of a cached page's cost). Tokens never expire here
    (WTF_CSRF_TIME_LIMIT is None, so no elderly learner's form goes stale), so an
    earlier signature of the same session token is as good as a new one."""
    raw = session.get("csrf_token")
    if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None or raw is None:
        return generate_csrf()
    signed: dict[str, str] = current_app.extensions["hocso_tokens"]
    token = signed.get(raw)
    if token is None:
        token = generate_csrf()
        if len(signed) >= MAX_TOKENS:
            signed.clear()
        signed[raw] = token
    return token


def cached_page(
    name: str, key: tuple, render: Callable[..., str], learner: str | None
) -> Response | None:
    """The page ``name`` (``key`` says which) for this visit by ``learner`` (their name;
    None for a guest), gzipped if the browser takes it; or None when it cannot be
    served from the cache. ``render(**names)`` renders it with stand-ins."""
    kind = variant(learner is not None)
    if kind is None:
        return None
    cache: PageCache = current_app.extensions["hocso_pages"]

    def render_once() -> str:
        names = stand_ins(kind)
        person = g.pop("person", MISSING)
        # What csrf_token() and current_person() give the templates this time (so the
        # context processor reads nobody from the database either).
        g.csrf_token, g.person = TOKEN, names["current_person"]
        try:
            return render(**names)
        finally:
            del g.csrf_token, g.person
            if person is not MISSING:
                g.person = person

    token, who = form_token(), str(escape(learner or ""))
    page = cache.get((name, *key, *kind), lambda: Page.of(render_once(), len(token)))
    packed = page.fill_gzipped(token, who) if accepts_gzip() else None
    response = Response(packed or page.fill(token, who), mimetype="text/html")
    response.vary.add("Accept-Encoding")
    if packed:
        response.headers["Content-Encoding"] = "gzip"
    return response


def accepts_gzip() -> bool:
    """Whether this browser takes a gzipped page (every browser does)."""
    return request.accept_encodings["gzip"] > 0
