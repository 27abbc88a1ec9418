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
    from django.conf import settings

    if settings.SECURE_SSL_REDIRECT:
        pytest.fail(
            "Le serveur de test parle HTTP : lancez les tests avec HTTPS=0 (make test le fait)."
        )
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


def nouvelle_page(navigateur, **options):
    contexte = navigateur.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", **options
    )
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    return contexte, page


@pytest.fixture
def page(navigateur):
    """A page that enforces our Content Security Policy: any violation (a blocked inline script
    or style, a resource from elsewhere) fails the test that caused it."""
    contexte, page = nouvelle_page(navigateur)
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    contexte.close()
    assert violations == [], "Violations de la Content Security Policy"


@pytest.fixture
def page_sans_csp(navigateur):
    """For axe-core, which the test injects as an inline script."""
    contexte, page = nouvelle_page(navigateur, bypass_csp=True)
    yield page
    contexte.close()
