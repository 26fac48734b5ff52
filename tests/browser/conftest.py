"""Browser fixtures: a fresh 1280×720 page per test on the live server.

The headless Chromium (``browser``, one for the session, shared with tests/classroom) and the live server
(``live_server``) come from tests/conftest.py. ``page.errors`` collects console errors and
uncaught exceptions so a test can demand none. ``ui`` wraps the page with ``open(query)``, ``state(expr)``,
``epoch()`` and ``train_until(epoch)``; ``fresh`` is a page in another context (a link opened elsewhere).
"""
from __future__ import annotations

import os

import pytest

from tests.support.browser import watched_page


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def fresh(browser, live_server):
    """Another browser context (no cookies, no session storage): a copied link opened on another machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=live_server.url)
    yield watched_page(context)
    context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
    yield page
    context.close()


class UI:
    """A page on the live server plus the few reads and moves every browser test needs."""

    def __init__(self, page):
        self.page = page

    @property
    def errors(self):
        return self.page.errors

    def open(self, query="preset=letters"):
        """Loads ``/?query`` and waits until the diagram is drawn from the first snapshot."""
        self.page.goto(f"/?{query}")
        self.page.wait_for_selector('[data-testid="network"] [data-neuron]')
        self.page.wait_for_function("() => window.playground.state.snapshot !== null")
        return self.page

    def state(self, expr="s"):
        """Evaluates ``expr`` with ``s`` bound to the page's state object (the server's payloads as received)."""
        return self.page.evaluate(f"() => {{ const s = window.playground.state; return {expr}; }}")

    def epoch(self):
        return int(self.page.get_attribute('[data-testid="epoch"]', "data-value"))

    def wait_state(self, expr):
        self.page.wait_for_function(f"() => {{ const s = window.playground.state; return {expr}; }}")

    def train_until(self, at_least):
        """Plays at max speed until the shown epoch reaches ``at_least``, pauses, and waits until the page shows
        the epoch the server paused at."""
        self.page.evaluate("() => window.playground.actions.setSpeed('max')")
        self.page.click('[data-testid="play"]')
        self.page.wait_for_function(
            f"() => Number(document.querySelector('[data-testid=epoch]')?.dataset.value) >= {at_least}")
        self.page.click('[data-testid="play"]')
        self.wait_state("s.status && s.status.state === 'paused' && s.snapshot.epoch === s.status.epoch")
        # the paused frame carries the whole curve; the last streamed frame may share its epoch and carry an old one
        self.wait_state("s.snapshot.curve && s.snapshot.curve.epochs.length"
                        " && s.snapshot.curve.epochs[s.snapshot.curve.epochs.length - 1] === s.snapshot.epoch - 1")
        self.page.wait_for_function(  # and the page has drawn it (the DOM follows the state on the next frame)
            "() => { const s = window.playground.state;"
            " return document.querySelector('[data-testid=epoch]')?.dataset.value === String(s.snapshot.epoch)"
            " && document.querySelector('[data-testid=play]')?.dataset.state === 'paused'; }")


@pytest.fixture
def ui(page):
    return UI(page)
