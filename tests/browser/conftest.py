"""Browser-test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Without Chromium the tests skip with a reason; under REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
import shutil

import pytest

from django.core.management import call_command

from tests import demo_copy

# Playwright's sync API runs an event loop in this thread; the ORM calls in our fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    pytest.skip(reason=reason)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - the dev group installs it
        _unavailable(f"Playwright is not installed: {error}")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


def new_context(browser, viewport=PHONE, javascript=True):
    context = browser.new_context(
        viewport=viewport,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        java_script_enabled=javascript,
    )
    # Generous: under parallel workers on a small machine an admin publish can take 15 s.
    context.set_default_timeout(30_000)
    context.on("console", _record_csp_violation)
    return context


# Every page runs under the real Content-Security-Policy: a refusal is a test failure.
CSP_VIOLATIONS: list[str] = []


def _record_csp_violation(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violation():
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "\n".join(CSP_VIOLATIONS)


@pytest.fixture
def phone(browser):
    context = new_context(browser)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The demo landlord behind a live server, for this test alone (flushed after it)."""
    demo_copy.seed_demo()
    return live_server


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """The demo landlord, committed once for a module of tests that only look, behind a live
    server of its own; the database is flushed afterwards, as transactional tests leave it.

    Building it takes time: a module whose tests change nothing another test there reads asks
    for `shared_live_demo` instead of `live_demo`. The tests hold no transaction of their own,
    so the server thread reads and writes (sessions, log-ins) as it would in production.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        demo_copy.seed_demo()
    server = LiveServer("localhost")
    try:
        yield server
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def shared_live_demo(demo_server, django_db_blocker):
    """The module's demo server; the test may read the database as the server sees it."""
    with django_db_blocker.unblock():
        yield demo_server


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def sideways_scroll(page) -> int:
    """How many px the page scrolls sideways (0 or less when it fits), measured once the page
    has loaded: a click starts a navigation without waiting for the new document, whose
    `documentElement` may not exist yet."""
    page.wait_for_load_state()
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def axe_violations(axe, page) -> str:
    """An empty string when axe finds no WCAG 2.1 A/AA violation, else a readable report."""
    page.wait_for_load_state()
    results = axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return "" if results.violations_count == 0 else results.generate_report()


def axe_violations_without_js(browser, axe, page) -> str:
    """`axe_violations` for a page shown without JavaScript (axe itself needs it): the HTML that
    page received, served again to a JavaScript browser whose own scripts are refused."""
    html, url = page.content(), page.url
    context = new_context(browser, PHONE, javascript=True)
    replay = context.new_page()
    replay.route("**/*.js", lambda route: route.abort())
    replay.route(
        lambda address: address == url,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
    )
    replay.goto(url)
    try:
        return axe_violations(axe, replay)
    finally:
        context.close()
