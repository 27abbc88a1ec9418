"""A bilan typed in the browser, key by key, is stored as typed and comes back unchanged from the
observatory export (XLSX)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import BilanAction
from tests.monde import construire_monde
from tests.navigateur.test_fidelite import taper

pytestmark = pytest.mark.django_db(transaction=True)

TAPE = {
    "Précision sur l'initiative": "« Le comité d'usagers » ; -la ludothèque",
    "Montant total des ressources (€)": "2,6",
    "Personnes mobilisées, en clair": "- 60 à 80 participants\n- 5 bénévoles",
    "Résultat pour le centre social": "+33 6 12 34 56 78 : une ligne pour s'inscrire",
    "Limites": "=à revoir avec le COPIL",
}


def test_un_bilan_tape_au_clavier_revient_tel_quel_de_l_export(page, live_server):
    monde = construire_monde()
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Identifiant").fill(monde.equipe_1.username)
    page.get_by_label("Mot de passe").fill("motdepasse")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(live_server.url + reverse("evaluation:bilan", args=[monde.fiche_1a.pk, 2025]))
    for valeur in ("groupe_habitants", "partenaires"):
        page.locator(f"input[name=initiatives][value={valeur}]").check()
    for libelle, texte in TAPE.items():
        taper(page, page.get_by_label(libelle, exact=True), texte)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "Le bilan 2025 est enregistré." in page.content()

    bilan = BilanAction.objects.get(fiche=monde.fiche_1a, annee=2025)
    assert bilan.initiatives == ["groupe_habitants", "partenaires"]
    assert bilan.precision_initiative == TAPE["Précision sur l'initiative"]
    assert bilan.montant_ressources == Decimal("2.6")
    # A textarea sends its line breaks as CRLF: the same lines, as typed.
    assert bilan.personnes_precision == TAPE["Personnes mobilisées, en clair"].replace("\n", "\r\n")
    assert bilan.resultat_centre == TAPE["Résultat pour le centre social"]
    assert bilan.limites == TAPE["Limites"]

    url = reverse("evaluation:export_bilans", args=[monde.projet_1.pk, "xlsx"])
    reponse = page.request.get(f"{live_server.url}{url}?annee=2025")
    assert reponse.ok
    entetes, ligne = load_workbook(io.BytesIO(reponse.body())).active.iter_rows(values_only=True)
    ligne = dict(zip(entetes, ligne, strict=True))
    assert ligne["Qui est à l'initiative"] == "Un groupe d'habitants ; Un ou plusieurs partenaires"
    assert ligne["Précision sur l'initiative"] == bilan.precision_initiative
    assert ligne["Montant des ressources (€)"] == 2.6
    assert ligne["Personnes mobilisées, en clair"] == bilan.personnes_precision
    assert ligne["Résultat pour le centre social"] == bilan.resultat_centre
    assert ligne["Limites"] == bilan.limites
