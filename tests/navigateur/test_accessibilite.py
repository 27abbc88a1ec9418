"""axe-core (vendored under tests/navigateur/vendor, v4.14.1) checks the pages staff use most."""

from pathlib import Path

import pytest

from actions.models import FicheAction
from centresocial.demo import charger_demo
from projets.models import ProjetSocial

pytestmark = pytest.mark.django_db(transaction=True)

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# Labels, names, headings, landmarks, ARIA and language: the rules a keyboard or screen-reader
# user depends on. Colour contrast is left to Bootstrap's defaults.
REGLES = [
    "label",
    "select-name",
    "button-name",
    "link-name",
    "heading-order",
    "page-has-heading-one",
    "html-has-lang",
    "document-title",
    "duplicate-id-aria",
    "aria-valid-attr",
    "aria-required-attr",
    "list",
    "listitem",
    "th-has-data-cells",
    "form-field-multiple-labels",
]


def violations(page):
    page.add_script_tag(content=AXE)
    resultat = page.evaluate(
        "(regles) => axe.run(document, {runOnly: {type: 'rule', values: regles}})", REGLES
    )
    return [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultat["violations"]
    ]


def test_pages_principales_accessibles(page_sans_csp, live_server):
    page = page_sans_csp
    charger_demo(comptes_demo=True)
    projet = ProjetSocial.objects.get(structure__slug="territoire-sud")
    fiche = FicheAction.objects.filter(projet=projet).order_by("pk").first()

    page.goto(f"{live_server.url}/comptes/login/")
    assert violations(page) == []
    page.get_by_label("Identifiant").fill("equipe")
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    for url in [
        "/",
        f"/projets/{projet.pk}/",
        f"/projets/{projet.pk}/contenu/",
        f"/projets/{projet.pk}/fiches/",
        f"/fiches/{fiche.pk}/",
        f"/fiches/{fiche.pk}/modifier/",
        f"/projets/{projet.pk}/fiches/nouvelle/",
    ]:
        page.goto(live_server.url + url)
        assert violations(page) == [], url


def test_l_editeur_se_parcourt_au_clavier(page, live_server):
    charger_demo(comptes_demo=True)
    fiche = (
        FicheAction.objects.filter(projet__structure__slug="territoire-sud").order_by("pk").first()
    )
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Identifiant").fill("equipe")
    page.get_by_label("Mot de passe").fill("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    # « Ajouter une ligne » is reached and used with the keyboard alone.
    bouton = page.locator("[data-formset=indicateurs] [data-ajouter]")
    bouton.focus()
    avant = page.locator("[data-formset=indicateurs] [data-ligne]").count()
    page.keyboard.press("Enter")
    assert page.locator("[data-formset=indicateurs] [data-ligne]").count() == avant + 1
    # The focus moved into the new row, ready to type.
    focus = page.evaluate("document.activeElement.name")
    assert focus == f"indicateurs-{avant}-objet"
