"""Big text that still works: at five screens and three text sizes, every step of every
lesson shows its Next button and the start of its text without scrolling, and every
question keeps its answer button (and, after feedback, Try again / Next with the
feedback's first line) on screen.

The screens: a phone (360×640), a small phone (320×568), a phone on its side (640×360),
200% browser zoom of the phone (180×320 CSS px at device scale 2) and a desktop. One
live server for the module and one page per screen and size; positions are measured
with getBoundingClientRect while the page is driven with goto, so ~900 pages stay fast.
"""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import close, make_app, sqlite_copy

from .conftest import (
    ARTIFACTS,
    Learner,
    check_accessibility,
    commune_label,
    fill_learner_form,
    sign_in,
    slugify,
)
from .test_learner_journey import answer_keys, choose_answer

pytestmark = pytest.mark.browser

SCREENS = {
    "phone": ({"width": 360, "height": 640}, 1),
    "small-phone": ({"width": 320, "height": 568}, 1),
    "landscape": ({"width": 640, "height": 360}, 1),
    "zoom-200": ({"width": 180, "height": 320}, 2),
    "desktop": ({"width": 1280, "height": 800}, 1),
}
SIZES = {"normal": "Chữ thường", "large": "Chữ to", "larger": "Chữ to nhất"}
LEARNER = Learner("Bà Tư (bố cục)")
RESTART = "Làm lại từ câu đầu tiên"
MIN_TARGET = 48

# Where things are, in CSS px of the screen (the viewport), read in one evaluate.
STEP_JS = """
size => {
  // The size buttons set only this class (open_page checks that); setting it here
  // measures all three sizes from one page load.
  document.documentElement.className = "text-" + size;
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  const nav = document.querySelector(".step-nav");
  const next = nav.querySelector("a[rel=next], form button");
  const back = nav.querySelector(".back a");
  const walker = document.createTreeWalker(document.querySelector(".step"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode() && !walker.currentNode.data.trim());
  const range = document.createRange();
  range.selectNodeContents(walker.currentNode);
  const first = [...range.getClientRects()].find(r => r.width > 0 && r.height > 0);
  const spills = [next, back].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim());
  return {
    next: box(next), back: box(back), navTop: nav.getBoundingClientRect().top,
    text: {top: first.top, bottom: first.bottom},
    width: innerWidth, height: innerHeight, scrollWidth: document.scrollingElement.scrollWidth,
    spills,
  };
}
"""

