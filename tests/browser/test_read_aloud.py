"""Read aloud in real Chromium, with a fake speech engine: a Vietnamese voice or none.

Chromium here has no voices, as many phones have no Vietnamese one. The fake replaces
``speechSynthesis``: its voices arrive late (``voiceschanged``), it records what it is
asked to say and each ``cancel()`` (in sessionStorage, which outlives the page), starts
an utterance at once and ends it only when the test says the sentence is over.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .conftest import Learner, commune_label, fill_learner_form

pytestmark = pytest.mark.browser

SLUG = "vneid"
READ = "Đọc to"
STOP = "Dừng đọc"
SLOWER = "Đọc chậm hơn"
NO_VOICE = "Điện thoại này chưa có giọng đọc tiếng Việt"

FAKE_SPEECH = """
(() => {
  const config = %s;
  const voices = config.voices.map(([name, lang]) => ({
    name, lang, voiceURI: name, localService: true, default: false,
  }));
  let loaded = false;
  const store = window.sessionStorage;
  const said = window.__said = [];
  class Utterance {
    constructor(text) {
      Object.assign(this, { text, lang: "", voice: null, rate: 1, pitch: 1, volume: 1 });
    }
  }
  class Synth extends EventTarget {
    constructor() { super(); this.queue = []; this.current = null; }
    get speaking() { return this.current !== null; }
    get pending() { return this.queue.length > 0; }
    getVoices() { return loaded ? voices.slice() : []; }
    speak(utterance) {
      said.push({ text: utterance.text, lang: utterance.lang, rate: utterance.rate,
                  voice: utterance.voice && utterance.voice.name });
      this.queue.push(utterance);
      if (!this.current) this.next();
    }
    next() {
      const utterance = this.current = this.queue.shift() || null;
      if (utterance) setTimeout(() => utterance.onstart && utterance.onstart({}), 0);
    }
    end() {  // the test: the sentence being said is over
      const utterance = this.current;
      this.next();
      setTimeout(() => utterance && utterance.onend && utterance.onend({}), 0);
    }
    cancel() {
      store.setItem("cancels", String(Number(store.getItem("cancels") || 0) + 1));
      const stopped = [this.current, ...this.queue].filter(Boolean);
      this.current = null;
      this.queue = [];
      setTimeout(() => stopped.forEach(u => u.onend && u.onend({})), 0);
    }
    pause() {}
    resume() {}
  }
  const synth = new Synth();
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;
  setTimeout(() => {
    loaded = true;
    synth.dispatchEvent(new Event("voiceschanged"));
  }, config.voicesAfterMs);
})();
"""


def fake_speech(page, *voices: tuple[str, str], after_ms: int = 300) -> None:
    """Replace the page's speech engine; its ``voices`` (name, lang) load after a while."""
    config = {"voices": [list(v) for v in voices], "voicesAfterMs": after_ms}
    page.add_init_script(FAKE_SPEECH % json.dumps(config))


def said(page) -> list[dict]:
    return page.evaluate("() => window.__said")


def end_sentence(page) -> None:
    page.evaluate("() => window.speechSynthesis.end()")


def highlighted(page) -> str:
    """The text of the sentence highlighted now (it may span several elements)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.sentence.reading')]
                 .map(s => s.textContent).join('').replace(/\\s+/g, ' ')"""
    )


def open_first_step(page, live_server, name: str) -> None:
    """Register a learner through a link to the lesson's first step."""
    page.goto(live_server(f"/learner/start?next=/lessons/{SLUG}/steps/1"))
    learner = Learner(name)
    fill_learner_form(page, learner.name, learner.born, commune_label(learner.commune))
    expect(page).to_have_url(live_server(f"/lessons/{SLUG}/steps/1"))


