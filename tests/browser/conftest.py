"""Browser fixtures: a live server on SQLite, system Chromium, axe-core and screenshots.

Chromium is Debian's (/usr/bin/chromium), never one downloaded by ``playwright install``.
Without it, or without axe-core, these tests fail with what to install; set
HOCSO_SKIP_BROWSER=1 to skip them instead.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import ROOT, close, make_app, sqlite_copy, stored_answers

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    # Both rules are off by default: target size (2.5.8) and label in name (2.5.3,
    # "experimental" in axe, so its tag alone does not run it).
    "rules": {
        "target-size": {"enabled": True},
        "label-content-name-mismatch": {"enabled": True},
    },
}


def require(path: Path, how: str) -> None:
    """Fail (or skip, with HOCSO_SKIP_BROWSER=1) when a browser-test tool is missing."""
    if path.exists():
        return
    message = f"{path} is missing: {how}"
    if os.environ.get("HOCSO_SKIP_BROWSER") == "1":
        pytest.skip(message)
    pytest.fail(f"{message} (or set HOCSO_SKIP_BROWSER=1 to skip browser tests)")


# --- The app, served for real ----------------------------------------------------------


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server_factory(
    tmp_path, sqlite_template
) -> Iterator[Callable[..., LiveServer]]:
    """Start the app on SQLite with CSRF on and the demo communes, on a free local port.

    ``content_root`` serves other lessons and quizzes than HọcSố's own (a folder
    with lessons/ and quizzes/). Every server started is stopped after the test.
    """
    from services.demo import load_demo_data

    started: list[tuple[Flask, object, threading.Thread]] = []

    def start(content_root: Path | None = None) -> LiveServer:
        config = {"WTF_CSRF_ENABLED": True}
        if content_root is not None:
            config["CONTENT_ROOT"] = str(content_root)
        database = tmp_path / f"browser-{len(started)}.db"
        app = make_app(sqlite_copy(sqlite_template, database), **config)
        with app.app_context():
            load_demo_data(app.extensions["hocso_library"])
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(
            target=server.serve_forever, name="live-server", daemon=True
        )
        thread.start()
        started.append((app, server, thread))
        return LiveServer(app, f"http://127.0.0.1:{server.server_port}")

    yield start
    for app, server, thread in started:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        close(app)


@pytest.fixture
def live_server(live_server_factory) -> LiveServer:
    """HọcSố's own content, served for real.

    Ask for it before ``page``/``new_context`` so the browser lets go of its
    connections before the server stops.
    """
    return live_server_factory()


# --- Chromium --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "run `apt-get install chromium` (or `.ci/run`)")
    require(AXE_JS, "run `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """Open browser contexts (closed after the test): a phone, in Vietnamese, by default.

    ``bypass_csp`` lets axe be injected as a script tag: the app's CSP allows only its
    own scripts. Contexts that do not run axe can keep the CSP on to prove it holds.
    """
    contexts = []

    def open_context(viewport: dict = PHONE, bypass_csp: bool = True, **options):
        context = browser.new_context(
            viewport=viewport,
            locale="vi-VN",
            bypass_csp=bypass_csp,
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a phone-sized (360×640) context."""
    return new_context().new_page()


# --- Watching what goes wrong while a page is used --------------------------------------


def ignored(url: str) -> bool:
    """Chromium asks every site for /favicon.ico by itself; the app has none (yet)."""
    return url.endswith("/favicon.ico")


@dataclass
class Problems:
    """Console errors, uncaught script errors and HTTP errors seen by a page."""

    seen: list[str] = field(default_factory=list)

    @classmethod
    def watching(cls, page) -> Problems:
        """A new list of problems, filled in while ``page`` is used."""
        problems = cls()
        problems.watch(page)
        return problems

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"script error: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not ignored(where):
            self.seen.append(f"console error: {message.text} ({where})")

    def _response(self, response) -> None:
        if response.status >= 400 and not ignored(response.url):
            self.seen.append(f"HTTP {response.status} for {response.url}")

    def assert_none(self) -> None:
        assert not self.seen, "problems while using the site:\n" + "\n".join(self.seen)


# --- Accessibility and screenshots ------------------------------------------------------