# The answer control (and the feedback's first line, if any) on screen, nothing sideways.
QUESTION_JS = """
([given, selector]) => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  const control = given || document.querySelector(selector);
  // The feedback's first line of text (not its whole box).
  const feedback = document.querySelector("#feedback .verdict");
  let verdict = null;
  if (feedback) {
    const walker = document.createTreeWalker(feedback, NodeFilter.SHOW_TEXT);
    while (walker.nextNode() && !walker.currentNode.data.trim());
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    verdict = [...range.getClientRects()].find(r => r.width > 0 && r.height > 0);
  }
  return {
    control: control && box(control),
    feedback: verdict && {top: verdict.top, bottom: verdict.bottom, left: verdict.left, right: verdict.right},
    width: innerWidth, height: innerHeight, scrollWidth: document.scrollingElement.scrollWidth,
  };
}
"""
ANSWER = (
    ".feedback .retry, .answer-form:has(input:checked) > .button,"
    " .answer-form .verdict-bar, .answer-bar .button"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    """One live server (SQLite, CSRF on, demo data) for the whole module."""
    from services.demo import load_demo_data

    database = tmp_path_factory.mktemp("layout") / "layout.db"
    app = make_app(sqlite_copy(sqlite_template, database), WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_demo_data(app.extensions["hocso_library"])
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()
    close(app)


@pytest.fixture(scope="module")
def learner_state(browser, server):
    """The cookies of a learner registered once (who is learning is asked only once)."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{server}/learner/start")
    fill_learner_form(page, LEARNER.name, LEARNER.born, commune_label(0))
    expect(page).to_have_url(f"{server}/")
    state = context.storage_state()
    context.close()
    return state


def open_page(browser, server, state, screen: str, size: str):
    """A page on ``screen`` with the text size set as a person does, with its button."""
    viewport, scale = SCREENS[screen]
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=scale,
        locale="vi-VN",
        storage_state=state,
        bypass_csp=True,
    )
    page = context.new_page()
    page.goto(f"{server}/")
    page.get_by_role("button", name=SIZES[size], exact=False).first.click()
    expect(page.locator("html")).to_have_class(f"text-{size}")
    return context, page


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"layout--{slugify(name)}.png"))


def on_screen(box: dict, seen: dict, bottom: float | None = None) -> bool:
    """The whole box is inside the screen (and above ``bottom``, a sticky bar's top)."""
    limit = seen["height"] if bottom is None else bottom
    return (
        box["top"] >= -0.5
        and box["bottom"] <= limit + 0.5
        and box["left"] >= -0.5
        and box["right"] <= seen["width"] + 0.5
    )


def step_problems(seen: dict) -> list[str]:
    problems = []
    if not on_screen(seen["next"], seen) or seen["next"]["height"] < MIN_TARGET - 0.5:
        problems.append(f"Next not fully on screen or under 48 px: {seen['next']}")
    if not on_screen(seen["back"], seen):
        problems.append(f"Back not fully on screen: {seen['back']}")
    overlap = (
        seen["back"]["right"] > seen["next"]["left"] + 0.5
        and seen["back"]["bottom"] > seen["next"]["top"] + 0.5
        and seen["next"]["bottom"] > seen["back"]["top"] + 0.5
    )
    if overlap:
        problems.append("Back and Next overlap")
    if seen["spills"]:
        problems.append(f"label wider than its button: {seen['spills']}")
    if not on_screen({**seen["text"], "left": 0, "right": 0}, seen, seen["navTop"]):
        problems.append(f"the step's first line is not on screen: {seen['text']}")
    if seen["scrollWidth"] > seen["width"]:
        problems.append(f"scrolls sideways: {seen['scrollWidth']} > {seen['width']}")
    return problems


@pytest.mark.parametrize("screen", SCREENS)
def test_every_step_shows_next_and_its_text(
    browser, server, learner_state, library, screen
):
    """Every step of every lesson, at each of the three text sizes."""
    context, page = open_page(browser, server, learner_state, screen, "larger")
    failures = []
    for lesson in library.ordered():
        for step in lesson.text("vi").steps:
            page.goto(
                f"{server}/lessons/{lesson.slug}/steps/{step.number}",
                wait_until="domcontentloaded",  # the stylesheet is in by then
            )
            for size in SIZES:
                seen = page.evaluate(STEP_JS, size)
                if (lesson, step.number) == (library.ordered()[0], 2):
                    shoot(page, f"step-{screen}-{size}")
                    check_accessibility(page)
                for problem in step_problems(seen):
                    failures.append(
                        f"{lesson.slug} step {step.number}, {size}: {problem}"
                    )
    context.close()
    assert not failures, f"{screen}:\n" + "\n".join(failures[:20])


@pytest.fixture(scope="module")
def helper_state(browser, server):
    """The cookies of the demo helper, sitting beside a demo learner."""
    from services.demo import DEMO_STAFF

    _, _, email, password, _ = next(s for s in DEMO_STAFF if s[1] == "helper")
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{server}/sign-in?next=/help/")
    sign_in(page, email, password, "Giúp một người học")
    page.get_by_role("button", name="Bắt đầu giúp").first.click()
    expect(
        page.get_by_role("complementary", name="Đang giúp người học")
    ).to_be_visible()
    state = context.storage_state()
    context.close()
    return state


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", ["phone", "small-phone", "landscape"])
def test_a_helper_beside_her_takes_one_line(
    browser, server, helper_state, library, screen, size
):
    """With a helper signed in, the header and the helping bar stay two slim rows (no
    account row), the bar on one line, and every VNeID step still shows Next and text."""
    context, page = open_page(browser, server, helper_state, screen, size)
    failures = []
    lesson = library.get("vneid")
    for step in lesson.text("vi").steps:
        page.goto(f"{server}/lessons/vneid/steps/{step.number}")
        heights = page.evaluate(
            """() => [".assist-bar", "header.site", ".assist-bar a[href$='/help/']"]
                 .map(s => document.querySelector(s).getBoundingClientRect().height)"""
        )
        bar, header, link = heights
        if bar > 56 or header > 60:
            failures.append(f"step {step.number}: header {header} px, bar {bar} px")
        if link > 48.5:
            failures.append(f"step {step.number}: the bar's links wrap ({link} px)")
        for problem in step_problems(page.evaluate(STEP_JS, size)):
            failures.append(f"step {step.number}: {problem}")
        if step.number == 2:
            shoot(page, f"helper-{screen}-{size}")
    context.close()
    assert not failures, f"{screen}, text {size}:\n" + "\n".join(failures[:20])


def question_problems(
    page, what: str, feedback: bool = False, control=None
) -> list[str]:
    """Problems with the answer control (``control``, or the first that ANSWER finds)."""
    if feedback:
        expect(page.locator("#feedback")).to_be_visible()
    page.wait_for_load_state("domcontentloaded")
    handle = control.element_handle() if control is not None else None
    seen = page.evaluate(QUESTION_JS, [handle, ANSWER])
    problems = []
    if seen["control"] is None or not on_screen(seen["control"], seen):
        problems.append(f"{what}: the answer button is not on screen {seen['control']}")
    if feedback and (seen["feedback"] is None or not on_screen(seen["feedback"], seen)):
        problems.append(f"{what}: the feedback's first line is not on screen")
    control, line = seen["control"], seen["feedback"]
    covers = (
        control
        and line
        and control["top"] < line["bottom"] - 0.5
        and control["bottom"] > line["top"] + 0.5
    )
    if feedback and covers:
        problems.append(f"{what}: the answer bar covers the feedback")
    if seen["scrollWidth"] > seen["width"]:
        problems.append(f"{what}: scrolls sideways")
    return problems


def start_quiz(page, server: str, slug: str) -> None:
    """Open ``slug``'s quiz at its first question (from the start, if begun before)."""
    page.goto(f"{server}/lessons/{slug}/quiz/")
    again = page.get_by_role("button", name=RESTART)
    (
        again if again.count() else page.get_by_role("button", name="Bắt đầu làm bài")
    ).click()
    expect(page.get_by_text("Câu 1/")).to_be_visible()


def choose_something(page, question) -> None:
    """Tap a (wrong) choice the way a person does, before the answer button."""
    if question.name in ("single", "multiple"):
        wrong = answer_keys(question, right=False)[0]
        text = next(o.text for o in question.options if o.key == wrong)
        page.get_by_label(text, exact=True).check()
    elif question.name in ("sms_inbox", "web_address"):
        page.locator(".answer-form input[type=radio]").first.check()


# Where choosing is itself the answer (a verdict, the "send" on a QR screen, a tap on
# the picture) there is no separate answer button to keep in reach.
CHOOSING_ANSWERS = ("scam_or_safe", "qr_payment", "red_flag")


def answer_in_reach(page, question, keys: list[str], what: str, wrong: bool):
    """Choose ``keys``, check the answer button is on screen, answer, check feedback."""
    problems = []
    if question.name in CHOOSING_ANSWERS:  # the verdicts themselves are in reach
        problems += question_problems(page, what)
    button = choose_answer(page, question, keys)
    if button is not None:
        problems += question_problems(page, what, control=button)
        button.click()
    after = "after a wrong try" if wrong else "after the right answer"
    return problems + question_problems(page, f"{what} {after}", True)


@pytest.mark.parametrize("size", ["normal", "larger"])
@pytest.mark.parametrize("screen", SCREENS)
def test_quiz_keeps_its_buttons_in_reach(
    browser, server, learner_state, library, screen, size
):
    """The VNeID quiz all through (a wrong try first where the file says what is wrong),
    every type's answer button checked once its choices are made."""
    context, page = open_page(browser, server, learner_state, screen, size)
    failures = []
    quiz = library.get("vneid").quiz("vi")
    start_quiz(page, server, "vneid")
    for number, question in enumerate(quiz.questions, start=1):
        what = f"question {number} ({question.name})"
        expect(page.get_by_text(f"Câu {number}/", exact=False).first).to_be_visible()
        if number == 1:
            choose_something(page, question)
            shoot(page, f"question-{screen}-{size}")
        if question.name in ("single", "multiple", "scam_or_safe"):
            keys = answer_keys(question, right=False)
            failures += answer_in_reach(page, question, keys, what, wrong=True)
            if number == 1:
                shoot(page, f"question-wrong-{screen}-{size}")
        keys = answer_keys(question, right=True)
        failures += answer_in_reach(page, question, keys, what, wrong=False)
        if number < len(quiz.questions):
            page.get_by_role("link", name="Câu tiếp theo").click()
    context.close()
    assert not failures, f"{screen}, text {size}:\n" + "\n".join(failures)


@pytest.mark.parametrize("screen", ["phone", "zoom-200"])
def test_practice_types_show_their_answer_button(
    browser, server, learner_state, library, screen
):
    """The practice room's questions (one of each practice type), at the largest text:
    once chosen, the answer button (or a QR screen's two buttons) is on screen."""
    context, page = open_page(browser, server, learner_state, screen, "larger")
    room = library.practice_rooms()[0]
    start_quiz(page, server, room.slug)
    first = page.url
    failures = []
    for number, question in enumerate(room.quiz("vi").questions, start=1):
        page.goto(first.rsplit("/", 1)[0] + f"/{number}")
        what = f"{number} ({question.name})"
        if question.name == "qr_payment":
            page.get_by_role("button", name="Quét mã").click()
            for choice in ("Xác nhận chuyển", "Không chuyển"):
                button = page.get_by_role("button", name=choice)
                failures += question_problems(page, what, control=button)
        elif question.name != "red_flag":  # tapping the picture is the answer
            button = choose_answer(page, question, answer_keys(question, right=True))
            failures += question_problems(page, what, control=button)
        shoot(page, f"practice-{screen}-{number}")
    context.close()
    assert not failures, "\n".join(failures)
