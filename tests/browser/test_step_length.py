"""One action per screen: every lesson step's text fits in about 1.5 phone screens.

A learner registers once, then Chromium at 360×640 with normal text size opens every
step of every lesson (practice rooms included), in Vietnamese and in English, and
measures the height of the step's own block (its title, text and pictures). The steps
come from the content library, so the test follows the lessons when they change.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, commune_label, fill_learner_form

pytestmark = pytest.mark.browser

MAX_SCREENS = 1.5
MAX_HEIGHT = MAX_SCREENS * PHONE["height"]  # 960 px of a 640 px high screen
LANGUAGE_BUTTON = {"vi": "Tiếng Việt", "en": "English"}


def step_heights(page, server, library, language: str) -> dict[str, float]:
    """{"slug step N": height in px} for every step of every lesson in ``language``."""
    heights = {}
    for lesson in library.ordered():
        for step in lesson.text(language).steps:
            page.goto(server(f"/lessons/{lesson.slug}/steps/{step.number}"))
            block = page.locator("article.step")
            heights[f"{lesson.slug} step {step.number} ({language})"] = (
                block.bounding_box()["height"]
            )
    return heights


def test_every_step_fits_in_one_and_a_half_screens(live_server, page, library):
    assert not library.problems, library.problems
    page.goto(live_server("/learner/start?next=/"))
    fill_learner_form(page, "Bà Đo (thử)", 1946, commune_label())
    expect(page.locator("html")).to_have_class("text-normal")

    heights = step_heights(page, live_server, library, "vi")
    page.get_by_role("button", name=LANGUAGE_BUTTON["en"]).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heights |= step_heights(page, live_server, library, "en")

    too_long = {
        where: f"{height:.0f} px = {height / PHONE['height']:.2f} screens"
        for where, height in heights.items()
        if height > MAX_HEIGHT
    }
    assert not too_long, (
        f"steps longer than {MAX_SCREENS} screens ({MAX_HEIGHT:.0f} px) at 360×640: "
        "split them into one action or one idea per step\n"
        + "\n".join(f"{where}: {size}" for where, size in too_long.items())
    )
