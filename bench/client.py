"""One-off HTTP requests: fetching a page, signing a learner up, reading HTML."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
TIMEOUT = 10.0
SESSION_COOKIE = "session"
STEP_PATH = "/lessons/vneid/steps/3"
STEP_MARKER = "Bước 3/"
LEARNER = {"name": "Người đo tốc độ", "birth_year": "1960"}


@dataclass
class Reply:
    """What the server sent back: status, headers and the body as sent."""

    status: int
    headers: Message
    body: bytes


def fetch(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> Reply:
    """One request on a fresh connection; redirects are not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def session_cookie(reply: Reply) -> str | None:
    """The `Cookie:` header value for the session cookie this reply sets, if any."""
    for header in reply.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        if SESSION_COOKIE in cookie:
            return f"{SESSION_COOKIE}={cookie[SESSION_COOKIE].value}"
    return None


class StartFormParser(HTMLParser):
    """Reads the learner form: its CSRF token, the first province of the commune
    picker, and the first commune it offers (once a province is chosen)."""

    def __init__(self) -> None:
        super().__init__()
        self.csrf_token: str | None = None
        self.province: str | None = None
        self.commune: str | None = None
        self._in_province = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the hidden token, the province options and the commune choices."""
        found = dict(attrs)
        if tag == "input" and found.get("name") == "csrf_token":
            self.csrf_token = self.csrf_token or found.get("value")
        elif tag == "input" and found.get("name") == "commune":
            self.commune = self.commune or found.get("value")
        elif tag == "select":
            self._in_province = found.get("name") == "province"
        elif tag == "option" and self._in_province and self.province is None:
            self.province = found.get("value") or None

    def handle_endtag(self, tag: str) -> None:
        """Leave the province select."""
        if tag == "select":
            self._in_province = False


class AssetParser(HTMLParser):
    """Collects the stylesheet and script URLs of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep `<link rel="stylesheet" href>` and `<script src>`."""
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and found.get("href"):
            self.assets.append(("CSS", found["href"]))
        elif tag == "script" and found.get("src"):
            self.assets.append(("JS", found["src"]))


def asset_urls(html: str) -> list[tuple[str, str]]:
    """(kind, URL) for every stylesheet and script the page loads."""
    parser = AssetParser()
    parser.feed(html)
    return parser.assets


def local_path(url: str) -> str:
    """The path (and query) of a same-site URL; other sites are refused."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc.split(":")[0] not in (HOST, "localhost"):
        raise RuntimeError(f"asset on another site, not measured: {url}")
    if not parts.path.startswith("/"):
        raise RuntimeError(f"relative asset URL not supported: {url}")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def create_learner(port: int, next_path: str = STEP_PATH) -> str:
    """Fill in the 'who is learning' form; return the signed-in session cookie."""
    form_page = fetch(port, "/learner/start")
    if form_page.status != 200:
        raise RuntimeError(f"GET /learner/start answered {form_page.status}")
    parser = StartFormParser()
    parser.feed(form_page.body.decode("utf-8"))
    cookie = session_cookie(form_page)
    if parser.commune is None and parser.province is not None and cookie:
        # The commune picker: choose its first province, then its first commune.
        query = urlencode({"province": parser.province})
        chosen = fetch(port, f"/learner/start?{query}", headers={"Cookie": cookie})
        parser.feed(chosen.body.decode("utf-8"))
    if not (parser.csrf_token and parser.commune and cookie):
        raise RuntimeError("learner form: no CSRF token, commune or session cookie")
    fields = {
        **LEARNER,
        "commune": parser.commune,
        "csrf_token": parser.csrf_token,
        "next": next_path,
    }
    reply = fetch(
        port,
        "/learner/start",
        method="POST",
        body=urlencode(fields).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
        },
    )
    signed_in = session_cookie(reply)
    if reply.status != 303 or signed_in is None:
        raise RuntimeError(
            f"POST /learner/start answered {reply.status}, cookie set: "
            f"{signed_in is not None}"
        )
    return signed_in


def open_step_page(port: int, cookie: str, path: str = STEP_PATH) -> str:
    """Check the step page answers 200 with its step counter; return a fresh cookie.

    The first visit shows (and so empties) the welcome message kept in the
    session, so the cookie it sends back is the one to use from then on.
    """
    reply = fetch(port, path, headers={"Cookie": cookie})
    text = reply.body.decode("utf-8", errors="replace")
    if reply.status != 200 or STEP_MARKER not in text:
        location = reply.headers.get("Location")
        where = f" (to {location})" if location else ""
        raise RuntimeError(
            f"GET {path} answered {reply.status}{where}; "
            f"{STEP_MARKER!r} in body: {STEP_MARKER in text}"
        )
    return session_cookie(reply) or cookie
