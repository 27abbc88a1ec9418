"""Spreadsheet exports: the indicators with their targets and results, and the bilans of a year
one row per action in the national observatory's field order. Each function returns the
header and rows, or the file's bytes; the views only wrap them in a response.

A cell holds exactly what was entered. Multi-valued cells list their labels separated by
`SEPARATEUR` (no label contains it, see evaluation/observatoire.py); the files of a bilan, whose
titles are free text, one per line. How formulas are kept out is told by `protege_csv` and
`en_xlsx`."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actions.models import FicheAction, Indicateur

from .models import BilanAction, Resultat
from .observatoire import (
    SEPARATEUR,
    Dimension,
    Initiative,
    MotCle,
    Public,
    StatutBilan,
    TerritoireConcerne,
    TypePartenaire,
)
from .tableau import suivis_du_projet
from .ventilation import repartition_en_texte

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NON_RENSEIGNE = "non renseigné"

# Who and which action: the structure, then the fiche (its résumé is its contexte, its
# description its présentation).
COLONNES_ACTION = [
    ("Structure", lambda b: b.fiche.projet.structure.nom),
    ("Identifiant de la structure", lambda b: b.fiche.projet.structure.slug),
    ("Type de structure", lambda b: b.fiche.projet.structure.get_type_display()),
    ("Année", lambda b: b.annee),
    ("Axe", lambda b: b.fiche.axe.libelle),
    ("Fiche", lambda b: b.fiche.code),
    ("Action", lambda b: b.fiche.titre),
    ("Résumé (contexte)", lambda b: b.fiche.contexte),
    ("Description (présentation, modalités)", lambda b: b.fiche.presentation),
]

# The bilan, every field in the observatory's order (see DOMAIN.md « Following the actions
# over time »).
COLONNES_BILAN = [
    ("Statut", lambda b: StatutBilan(b.statut).label),
    ("Raison de la fin", lambda b: b.get_motif_fin_display()),
    ("Précision sur la fin", lambda b: b.precision_fin),
    ("Dimension", lambda b: libelle(Dimension, b.dimension)),
    ("Mots clés", lambda b: libelles(MotCle, b.mots_cles)),
    ("Précision sur les mots clés", lambda b: b.precision_mots_cles),
    ("Qui est à l'initiative", lambda b: libelles(Initiative, b.initiatives)),
    ("Précision sur l'initiative", lambda b: b.precision_initiative),
    ("Territoire concerné", lambda b: libelle(TerritoireConcerne, b.territoire)),
    ("Précision sur le territoire", lambda b: b.precision_territoire),
    ("Public", lambda b: libelles(Public, b.publics)),
    ("Partenaires d'action", lambda b: libelles(TypePartenaire, b.types_partenaires)),
    ("Ressources financières mobilisées", lambda b: b.ressources_financieres),
    ("Montant des ressources (€)", lambda b: b.montant_ressources),
    ("Salariés mobilisés", lambda b: b.salaries),
    ("Bénévoles mobilisés", lambda b: b.benevoles),
    ("Participants", lambda b: b.participants),
    ("Personnes mobilisées, en clair", lambda b: b.personnes_precision),
    ("Résultat sur le territoire", lambda b: b.resultat_territoire),
    ("Résultat pour le centre social", lambda b: b.resultat_centre),
    ("Résultat pour les habitants", lambda b: b.resultat_habitants),
    ("Limites", lambda b: b.limites),
    ("Perspectives", lambda b: b.perspectives),
    ("Fichiers associés", lambda b: "\n".join(str(f) for f in b.fichiers.all())),
]


def libelle(choix, valeur):
    return choix(valeur).label if valeur else ""


def libelles(choix, valeurs):
    """The labels in the vocabulary's order (the observatory's), whatever order they were
    checked in."""
    return SEPARATEUR.join(label for valeur, label in choix.choices if valeur in valeurs)


def tableau_bilans(projet, annee):
    colonnes = COLONNES_ACTION + COLONNES_BILAN
    bilans = (
        BilanAction.objects.du_projet(projet)
        .filter(annee=annee)
        .select_related("fiche__axe", "fiche__projet__structure")
        .prefetch_related("fichiers")
        .order_by(*(f"fiche__{champ}" for champ in FicheAction._meta.ordering))
    )
    lignes = [[valeur(b) for _, valeur in colonnes] for b in bilans]
    return [nom for nom, _ in colonnes], lignes


def resultat_lisible(ligne, qualitatif):
    if ligne is None:
        return None
    if ligne["non_renseigne"]:
        return NON_RENSEIGNE
    return ligne["niveau"] if qualitatif else ligne["valeur"]


def tableau_indicateurs(projet):
    """One row per indicator: baseline, targets and results of each year, each result with its
    date, source and breakdown by category (and each semester's when some indicator of the
    projet is followed by semester that year)."""
    suivis = suivis_du_projet(projet)
    releves = {}
    repartitions = {}
    for r in Resultat.objects.du_projet(projet).prefetch_related("valeurs_categories__categorie"):
        cle = (r.indicateur_id, r.annee, r.semestre)
        releves[cle] = (r.date_mesure, r.source)
        repartitions[cle] = repartition_en_texte(r)
    # A column for the breakdown of each period's result, when some indicator is broken down.
    ventile = any(repartitions.values())
    axes = {axe.pk: axe.libelle for axe in projet.axes.all()}
    annees = projet.annees
    semestres = {
        a: any(set(s.resultats.get(a, {})) - {Resultat.Semestre.ANNEE} for s in suivis)
        for a in annees
    }
    entetes = ["Axe", "Fiche", "Action", "Objet", "Indicateur", "Outil", "Nature", "Unité"]
    entetes += ["Valeur de référence", "Cible de la période"]
    periodes_de = {}
    for a in annees:
        periodes_de[a] = [(Resultat.Semestre.ANNEE, str(a))]
        if semestres[a]:
            periodes_de[a] += [(Resultat.Semestre.PREMIER, f"{a} S1")]
            periodes_de[a] += [(Resultat.Semestre.SECOND, f"{a} S2")]
        entetes.append(f"Cible {a}")
        for _, nom in periodes_de[a]:
            entetes += [f"Résultat {nom}", f"Date du relevé {nom}", f"Source {nom}"]
            if ventile:
                entetes.append(f"Répartition {nom}")
    entetes.append("Commentaires")
    lignes = []
    for s in suivis:
        qualitatif = s.nature == Indicateur.Nature.QUALITATIF
        ligne = [axes.get(s.axe_id, ""), s.fiche_code, s.fiche_titre, s.objet, s.libelle]
        ligne += [s.outil, Indicateur.Nature(s.nature).label, s.unite, s.reference, s.cible_periode]
        commentaires = []
        for a in annees:
            periodes = s.resultats.get(a, {})
            ligne.append(s.cible(a))
            for semestre, _ in periodes_de[a]:
                ligne.append(resultat_lisible(periodes.get(semestre), qualitatif))
                ligne += releves.get((s.pk, a, semestre), (None, None))
                if ventile:
                    ligne.append(repartitions.get((s.pk, a, semestre)) or None)
            commentaires += [
                f"{a} : {r['commentaire']}" for r in periodes.values() if r["commentaire"]
            ]
        ligne.append(" | ".join(commentaires))
        lignes.append(ligne)
    return entetes, lignes


# What makes a text starting with « + » or « - » a formula that acts: a function call
# (WEBSERVICE(, HYPERLINK(…) or a DDE link (cmd|…).
APPEL = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\(|\|")
NOMBRE_SIGNE = re.compile(r"[+-]\d+(?:[.,]\d+)?")


def formule_possible(texte):
    """Would a spreadsheet opening the CSV take this text for a formula?

    - « = » or « @ » first: always; a tab or a carriage return first: too (some programs
      drop it, leaving what follows);
    - « + » or « - » first and then anything but a space or a line break (« -x », « +33 6 … »,
      « --> »): yes, but for a plain signed number (« -5 », « +2,5 »), read as a number;
    - « + » or « - » then a space: a list line (« - atelier du mardi »), ordinary text, unless
      it holds a function call or a DDE link (« - WEBSERVICE(… », « - cmd|… »).
    """
    if texte[:1] in ("=", "@", "\t", "\r"):
        return True
    if texte[:1] not in ("+", "-"):
        return False
    if texte[1:2] in (" ", "\n", "\r", ""):
        return bool(APPEL.search(texte))
    return not NOMBRE_SIGNE.fullmatch(texte)


def protege_csv(texte):
    """A text a spreadsheet would evaluate gets an apostrophe in front (OWASP's advice, which
    spreadsheets read as « this is text »); any other text is left exactly as it is."""
    return "'" + texte if formule_possible(texte) else texte


def cellule_csv(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, Decimal | float):
        texte = f"{valeur:f}"
        if "." in texte:
            texte = texte.rstrip("0").rstrip(".")
        return texte.replace(".", ",")
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    return protege_csv(str(valeur))


def en_csv(entetes, lignes):
    """UTF-8 with a BOM and « ; » separators: what French Excel opens without an import step."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(entetes)
    for ligne in lignes:
        ecrivain.writerow([cellule_csv(v) for v in ligne])
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def texte_xlsx(texte):
    """The few control characters XML cannot hold (a vertical tab pasted from a word processor…)
    written as Excel's own escape, « _x000B_ », which it reads back as that very character."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", texte)


def en_xlsx(titre, entetes, lignes):
    """Text cells are typed as text (and formatted « @ », as a cell entered with an apostrophe):
    a text starting with « = » stays that text, never a formula, and nothing is added to it.
    Numbers stay numbers."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = titre[:31]
    feuille.append(entetes)
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
        cellule.alignment = Alignment(wrap_text=True, vertical="top")
    for numero, ligne in enumerate(lignes, start=2):
        for colonne, valeur in enumerate(ligne, start=1):
            cellule = feuille.cell(row=numero, column=colonne)
            if isinstance(valeur, str):
                cellule.value = texte_xlsx(valeur)
                cellule.data_type = "s"
                cellule.number_format = "@"
                cellule.quotePrefix = True
            else:
                cellule.value = valeur
                if isinstance(valeur, date):
                    cellule.number_format = "DD/MM/YYYY"
    feuille.freeze_panes = "A2"
    for i, entete in enumerate(entetes, start=1):
        feuille.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(entete) + 4))
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
