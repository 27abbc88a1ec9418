"""Spreadsheet exports: the indicators with their targets and results, and the bilans of a year
one row per action in the national observatory's field order. Each function returns the
header and rows, or the file's bytes; the views only wrap them in a response."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actions.models import FicheAction, Indicateur

from .models import (
    BilanAction,
    Dimension,
    Initiative,
    MotCle,
    Public,
    Resultat,
    StatutBilan,
    TerritoireConcerne,
    TypePartenaire,
)
from .tableau import suivis_du_projet

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NON_RENSEIGNE = "non renseigné"

# The observatory's order (see DOMAIN.md « Following the actions over time »).
COLONNES_BILAN = [
    ("Statut", lambda b: StatutBilan(b.statut).label),
    ("Raison de la fin", lambda b: b.get_motif_fin_display()),
    ("Précision sur la fin", lambda b: b.precision_fin),
    ("Dimension", lambda b: libelle(Dimension, b.dimension)),
    ("Mots clés", lambda b: libelles(MotCle, b.mots_cles)),
    ("Qui est à l'initiative", lambda b: libelle(Initiative, b.initiative)),
    ("Territoire concerné", lambda b: libelle(TerritoireConcerne, b.territoire)),
    ("Public", lambda b: libelles(Public, b.publics)),
    ("Partenaires d'action", lambda b: libelles(TypePartenaire, b.types_partenaires)),
    ("Ressources financières mobilisées", lambda b: b.ressources_financieres),
    ("Montant des ressources (€)", lambda b: b.montant_ressources),
    ("Salariés mobilisés", lambda b: b.salaries),
    ("Bénévoles mobilisés", lambda b: b.benevoles),
    ("Participants", lambda b: b.participants),
    ("Résultat sur le territoire", lambda b: b.resultat_territoire),
    ("Résultat pour le centre social", lambda b: b.resultat_centre),
    ("Résultat pour les habitants", lambda b: b.resultat_habitants),
    ("Limites", lambda b: b.limites),
    ("Perspectives", lambda b: b.perspectives),
    ("Fichiers associés", lambda b: ", ".join(str(f) for f in b.fichiers.all())),
]


def libelle(choix, valeur):
    return choix(valeur).label if valeur else ""


def libelles(choix, valeurs):
    return ", ".join(choix(v).label for v in valeurs if v in choix.values)


def tableau_bilans(projet, annee):
    entetes = ["Année", "Axe", "Fiche", "Action", *(nom for nom, _ in COLONNES_BILAN)]
    bilans = (
        BilanAction.objects.du_projet(projet)
        .filter(annee=annee)
        .select_related("fiche__axe")
        .prefetch_related("fichiers")
        .order_by(*(f"fiche__{champ}" for champ in FicheAction._meta.ordering))
    )
    lignes = [
        [b.annee, b.fiche.axe.libelle, b.fiche.code, b.fiche.titre]
        + [valeur(b) for _, valeur in COLONNES_BILAN]
        for b in bilans
    ]
    return entetes, lignes


def resultat_lisible(ligne, qualitatif):
    if ligne is None:
        return None
    if ligne["non_renseigne"]:
        return NON_RENSEIGNE
    return ligne["niveau"] if qualitatif else ligne["valeur"]


def tableau_indicateurs(projet):
    """One row per indicator: baseline, targets and results of each year (and of each semester
    when some indicator of the projet is followed by semester that year)."""
    suivis = suivis_du_projet(projet)
    axes = {axe.pk: axe.libelle for axe in projet.axes.all()}
    annees = projet.annees
    semestres = {
        a: any(set(s.resultats.get(a, {})) - {Resultat.Semestre.ANNEE} for s in suivis)
        for a in annees
    }
    entetes = ["Axe", "Fiche", "Action", "Objet", "Indicateur", "Outil", "Nature", "Unité"]
    entetes += ["Valeur de référence", "Cible de la période"]
    for a in annees:
        entetes += [f"Cible {a}", f"Résultat {a}"]
        if semestres[a]:
            entetes += [f"Résultat {a} S1", f"Résultat {a} S2"]
    entetes.append("Commentaires")
    lignes = []
    for s in suivis:
        qualitatif = s.nature == Indicateur.Nature.QUALITATIF
        ligne = [axes.get(s.axe_id, ""), s.fiche_code, s.fiche_titre, s.objet, s.libelle]
        ligne += [s.outil, Indicateur.Nature(s.nature).label, s.unite, s.reference, s.cible_periode]
        commentaires = []
        for a in annees:
            periodes = s.resultats.get(a, {})
            ligne += [
                s.cible(a),
                resultat_lisible(periodes.get(Resultat.Semestre.ANNEE), qualitatif),
            ]
            if semestres[a]:
                ligne += [
                    resultat_lisible(periodes.get(Resultat.Semestre.PREMIER), qualitatif),
                    resultat_lisible(periodes.get(Resultat.Semestre.SECOND), qualitatif),
                ]
            commentaires += [
                f"{a} : {r['commentaire']}" for r in periodes.values() if r["commentaire"]
            ]
        ligne.append(" | ".join(commentaires))
        lignes.append(ligne)
    return entetes, lignes


def protege(valeur):
    """Text a spreadsheet would take for a formula (=, +, -, @) is prefixed with a quote."""
    if isinstance(valeur, str) and valeur[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valeur
    return valeur


def cellule_csv(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, Decimal | float):
        texte = f"{valeur:f}"
        if "." in texte:
            texte = texte.rstrip("0").rstrip(".")
        return texte.replace(".", ",")
    return protege(str(valeur))


def en_csv(entetes, lignes):
    """UTF-8 with a BOM and « ; » separators: what French Excel opens without an import step."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(entetes)
    for ligne in lignes:
        ecrivain.writerow([cellule_csv(v) for v in ligne])
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def en_xlsx(titre, entetes, lignes):
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = titre[:31]
    feuille.append(entetes)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
        cellule.alignment = Alignment(wrap_text=True, vertical="top")
    for ligne in lignes:
        feuille.append([protege(v) for v in ligne])
    feuille.freeze_panes = "A2"
    for i, entete in enumerate(entetes, start=1):
        feuille.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(entete) + 4))
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
