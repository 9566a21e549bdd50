"""Browser tests: real headless Chromium driven through Playwright."""
