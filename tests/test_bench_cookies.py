"""`make bench` signs its admin and its learner in with cookies it signs itself (the
province part). Nothing else in `make test` runs the bench, so this checks those
cookies still open what the bench times: after migration 0009 they silently did not
(the province pages answered 302 and the bench timed a redirect)."""

from __future__ import annotations

from bench.province import _cookies


def test_the_bench_cookies_open_the_pages_it_times(app, communes, learner):
    admin, remembered = _cookies(app, communes[0])
    browser = app.test_client(use_cookies=False)  # sends the Cookie header as given
    for path in ("/province", f"/communes/{communes[0]}"):
        assert browser.get(path, headers={"Cookie": admin}).status_code == 200, path
    step = browser.get("/lessons/vneid/steps/3", headers={"Cookie": remembered})
    assert step.status_code == 200
    assert "<strong>Bà Nga</strong>" in step.get_data(as_text=True)
