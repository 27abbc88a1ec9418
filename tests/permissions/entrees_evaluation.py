"""Evaluation: the projet's dashboard and exports, a fiche's results and bilans, targets and
results of an indicator. Staff of structure 1 edit; partner A reads fiche 1a's results only."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.factories import BilanActionFactory, FichierBilanFactory, ResultatFactory

from . import EQUIPE_1, EQUIPE_1_POST, connue_du_partenaire_a, statuts

# fiche_1a's read-only results: its staff and its partner's account.
LECTEURS_FICHE_1A = statuts(
    404, anonyme=302, partenaire_a=200, equipe_1=200, direction_1=200, admin=200
)

PDF = b"%PDF-1.4\n% matrice des permissions\n"


def fichier_pdf():
    """One small PDF in the media storage, shared by every cell (the rows are rolled back)."""
    nom = "evaluation/tests/matrice.pdf"
    return nom if default_storage.exists(nom) else default_storage.save(nom, ContentFile(PDF))


def resultat(o):
    return ResultatFactory(
        indicateur=o.indicateur_1a, annee=2025, valeur=12, justificatif=fichier_pdf()
    )


def fichier_bilan(o):
    bilan = BilanActionFactory(fiche=o.fiche_1a, annee=2025)
    return FichierBilanFactory(bilan=bilan, fichier=fichier_pdf(), titre="Compte rendu")


def projet(nom, *args, requete=""):
    return lambda o: reverse(nom, args=[o.projet_1.pk, *args]) + requete


def fiche(nom, *args):
    return lambda o: reverse(nom, args=[o.fiche_1a.pk, *args])


ENTREES = {
    "evaluation:tableau_de_bord": (projet("evaluation:tableau_de_bord"), EQUIPE_1),
    "evaluation:export_indicateurs": (projet("evaluation:export_indicateurs", "xlsx"), EQUIPE_1),
    "evaluation:export_bilans": (
        projet("evaluation:export_bilans", "csv", requete="?annee=2025"),
        EQUIPE_1,
    ),
    "evaluation:fiche": (fiche("evaluation:fiche"), EQUIPE_1),
    "evaluation:resultats_fiche": (fiche("evaluation:resultats_fiche"), LECTEURS_FICHE_1A),
    "evaluation:bilan": (fiche("evaluation:bilan", 2025), EQUIPE_1),
    "evaluation:fichier_bilan": (
        lambda o: reverse("evaluation:fichier_bilan", args=[fichier_bilan(o).pk]),
        EQUIPE_1,
    ),
    "evaluation:fichier_bilan_supprimer": (
        lambda o: (
            reverse("evaluation:fichier_bilan_supprimer", args=[fichier_bilan(o).pk]),
            "post",
            {},
        ),
        EQUIPE_1_POST,
    ),
    "evaluation:cibles": (
        lambda o: reverse("evaluation:cibles", args=[o.indicateur_1a.pk]),
        EQUIPE_1,
    ),
    "evaluation:resultat_creer": (
        lambda o: reverse("evaluation:resultat_creer", args=[o.indicateur_1a.pk]),
        EQUIPE_1,
    ),
    "evaluation:resultat_modifier": (
        lambda o: reverse("evaluation:resultat_modifier", args=[resultat(o).pk]),
        EQUIPE_1,
    ),
    "evaluation:resultat_supprimer": (
        lambda o: reverse("evaluation:resultat_supprimer", args=[resultat(o).pk]),
        EQUIPE_1,
    ),
    "evaluation:justificatif": (
        lambda o: reverse("evaluation:justificatif", args=[resultat(o).pk]),
        EQUIPE_1,
    ),
}

connue_du_partenaire_a(
    ENTREES,
    "evaluation:fiche",
    "evaluation:bilan",
    "evaluation:cibles",
    "evaluation:fichier_bilan",
    "evaluation:fichier_bilan_supprimer",
    "evaluation:justificatif",
    "evaluation:resultat_creer",
    "evaluation:resultat_modifier",
    "evaluation:resultat_supprimer",
)
