"""Phone screenshots (390 × 844) of the demo for docs/captures/: the partner portal « Mes actions »,
a fiche page and the fiche editor. Not a test (its name does not start with test_); run it when the
pages change:

    SECRET_KEY=x HTTPS=0 .venv/bin/pytest -n0 -p no:cacheprovider tests/navigateur/captures_telephone.py
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from actions.models import FicheAction
from centresocial.demo import charger_demo
from tests.navigateur.conftest import nouvelle_page
from tests.navigateur.test_accessibilite import TELEPHONE, cookie_de_session

pytestmark = pytest.mark.django_db(transaction=True)

CAPTURES = Path(__file__).resolve().parents[2] / "docs" / "captures"


def telephone(navigateur, live_server, username):
    contexte, page = nouvelle_page(
        navigateur, reduced_motion="reduce", device_scale_factor=1, has_touch=True, is_mobile=True
    )
    page.set_viewport_size(TELEPHONE)
    user = get_user_model().objects.get(username=username)
    contexte.add_cookies([cookie_de_session(live_server, user)])
    return page


def capturer(page, nom, en_haut=None):
    """A screenshot of the screen; `en_haut`: the element scrolled to the top of it first."""
    if en_haut:
        page.locator(en_haut).first.evaluate(
            "(e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        )
    page.screenshot(path=str(CAPTURES / nom))


def test_captures_telephone(navigateur, live_server):
    charger_demo(comptes_demo=True)
    CAPTURES.mkdir(parents=True, exist_ok=True)
    fiche = FicheAction.objects.get(
        projet__structure__slug="territoire-sud", axe__ordre=1, numero=7
    )

    page = telephone(navigateur, live_server, "partenaire")
    page.goto(f"{live_server.url}/mes-actions/")
    capturer(page, "telephone-portail.png")
    page.context.close()

    page = telephone(navigateur, live_server, "equipe")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/")
    capturer(page, "telephone-fiche.png", en_haut="article.fiche")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    capturer(page, "telephone-editeur.png", en_haut="[data-formset=moyens]")
    page.context.close()
