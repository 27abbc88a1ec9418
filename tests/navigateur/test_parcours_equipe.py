"""A staff member writes a fiche in the browser, as the product is meant to be used."""

import re

import pytest

from actions.models import FicheAction
from centresocial.demo import charger_demo
from projets.models import ProjetSocial

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def projet():
    charger_demo(comptes_demo=True)
    return ProjetSocial.objects.get(structure__slug="territoire-sud")


def se_connecter(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def ajouter_ligne(page, formset):
    page.locator(f"[data-formset={formset}] [data-ajouter]").click()
    return page.locator(f"[data-formset={formset}] [data-ligne]").last


def test_creer_une_fiche_complete_dans_le_navigateur(page, live_server, projet):
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/projets/{projet.pk}/fiches/nouvelle/")
    page.get_by_label("Axe").select_option(label="Axe 3 : Vivre et agir ensemble")
    page.get_by_label("Titre de la fiche").fill("Les repas partagés du jeudi")
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(r"/fiches/\d+/modifier/$"))
    fiche_id = int(re.search(r"/fiches/(\d+)/", page.url).group(1))

    page.get_by_role("textbox", name="Contexte").fill(
        "Des habitants isolés demandent un temps **convivial**."
    )
    # Two indicators, one partner; a third indicator added then removed.
    premier = ajouter_ligne(page, "indicateurs")
    premier.get_by_label("Objet évalué").fill("Fréquentation")
    premier.get_by_label("Indicateur").fill("Nombre de convives par repas")
    premier.get_by_label("Unité").fill("personnes")
    second = ajouter_ligne(page, "indicateurs")
    second.get_by_label("Objet évalué").fill("Lien social")
    second.get_by_label("Indicateur").fill("Nouvelles relations entre voisins")
    second.get_by_label("Nature").select_option("qualitatif")
    retire = ajouter_ligne(page, "indicateurs")
    retire.get_by_label("Objet évalué").fill("À retirer")
    retire.get_by_label("Retirer cette ligne").check()
    assert "ligne-retiree" in retire.get_attribute("class")
    partenariat = ajouter_ligne(page, "partenariats")
    partenariat.get_by_label("Partenaire").select_option(label="Les Jardins du Bac")
    partenariat.get_by_label("Contribution").fill("Légumes du jardin partagé")

    # Invalid on purpose: a reason of ending for an action still under way. Nothing typed is lost.
    page.get_by_label("Statut de réalisation").select_option("en_cours")
    page.get_by_label("Motif de fin").select_option("autre")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_load_state()
    assert page.get_by_text("Seule une action terminée a un motif de fin.").is_visible()
    assert (
        page.get_by_role("textbox", name="Contexte")
        .input_value()
        .startswith("Des habitants isolés")
    )
    assert (
        page.locator(
            "[data-formset=indicateurs] input[value='Nombre de convives par repas']"
        ).count()
        == 1
    )
    assert (
        page.locator("[data-formset=partenariats] textarea").last.input_value()
        == "Légumes du jardin partagé"
    )

    page.get_by_label("Motif de fin").select_option("")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(re.compile(rf"/fiches/{fiche_id}/$"))

    fiche = FicheAction.objects.get(pk=fiche_id)
    assert sorted(fiche.indicateurs.values_list("libelle", flat=True)) == [
        "Nombre de convives par repas",
        "Nouvelles relations entre voisins",
    ]
    assert list(fiche.partenariats.values_list("partenaire__nom", flat=True)) == [
        "Les Jardins du Bac"
    ]

    # The fiche is found in the filtered list.
    page.goto(f"{live_server.url}/projets/{projet.pk}/fiches/")
    page.get_by_label("Recherche").fill("repas partagés")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    assert "q=repas" in page.url
    assert page.get_by_role("link", name="Les repas partagés du jeudi").is_visible()