def test_reads_sentence_by_sentence_in_a_vietnamese_voice(
    live_server, page, visit, library
):
    """Voices load late; the vi-VN one reads the step, the sentence being read lit up."""
    fake_speech(page, ("English", "en-US"), ("Tiếng Việt", "vi_VN"), after_ms=500)
    open_first_step(page, live_server, "Bà Đọc (thử)")
    title = library.get(SLUG).text("vi").steps[0].title
    read = page.get_by_role("button", name=READ)
    read.click()  # before the voices have loaded: it waits for them

    expect(page.get_by_role("button", name=STOP)).to_be_visible()
    first = said(page)
    assert [(s["text"], s["voice"]) for s in first] == [(title, "Tiếng Việt")]
    assert first[0]["lang"] == "vi_VN"
    assert highlighted(page) == title
    visit(page, "reading-the-title")

    end_sentence(page)
    expect(page.locator(".sentence.reading").first).not_to_have_text(title)
    second = said(page)[1]["text"]
    assert highlighted(page) == second
    paragraph = page.locator("article p").first.inner_text()
    assert paragraph.startswith(second), (second, paragraph)
    expect(page.locator(".read-aloud-help")).to_be_hidden()

    page.get_by_role("button", name=STOP).click()  # a second press stops
    expect(page.get_by_role("button", name=READ)).to_be_visible()
    expect(page.locator(".sentence.reading")).to_have_count(0)
    assert page.evaluate("() => sessionStorage.getItem('cancels')") == "1"
    assert len(said(page)) == 2


def test_without_a_vietnamese_voice_it_says_how_to_add_one(live_server, page, visit):
    """Only an English voice: nothing is read with it; one sentence says what to do."""
    fake_speech(page, ("English", "en-US"), after_ms=100)
    open_first_step(page, live_server, "Ông Không Giọng (thử)")
    expect(page.locator(".read-aloud-help")).to_be_hidden()
    page.get_by_role("button", name=READ).click()

    expect(page.get_by_text(NO_VOICE)).to_be_visible()
    assert said(page) == []
    expect(page.get_by_role("button", name=READ)).to_be_visible()
    expect(page.get_by_role("button", name=SLOWER)).to_be_hidden()
    visit(page, "no-vietnamese-voice")


def test_slower_reading_is_slower_and_kept(live_server, page):
    """Đọc chậm hơn ("read more slowly") lowers the rate at once (the sentence starts again) and is kept."""
    fake_speech(page, ("Tiếng Việt", "vi-VN"))
    open_first_step(page, live_server, "Bà Chậm (thử)")
    slower = page.get_by_role("button", name=SLOWER)
    expect(slower).to_be_hidden()  # offered once reading has begun
    page.get_by_role("button", name=READ).click()
    expect(page.get_by_role("button", name=STOP)).to_be_visible()
    expect(slower).to_have_attribute("aria-pressed", "false")
    normal = said(page)[0]

    slower.click()
    expect(slower).to_have_attribute("aria-pressed", "true")
    again = said(page)[-1]
    assert again["text"] == normal["text"]
    assert again["rate"] < normal["rate"]

    page.reload()
    page.get_by_role("button", name=READ).click()
    expect(page.get_by_role("button", name=STOP)).to_be_visible()
    expect(slower).to_have_attribute("aria-pressed", "true")
    assert said(page)[0]["rate"] == again["rate"]


def test_leaving_the_page_stops_reading(live_server, page):
    """Going to the next step, or hiding the page, stops the voice."""
    fake_speech(page, ("Tiếng Việt", "vi-VN"))
    open_first_step(page, live_server, "Ông Đi Tiếp (thử)")
    page.get_by_role("button", name=READ).click()
    expect(page.get_by_role("button", name=STOP)).to_be_visible()
    page.locator("a[rel=next]").click()
    expect(page).to_have_url(live_server(f"/lessons/{SLUG}/steps/2"))
    assert page.evaluate("() => sessionStorage.getItem('cancels')") == "1"

    page.get_by_role("button", name=READ).click()
    expect(page.get_by_role("button", name=STOP)).to_be_visible()
    page.evaluate(
        """() => {
          Object.defineProperty(document, 'visibilityState', { value: 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(page.get_by_role("button", name=READ)).to_be_visible()
    assert page.evaluate("() => sessionStorage.getItem('cancels')") == "2"
