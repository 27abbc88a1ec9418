"""What a user types, pastes or creates in the browser is what is stored, shown and printed:
numbers typed the French way with the keyboard, a block pasted from Word, a partner created from
the fiche editor, a text longer than its limit."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from actions.models import FicheAction, Moyen
from centresocial.demo import charger_demo
from partenaires.models import Partenaire
from projets.models import ChiffreCle, ProjetSocial
from tests.navigateur.test_parcours_equipe import se_connecter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def projet():
    charger_demo(comptes_demo=True)
    return ProjetSocial.objects.get(structure__slug="territoire-sud")


@pytest.fixture
def fiche(projet):
    return FicheAction.objects.filter(projet=projet).order_by("pk").first()


def taper(page, champ, texte):
    """Click into the field, clear it, and type `texte` key by key, as a user does."""
    champ.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(texte)


def nouvelle_ligne_de_moyen(page):
    page.locator("[data-formset=moyens] [data-ajouter]").click()
    return page.locator("[data-formset=moyens] [data-ligne]").last


def enregistrer(page):
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_load_state()


def test_un_nombre_tape_au_clavier_est_lu_comme_on_l_ecrit(page, live_server, fiche):
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    ligne = nouvelle_ligne_de_moyen(page)
    ligne.get_by_label("Type de moyen").select_option("humain")
    taper(page, ligne.get_by_label("Libellé"), "Animatrices à temps partiel")
    taper(page, ligne.get_by_label("Quantité"), "2,6")
    ligne = nouvelle_ligne_de_moyen(page)
    ligne.get_by_label("Type de moyen").select_option("financier")
    taper(page, ligne.get_by_label("Libellé"), "Sorties familiales")
    taper(page, ligne.get_by_label("Montant (€)"), "1 250,50")
    enregistrer(page)
    page.wait_for_url(re.compile(rf"/fiches/{fiche.pk}/$"))
    assert Moyen.objects.get(fiche=fiche, libelle="Animatrices à temps partiel").quantite == (
        Decimal("2.6")
    )
    assert Moyen.objects.get(fiche=fiche, libelle="Sorties familiales").montant == (
        Decimal("1250.50")
    )
    # Shown as typed, and the same in the PDF.
    assert page.locator(".fiche-quantite", has_text="2,6").count() == 1
    assert page.get_by_text("1\u202f250,50 €").count() == 1
    pdf = page.request.get(f"{live_server.url}/fiches/{fiche.pk}/pdf/").body()
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2,6 × Animatrices à temps partiel" in texte
    assert "(1 250,50 €)" in texte.replace("\u202f", " ")


def test_une_fourchette_est_refusee_avec_un_message_et_rien_n_est_enregistre(
    page, live_server, fiche
):
    avant = Moyen.objects.filter(fiche=fiche).count()
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    ligne = nouvelle_ligne_de_moyen(page)
    ligne.get_by_label("Type de moyen").select_option("humain")
    taper(page, ligne.get_by_label("Libellé"), "Bénévoles")
    taper(page, ligne.get_by_label("Quantité"), "60 à 80")
    enregistrer(page)
    ligne = page.locator("[data-formset=moyens] [data-ligne]").last
    quantite = ligne.get_by_label("Quantité")
    assert quantite.input_value() == "60 à 80"  # kept as typed
    message = ligne.locator(".invalid-feedback")
    assert "« 60 à 80 » n'est pas un nombre" in message.inner_text()
    assert "Libellé" in message.inner_text()  # where a range goes
    assert Moyen.objects.filter(fiche=fiche).count() == avant


def test_un_chiffre_cle_avec_espaces_et_virgule(page, live_server, projet):
    territoire = projet.structure.territoires.first()
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/projets/{projet.pk}/chiffres/nouveau/?territoire={territoire.pk}")
    taper(page, page.get_by_label("Libellé"), "Revenu médian mensuel")
    taper(page, page.get_by_label("Valeur", exact=True), "1 250,50")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/contenu/"))
    assert ChiffreCle.objects.get(libelle="Revenu médian mensuel").valeur == Decimal("1250.50")


COLLE = (
    "Le groupe se retrouve chaque semaine.\n"
    "Il est ouvert à tous les parents.\n"
    "Les temps forts :\n"
    "•\tla fête de quartier\n"
    "•\tle repas partagé\n"
    "Étapes :\n"
    "1)\tRepérer les familles\n"
    "2)\tLes inviter"
)


def test_un_texte_colle_depuis_word_garde_ses_lignes_et_ses_listes(navigateur, live_server, fiche):
    contexte = navigateur.new_context(
        viewport={"width": 1280, "height": 900},
        locale="fr-FR",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    try:
        se_connecter(page, live_server, "equipe")
        page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
        page.evaluate("texte => navigator.clipboard.writeText(texte)", COLLE)
        contexte_champ = page.get_by_role("textbox", name="Contexte")
        contexte_champ.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Control+V")
        assert contexte_champ.input_value() == COLLE
        enregistrer(page)
        page.wait_for_url(re.compile(rf"/fiches/{fiche.pk}/$"))
        # Stored as pasted (a form sends its line breaks as CR LF, as HTML says).
        assert FicheAction.objects.get(pk=fiche.pk).contexte.replace("\r\n", "\n") == COLLE

        case = page.locator(".fiche-case", has=page.get_by_role("heading", name="Contexte"))
        html = case.locator(".texte").inner_html()
        assert "chaque semaine.<br>" in html
        assert case.locator("ul > li").all_inner_texts() == [
            "la fête de quartier",
            "le repas partagé",
        ]
        assert case.locator("ol > li").all_inner_texts() == ["Repérer les familles", "Les inviter"]

        pdf = page.request.get(f"{live_server.url}/fiches/{fiche.pk}/pdf/").body()
        lignes = [
            ligne.strip()
            for p in PdfReader(io.BytesIO(pdf)).pages
            for ligne in p.extract_text().splitlines()
        ]
        for attendue in [
            "Le groupe se retrouve chaque semaine.",
            "Il est ouvert à tous les parents.",
            "Les temps forts :",
            "• la fête de quartier",
            "• le repas partagé",
            "1. Repérer les familles",
            "2. Les inviter",
        ]:
            assert attendue in [re.sub(r"\s+", " ", ligne) for ligne in lignes], attendue
    finally:
        contexte.close()


def test_creer_un_partenaire_collectif_sans_quitter_l_editeur(page, live_server, fiche):
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    taper(page, page.get_by_role("textbox", name="Contexte"), "Texte en cours de saisie")
    page.get_by_text("Le partenaire n'est pas dans l'annuaire ? Créez-le ici").click()
    bloc = page.locator("[data-nouveau-partenaire]")
    # A name already in the directory: refused next to the field.
    existant = Partenaire.objects.filter(structure=fiche.projet.structure).first()
    taper(page, bloc.get_by_label("Nom"), existant.nom)
    bloc.get_by_role("button", name="Créer le partenaire").click()
    assert "existe déjà" in bloc.locator(".invalid-feedback").inner_text()
    taper(page, bloc.get_by_label("Nom"), "Les parents d'élèves")
    bloc.get_by_label("Type").select_option("collectif")
    bloc.get_by_role("button", name="Créer le partenaire").click()
    page.get_by_text("« Les parents d'élèves » a rejoint l'annuaire").wait_for()
    ligne = page.locator("[data-formset=partenariats] [data-ligne]").last
    assert ligne.get_by_label("Partenaire").locator("option:checked").inner_text() == (
        "Les parents d'élèves"
    )
    # What was typed in the fiche is still there, and saving keeps the new partnership.
    assert page.get_by_role("textbox", name="Contexte").input_value() == "Texte en cours de saisie"
    enregistrer(page)
    page.wait_for_url(re.compile(rf"/fiches/{fiche.pk}/$"))
    partenaire = Partenaire.objects.get(nom="Les parents d'élèves")
    assert partenaire.type == Partenaire.Type.COLLECTIF
    assert fiche.partenariats.filter(partenaire=partenaire, role="").exists()


def test_un_texte_trop_long_n_est_jamais_coupe(page, live_server, fiche):
    se_connecter(page, live_server, "equipe")
    page.goto(f"{live_server.url}/fiches/{fiche.pk}/modifier/")
    titre = page.get_by_label("Titre")
    assert titre.get_attribute("maxlength") is None
    long = "Les ateliers parents-enfants du mercredi après-midi " * 6  # 312 characters
    titre.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(long)  # as a paste does
    assert titre.input_value() == long  # nothing cut by the browser
    compteur = page.locator("#id_titre_compteur")
    assert "311 / 255 caractères : 56 de trop" in compteur.inner_text()  # as the server counts
    enregistrer(page)
    assert page.get_by_label("Titre").input_value() == long  # kept as typed
    assert "au plus 255 caractères" in page.locator("#div_id_titre .invalid-feedback").inner_text()
    assert FicheAction.objects.get(pk=fiche.pk).titre == fiche.titre
