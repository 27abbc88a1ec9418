"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Skipped, with a message, when no Chromium is installed; CI sets CI_REQUIRE_BROWSER so that a
missing browser fails instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def navigateur():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium introuvable ({CHROMIUM}) : tests navigateur ignorés (apt-get install chromium)."
        if os.environ.get("CI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navigateur = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGUMENTS
        )
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(navigateur, tmp_path):
    contexte = navigateur.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    yield page
    contexte.close()
