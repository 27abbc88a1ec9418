"""A direction imports its current projet social from a Word file, corrects what the reading
proposed, creates the brouillon projet and exports its dossier — in the browser."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from actions.models import FicheAction
from dossier.models import ExportDossier
from projets.models import ProjetSocial
from tests.factories import MembreFactory, UserFactory
from tests.navigateur.test_demarrage import (
    MOT_DE_PASSE,
    exporter_en_tache_de_fond,
    se_connecter,
)

pytestmark = pytest.mark.django_db(transaction=True)


def document_word(chemin):
    """A centre's projet as Word files look: headings, paragraphs, a fiche as a bordered table."""
    document = docx.Document()
    document.add_heading("Projet social 2027-2030 du centre des Tilleuls", level=1)
    document.add_heading("Préambule", level=2)
    document.add_paragraph("Le centre accueille les habitants du quartier depuis vingt ans.")
    document.add_heading("Axe 1 : Rompre l'isolement", level=2)
    document.add_heading("Fiche action 1 : Les repas partagés", level=3)
    tableau = document.add_table(rows=0, cols=2)
    tableau.style = "Table Grid"
    for rubrique, texte in [
        ("Contexte", "Des voisins âgés vivent seuls et le disent aux animatrices."),
        ("Public visé", "Habitants isolés du quartier"),
        ("Partenaires", "Mairie de Vierzon"),
        ("Freins", "Le transport jusqu'au centre, 2,6 km pour certains."),
    ]:
        ligne = tableau.add_row().cells
        ligne[0].text, ligne[1].text = rubrique, texte
    document.save(chemin)


def test_importer_corriger_creer_et_exporter(page, live_server, tmp_path):
    direction = UserFactory(username="direction-tilleuls", password=MOT_DE_PASSE)
    structure = MembreFactory(
        user=direction, direction=True, structure__nom="Les Tilleuls"
    ).structure
    fichier = tmp_path / "projet-social.docx"
    document_word(fichier)

    se_connecter(page, live_server, "direction-tilleuls")
    page.goto(f"{live_server.url}/projets/nouveau/")
    page.get_by_role("link", name="Importer un document").click()
    page.get_by_label(re.compile("Votre projet social actuel")).set_input_files(str(fichier))
    page.get_by_role("button", name="Lire le document").click()
    page.wait_for_url(re.compile(r"/imports/\d+/verifier/$"))
    assert page.get_by_text(
        "Des voisins âgés vivent seuls et le disent aux animatrices."
    ).is_visible()
    assert ProjetSocial.objects.filter(structure=structure).count() == 0  # nothing written yet

    # The période the document only gives in its title: typed in, French habits.
    page.get_by_label(re.compile("Titre du projet")).fill("")
    page.get_by_label(re.compile("Titre du projet")).click()
    page.keyboard.type("Projet social « Les Tilleuls » 2027-2030")
    page.get_by_label(re.compile("Année de début")).fill("2027")
    page.get_by_label(re.compile("Année de fin")).fill("2030")
    page.locator("#projet").get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()

    # The fiche's « Freins » text goes to « Résultats attendus » instead, then back: moved twice.
    page.locator(".morceau", has_text="Le transport jusqu'au centre").get_by_role(
        "link", name=re.compile("Déplacer")
    ).click()
    page.get_by_label("Placer ce texte dans").select_option(label="Résultats attendus")
    page.get_by_role("button", name="Placer").click()
    page.wait_for_url(re.compile(r"/verifier/"))
    page.get_by_role("button", name="Créer le projet (brouillon)").click()
    page.wait_for_url(re.compile(r"/projets/\d+/$"))

    projet = ProjetSocial.objects.get(structure=structure)
    assert (projet.titre, projet.periode, projet.statut) == (
        "Projet social « Les Tilleuls » 2027-2030",
        "2027–2030",
        "brouillon",
    )
    fiche = FicheAction.objects.get(projet=projet)
    assert fiche.titre == "Les repas partagés"
    assert fiche.contexte == "Des voisins âgés vivent seuls et le disent aux animatrices."
    assert fiche.resultats_attendus == "Le transport jusqu'au centre, 2,6 km pour certains."
    assert "2,6 km" not in (fiche.freins or "")

    page.goto(f"{live_server.url}/projets/{projet.pk}/dossier/")
    page.get_by_role("button", name="Exporter le dossier").click()
    page.get_by_text("L'export attend son tour").wait_for()
    exporter_en_tache_de_fond()
    page.get_by_role("link", name=re.compile(r"Télécharger le dossier")).wait_for(timeout=30_000)
    export = ExportDossier.objects.get(projet=projet)
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(export.pdf))).pages)
    assert "Les repas partagés" in texte and "Des voisins âgés vivent seuls" in texte
