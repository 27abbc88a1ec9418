"""The Content Security Policy holds in a real browser: every page staff, partners and admins
open renders and runs its scripts with no violation (the `page` fixture fails on any)."""

import pytest

from actions.models import FicheAction
from centresocial.demo import charger_demo
from projets.models import ProjetSocial
from tests.navigateur.test_parcours_equipe import se_connecter

pytestmark = pytest.mark.django_db(transaction=True)


def test_aucune_violation_csp_sur_les_pages(page, live_server):
    charger_demo(comptes_demo=True)
    projet = ProjetSocial.objects.get(structure__slug="territoire-sud")
    fiche = FicheAction.objects.filter(projet=projet).order_by("pk").first()
    bloquees = []
    page.on("console", lambda m: bloquees.append(m.text) if m.type == "error" else None)

    se_connecter(page, live_server, "direction")
    for url in [
        "/",
        f"/projets/{projet.pk}/",
        f"/projets/{projet.pk}/contenu/",
        f"/projets/{projet.pk}/fiches/",
        f"/projets/{projet.pk}/evaluation/",
        f"/projets/{projet.pk}/dossier/",
        f"/projets/{projet.pk}/dossier/apercu/",
        f"/fiches/{fiche.pk}/",
        f"/fiches/{fiche.pk}/modifier/",
        "/partenaires/",
        "/comptes/double-authentification/",
    ]:
        reponse = page.goto(live_server.url + url)
        assert reponse.status == 200, url
        assert "script-src 'self'" in reponse.headers["content-security-policy"], url
    # The editor's script runs under the policy: adding a row works.
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    avant = page.locator("[data-formset=indicateurs] [data-ligne]").count()
    page.locator("[data-formset=indicateurs] [data-ajouter]").click()
    assert page.locator("[data-formset=indicateurs] [data-ligne]").count() == avant + 1
    assert bloquees == []


def test_aucune_violation_csp_dans_l_administration(page, live_server):
    charger_demo(comptes_demo=True)
    se_connecter(page, live_server, "admin")
    for url in ["/admin/", "/admin/actions/ficheaction/", "/admin/actions/ficheaction/add/"]:
        assert page.goto(live_server.url + url).status == 200, url