def format_violations(violations: list[dict], url: str, limit: int = 5) -> str:
    """A readable list: rule, impact, help, where, and the first few elements."""
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        nodes = violation.get("nodes", [])
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" — {violation.get('helpUrl', '')}"
        )
        for node in nodes[:limit]:
            target = " ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  [{summary[:300]}]")
        if len(nodes) > limit:
            lines.append(f"    … and {len(nodes) - limit} more")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    """Inject axe-core (once per document) and return its WCAG 2.2 AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
    )


def check_accessibility(page) -> None:
    """Assert axe-core finds no violation of WCAG 2.0/2.1/2.2 A and AA, target size included."""
    violations = run_axe(page)
    assert not violations, format_violations(violations, page.url)


BROKEN_WORDS_JS = """
maxLength => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const visuallyHidden = element => {
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const box = e.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) return true;  // "screen reader only"
    }
    return !element.checkVisibility();
  };
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!element || element.closest("script, style") || visuallyHidden(element)) continue;
    for (const match of node.data.matchAll(/\\S+/g)) {
      if (match[0].length > maxLength) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      // Glyphs of one line overlap vertically (font runs may differ a little in height).
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const top = Math.min(...rects.map(r => r.top));
      const firstLineBottom = Math.min(...rects.filter(r => r.top < top + 1).map(r => r.bottom));
      if (rects.some(r => r.top >= firstLineBottom - 1)) broken.push(`"${match[0]}" in <${element.tagName.toLowerCase()}>`);
    }
  }
  return broken;
}
"""


def check_words_whole(page, max_length: int = 20) -> None:
    """Assert no word is split across two lines (a long address may wrap anywhere).

    Vietnamese words are short syllables: "Kiể-m" or "10/-10" broken over two lines is
    very hard to read, above all on a narrow phone and with older eyes.
    """
    broken = page.evaluate(BROKEN_WORDS_JS, max_length)
    assert not broken, f"words split across lines on {page.url}: " + ", ".join(
        broken[:12]
    )


def screenshot(page, test_name: str, step: str) -> Path:
    """Save two screenshots in test-artifacts/ for a human to look at.

    ``NAME.png`` is the screen as the learner first sees it; ``NAME.full.png`` is the
    whole page (where a sticky bar is drawn wherever the screen's bottom was).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{slugify(test_name)}--{slugify(step)}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(path.with_suffix(".full.png")), full_page=True)
    return path


def slugify(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@pytest.fixture
def visit(request) -> Callable[..., Path]:
    """``visit(page, "step")``: screenshot the page as it is now, then check it.

    The checks are axe-core (``check_accessibility``) and whole words
    (``check_words_whole``); ``accessibility=False`` only takes the screenshots (for a
    page without JavaScript, where axe cannot run). Screenshots are numbered in the
    order taken; the test's old ones are removed first.
    """
    test_name = slugify(request.node.name)
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{test_name}--*.png"):
        old.unlink()
    count = 0

    def check(page, step: str, accessibility: bool = True) -> Path:
        nonlocal count
        count += 1
        path = screenshot(page, test_name, f"{count:02d}-{step}")
        if accessibility:
            check_accessibility(page)
            check_words_whole(page)
        return path

    return check


def visit_with_largest_text(page, visit, step: str) -> None:
    """``visit`` the page as ``step``-largest-text, then set the text back to normal."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Chữ to nhất").click()
    expect(page.locator("html")).to_have_class("text-larger")
    visit(page, f"{step}-largest-text")
    page.get_by_role("button", name="Chữ thường").click()
    expect(page.locator("html")).to_have_class("text-normal")


# --- Doing what a helper does first -----------------------------------------------------


def sign_in(page, email: str, password: str, heading: str) -> None:
    """Fill the sign-in page by its labels; it leads on to the page titled ``heading``."""
    from playwright.sync_api import expect

    page.get_by_label("Số điện thoại hoặc email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def commune_label(index: int = 0) -> str:
    """How the form shows one of the demo communes ("Name, Province")."""
    from services.demo import DEMO_COMMUNES, DEMO_PROVINCE

    return f"{DEMO_COMMUNES[index][1]}, {DEMO_PROVINCE[1]}"


def tick_commune(page, commune: str) -> None:
    """Tick a commune the picker lists ("Name, Province": the demo province is the
    only one, so its communes are listed at once)."""
    name, province = commune.rsplit(", ", 1)
    page.get_by_role("radio", name=f"{name} {province}", exact=True).check()


def fill_learner_form(page, name: str, year: int | str, commune: str) -> None:
    """Fill "Who is learning?" by its labels, as a person would, and send it."""
    tick_commune(page, commune)
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Năm sinh").fill(str(year))
    page.get_by_role("button", name="Lưu và tiếp tục").click()


@dataclass(frozen=True)
class Learner:
    """Who a test registers as: a name, a year of birth and a demo commune's index."""

    name: str
    born: int = 1946
    commune: int = 0


def open_quiz(
    page, server: LiveServer, slug: str, learner: Learner, *, heading: str | None = None
) -> None:
    """Register ``learner`` via a link to ``slug``'s quiz, start it, check its ``heading``."""
    from playwright.sync_api import expect

    page.goto(server(f"/learner/start?next=/lessons/{slug}/quiz/"))
    fill_learner_form(page, learner.name, learner.born, commune_label(learner.commune))
    expect(page).to_have_url(server(f"/lessons/{slug}/quiz/"))
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def recorded_answers(server: LiveServer, learner: Learner, *fields: str) -> list[tuple]:
    """``learner``'s stored answers (not the demo learners'), as in ``stored_answers``."""
    return stored_answers(server.app, *fields, learner=learner.name)


def answer_button(page):
    """The answer form's button: "Trả lời", or "Thử lại" after a wrong try."""
    return page.get_by_role("button", name=re.compile(r"^(Trả lời|Thử lại)$"))
