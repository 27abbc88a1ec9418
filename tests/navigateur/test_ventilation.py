"""A staff member breaks an indicator down by sexe and records a result per category, typing as
people type (« 12,5 »), in the browser."""

from decimal import Decimal

import pytest

from evaluation.models import Resultat
from evaluation.ventilation import CategorieVentilation
from tests.factories import IndicateurFactory
from tests.monde import construire_monde

pytestmark = pytest.mark.django_db(transaction=True)


def taper(page, libelle, texte):
    page.get_by_label(libelle, exact=True).click()
    page.keyboard.type(texte)


def test_ventiler_par_sexe_puis_saisir_un_resultat_reparti(page, live_server):
    monde = construire_monde()
    indicateur = IndicateurFactory(
        fiche=monde.fiche_1a, libelle="Participants aux ateliers", outil="Feuilles d'émargement"
    )
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Identifiant").fill(monde.equipe_1.username)
    page.get_by_label("Mot de passe").fill("motdepasse")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/indicateurs/{indicateur.pk}/cibles/")
    taper(page, "Cible pour toute la période (2025–2028)", "40,5")
    page.get_by_label("Ventiler l'indicateur").select_option(label="Par sexe")
    # The usual categories are proposed as soon as the breakdown is chosen.
    assert page.get_by_label("Nom de la catégorie 1").input_value() == "Femmes"
    assert page.get_by_label("Nom de la catégorie 3").input_value() == "Autre ou non précisé"
    taper(page, "Cible de la période, catégorie 1", "25")
    taper(page, "Cible de la période, catégorie 2", "15,5")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/fiches/{monde.fiche_1a.pk}/evaluation/")
    assert list(CategorieVentilation.objects.values_list("libelle", "cible").order_by("ordre")) == [
        ("Femmes", Decimal(25)),
        ("Hommes", Decimal("15.5")),
        ("Autre ou non précisé", None),
    ]

    page.get_by_role("link", name="Saisir un résultat pour « Participants aux ateliers »").click()
    assert page.get_by_label("Source / outil").input_value() == "Feuilles d'émargement"
    taper(page, "Valeur", "12,5")
    taper(page, "Femmes", "8")
    taper(page, "Hommes", "3,5")
    taper(page, "Autre ou non précisé", "0")
    page.get_by_role("button", name="Enregistrer").click()
    assert "La somme des catégories (11,5) ne fait pas le total (12,5) : il manque 1." in (
        page.locator("body").inner_text()
    )
    assert page.get_by_label("Hommes", exact=True).input_value() == "3,5"  # kept as typed
    assert "Saisissez une valeur" not in page.locator("body").inner_text()
    page.get_by_label("Autre ou non précisé", exact=True).fill("")
    taper(page, "Autre ou non précisé", "1")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/fiches/{monde.fiche_1a.pk}/evaluation/")
    resultat = Resultat.objects.get()
    assert resultat.valeur == Decimal("12.5")
    assert [v.valeur for v in resultat.valeurs_categories.all()] == [8, Decimal("3.5"), 1]
    tableau = page.get_by_role(
        "table", name="Répartition par sexe de « Participants aux ateliers »"
    )
    assert "3,5" in tableau.inner_text() and "(cible 15,5)" in tableau.inner_text()
