"""Browser fixtures: the app served by `streamlit run` on a free port, and Debian's Chromium.

Playwright launches /usr/bin/chromium (`apt-get install -y chromium`; `make test` does it)
and never downloads a browser. Every request that would leave localhost is aborted and
recorded, so a test can assert that the app works with no internet.

Without /usr/bin/chromium the browser tests are skipped, except in CI (env CI set), where
they run and fail loudly.

Failure screenshots: a test using the `page` fixture that fails leaves
`test-output/<test name>.png` (the page as it was); the same test passing later deletes it, so
a test's shot there means its last run failed. Shots are removed per test, not cleared at
session start, so running one file keeps the other files' evidence. The named
screenshots the tests take on purpose (`map_cang_long.png`, …) are kept and overwritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, run_app  # noqa: F401
from tests.conftest import REPO_ROOT

OUTPUT = REPO_ROOT / "test-output"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last (slowest), and are skipped without Chromium outside CI.

    Among them, those with a Playwright of their own (not the `browser` fixture) run first:
    only one sync Playwright may run at a time, and `browser` lives until the package ends.
    """
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            "browser" in getattr(item, "fixturenames", ()),
        )
    )
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install -y chromium` (or run `make test`); "
        "in CI (env CI set) these tests fail instead"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@contextmanager
def serve_app(log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port; yields its base URL, stops it on exit.

    `env` is added to this process's environment (e.g. `ATLAS_USER_DATA`, `ATLAS_PACK` for a
    server that opens a pack built by the test).
    """
    try:
        with run_app(log_path, env) as (base_url, _pid):
            yield base_url
    except RuntimeError as exc:
        if "did not become healthy" not in str(exc):
            raise
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_server(isolated_user_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on a free loopback port, for the whole session."""
    with serve_app(tmp_path_factory.mktemp("streamlit") / "server.log") as base_url:
        yield base_url


@pytest.fixture(scope="package")
def browser():
    """Headless Debian Chromium driven by Playwright (package scope: Playwright's event loop
    must not outlive the browser tests)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def blocked_requests() -> list[str]:
    """URLs the page tried to fetch outside localhost (each was aborted)."""
    return []


def failure_shot(item: pytest.Item) -> Path:
    """Where a failing test's screenshot goes: test-output/<test name>.png."""
    return OUTPUT / (re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name) + ".png")


@pytest.fixture
def page(browser, blocked_requests: list[str], request: pytest.FixtureRequest):
    """A fresh page whose context aborts every request whose host is not localhost.

    On failure a screenshot is saved to test-output/<test name>.png; on success an old one
    (from an earlier failing run) is deleted.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 1600})

    def guard(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
            blocked_requests.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    new_page = context.new_page()
    new_page.set_default_timeout(30_000)
    try:
        yield new_page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            OUTPUT.mkdir(exist_ok=True)
            new_page.screenshot(path=str(failure_shot(request.node)), full_page=True)
        elif report is not None and report.passed:
            failure_shot(request.node).unlink(missing_ok=True)
        context.close()


def quiet(page: Page, ms: int = 1500) -> None:
    """Wait until no script run has started for `ms`.

    A page just opened still has runs to come: the map asks for one once Leaflet is up, and
    under load that can be seconds later. Such a run carries the browser's widget values as
    they were, so if it lands just after a button's callback it puts back what the callback
    changed (the new scenario not chosen, the typed name still in the form). A user is rarely
    that quick; a test is, so it waits for the page to be quiet before it clicks.
    """
    page.wait_for_function(
        """ms => new Promise(resolve => {
            const app = document.querySelector('[data-testid="stApp"]');
            let since = Date.now();
            const tick = () => {
                if (app.getAttribute("data-test-script-state") !== "notRunning") since = Date.now();
                if (Date.now() - since >= ms) resolve(true); else setTimeout(tick, 50);
            };
            tick();
        })""",
        arg=ms,
        timeout=30_000,
    )
