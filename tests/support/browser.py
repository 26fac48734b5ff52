"""One browser setup: Debian's Chromium, headless, with the flags every suite, benchmark and script uses."""
from __future__ import annotations

import contextlib
import os

CHROMIUM = "/usr/bin/chromium"  # Playwright's own browser download does not work here; Debian's package does
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def available():
    return os.path.exists(CHROMIUM)


def launch(playwright, **options):
    """``playwright.chromium.launch`` with ``CHROMIUM`` and ``ARGS`` (``options`` go to ``launch``)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, **options)


@contextlib.contextmanager
def launched(**options):
    """A headless Chromium (``launch``) for the ``with`` block, under its own Playwright, closed after it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, **options)
        try:
            yield browser
        finally:
            browser.close()


def watched_page(context, timeout=15_000):
    """A new page of ``context`` whose console errors and uncaught exceptions collect in ``page.errors``."""
    page = context.new_page()
    page.set_default_timeout(timeout)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
    return page
