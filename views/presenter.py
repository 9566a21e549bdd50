"""The presenter view: a lesson projected for a room, one step per screen, in very
large type, with no site chrome.

Anyone may open it, as anyone may open a lesson; presenting records nothing for
anyone (no step seen, no learner asked for). Previous and Next are plain links;
static/js/presenter.js adds the keys a presenter's clicker or keyboard sends.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, url_for
from markupsafe import Markup

from .common import language, lesson_or_404

bp = Blueprint("presenter", __name__, url_prefix="/lessons")


# A picture is a paragraph of its own in a rendered step (content/render.py).
PICTURE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")


def split_pictures(html: str) -> tuple[Markup, list[Markup]]:
    """A step's text and its pictures apart, so a wide screen shows them side by side.

    The step's HTML was sanitised when the lesson was loaded, as on the step page.
    """
    pictures = [Markup(tag) for tag in PICTURE.findall(html)]
    return Markup(PICTURE.sub("", html)), pictures


def lesson_and_text(slug: str):
    """The lesson ``slug`` (or 404) and its text in the page's language."""
    lesson = lesson_or_404(slug)
    return lesson, lesson.text(language())


def screen(lesson, text, kind: str, prev_url: str | None, next_url: str | None, **more):
    """Render one screen with its way back and forward (None at either end)."""
    return render_template(
        "presenter/screen.html",
        kind=kind,
        lesson=lesson,
        text=text,
        total=len(text.steps),
        prev_url=prev_url,
        next_url=next_url,
        **more,
    )


@bp.get("/<slug>/present")
def present(slug: str):
    """The title screen: the lesson's name, what it teaches, how many steps."""
    lesson, text = lesson_and_text(slug)
    first = url_for("presenter.step", slug=slug, step=1) if text.steps else None
    return screen(lesson, text, "title", None, first)


@bp.get("/<slug>/present/<int:step>")
def step(slug: str, step: int):
    """One step of the lesson, as large as the screen allows."""
    lesson, text = lesson_and_text(slug)
    if not 1 <= step <= len(text.steps):
        abort(404)
    if step == 1:
        prev_url = url_for("presenter.present", slug=slug)
    else:
        prev_url = url_for("presenter.step", slug=slug, step=step - 1)
    if step == len(text.steps):
        next_url = url_for("presenter.end", slug=slug)
    else:
        next_url = url_for("presenter.step", slug=slug, step=step + 1)
    body, pictures = split_pictures(text.steps[step - 1].html)
    return screen(
        lesson,
        text,
        "step",
        prev_url,
        next_url,
        step=text.steps[step - 1],
        body=body,
        pictures=pictures,
    )


@bp.get("/<slug>/present/end")
def end(slug: str):
    """After the last step: the end of the lesson, and the way to its quiz."""
    lesson, text = lesson_and_text(slug)
    last = url_for("presenter.step", slug=slug, step=len(text.steps))
    return screen(lesson, text, "end", last, None)
