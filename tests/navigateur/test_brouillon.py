"""The fiche editor keeps an unsaved draft in the browser: when a save fails, whatever the
reason, the input is offered back the next time the editor opens, to its author only."""

import re

import pytest

from actions.models import FicheAction
from centresocial.demo import charger_demo
from projets.models import ProjetSocial
from tests.navigateur.test_parcours_equipe import se_connecter

pytestmark = pytest.mark.django_db(transaction=True)

AJOUT = " Ajouté au clavier juste avant la panne."
OBJECTIF = "Ouvrir un second créneau le samedi"


@pytest.fixture
def fiche():
    charger_demo(comptes_demo=True)
    projet = ProjetSocial.objects.get(structure__slug="territoire-sud")
    return FicheAction.objects.filter(projet=projet).order_by("pk").first()


def editeur(page, live_server, fiche):
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    return page.locator("#brouillon")


def taper_a_la_fin(page, champ, texte):
    champ.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(texte)


def brouillons(page):
    return page.evaluate(
        "Object.keys(localStorage).filter((cle) => cle.startsWith('centresocial.brouillon.'))"
    )


def attendre_le_brouillon(page):
    page.wait_for_function(
        "() => Object.keys(localStorage).some((cle) => cle.startsWith('centresocial.brouillon.'))"
    )


def se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/comptes/login/"))


def panne_serveur(route):
    if route.request.method == "POST":
        route.fulfill(status=500, content_type="text/html", body="<h1>Erreur du serveur</h1>")
    else:
        route.continue_()


def reseau_coupe(route):
    if route.request.method == "POST":
        route.abort("connectionreset")
    else:
        route.continue_()


@pytest.mark.parametrize(
    ("panne", "issue"),
    [(panne_serveur, "requestfinished"), (reseau_coupe, "requestfailed")],
    ids=["erreur 500", "réseau"],
)
def test_une_saisie_dont_l_enregistrement_echoue_est_proposee_et_reprise(
    page, live_server, fiche, panne, issue
):
    contexte_avant = fiche.contexte
    se_connecter(page, live_server, "equipe")
    banniere = editeur(page, live_server, fiche)
    assert banniere.is_hidden()
    contexte = page.get_by_role("textbox", name="Contexte")
    taper_a_la_fin(page, contexte, AJOUT)
    lignes = page.locator("[data-formset=objectifs_operationnels] [data-ligne]")
    avant = lignes.count()
    page.locator("[data-formset=objectifs_operationnels] [data-ajouter]").click()
    page.keyboard.type(OBJECTIF)  # the new row's field has the focus

    page.route(f"**/fiches/{fiche.pk}/modifier/", panne)
    with page.expect_event(issue, lambda requete: requete.method == "POST"):
        page.get_by_role("button", name="Enregistrer la fiche").click()
    page.unroute(f"**/fiches/{fiche.pk}/modifier/")
    fiche.refresh_from_db()
    assert fiche.contexte == contexte_avant

    banniere = editeur(page, live_server, fiche)
    assert banniere.is_visible()
    assert re.search(
        r"Une saisie non enregistrée de cette fiche a été gardée dans ce navigateur "
        r"\(le (1er|\d+) \w+ à \d+ h \d\d\)\.",
        banniere.inner_text(),
    )
    assert contexte.input_value() == contexte_avant
    page.get_by_role("button", name="Reprendre cette saisie").click()
    assert contexte.input_value() == contexte_avant + AJOUT
    assert lignes.count() == avant + 1
    assert lignes.last.get_by_label("Objectif opérationnel").input_value() == OBJECTIF
    assert banniere.get_by_text("Saisie reprise").is_visible()

    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(re.compile(rf"/fiches/{fiche.pk}/$"))
    assert page.get_by_text("Fiche enregistrée.").is_visible()
    assert page.get_by_text(AJOUT.strip()).is_visible()
    assert page.get_by_text(OBJECTIF, exact=True).is_visible()
    assert brouillons(page) == []
    assert editeur(page, live_server, fiche).is_hidden()


def test_le_brouillon_reste_a_son_auteur_et_s_ecarte(page, live_server, fiche):
    # Leaving the editor with unsaved input asks first: the person confirms.
    page.on("dialog", lambda dialogue: dialogue.accept())
    se_connecter(page, live_server, "equipe")
    editeur(page, live_server, fiche)
    contexte = page.get_by_role("textbox", name="Contexte")
    taper_a_la_fin(page, contexte, AJOUT)
    attendre_le_brouillon(page)
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/")
    se_deconnecter(page)

    # A colleague on the same browser does not see it, and it stays for its author.
    se_connecter(page, live_server, "nsaidi")
    assert editeur(page, live_server, fiche).is_hidden()
    assert contexte.input_value() == fiche.contexte
    se_deconnecter(page)

    se_connecter(page, live_server, "equipe")
    banniere = editeur(page, live_server, fiche)
    assert banniere.is_visible()
    page.get_by_role("button", name="L'écarter").click()
    assert banniere.is_hidden()
    assert contexte.input_value() == fiche.contexte
    assert brouillons(page) == []
    assert editeur(page, live_server, fiche).is_hidden()


def test_une_page_d_erreurs_garde_la_saisie_sans_la_proposer(page, live_server, fiche):
    se_connecter(page, live_server, "equipe")
    editeur(page, live_server, fiche)
    taper_a_la_fin(page, page.get_by_role("textbox", name="Contexte"), AJOUT)
    page.locator("[name=titre]").fill("")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_load_state()

    # The page shown again holds the input: nothing is offered over it.
    assert page.locator("#erreurs").is_visible()
    assert page.locator("#brouillon").is_hidden()
    assert page.get_by_role("textbox", name="Contexte").input_value().endswith(AJOUT)
    # Not saved yet: the draft is kept and offered when the editor opens again.
    assert len(brouillons(page)) == 1
    page.on("dialog", lambda dialogue: dialogue.accept())
    assert editeur(page, live_server, fiche).is_visible()
