"""Measurement documents made at run time from the reference texts of `shared/reference/`
(never copied into the repository), each in two layouts: « tableaux » (fiches as bordered
tables) and « titres » (fiches as headings and paragraphs), with what the import should find.

What should be found is written here from each reference's own layout, by hand (which rubric
of the reference goes to which field), not with the detector's synonyms: the measure does not
grade the detector with its own table.
"""

import os
import re
from pathlib import Path

from lxml import html as lxml_html

from .modele import Attendu, Case, DocumentMesure, Para, Table, Unite

DOSSIER = Path(
    os.environ.get("REFERENCE_DIR", Path(__file__).resolve().parents[3] / "shared" / "reference")
)
CLERMONT = "deliberation-et-projet-social-territoire-sud-clermont.txt"
CLOS_DU_ROY = "fiche-action-vierzon-clos-du-roy.txt"
VERNET = "fiche-action-vierzon-vernet-aller-vers.txt"
MONTFERMEIL = "axes-projet-social-montfermeil.txt"
REFERENCES = (CLERMONT, CLOS_DU_ROY, VERNET, MONTFERMEIL)
DISPOSITIONS = ("tableaux", "titres")
PUCE = re.compile(r"^\s*(?:[-•–]\s*)+")
MOYENS_MF = ("moyens_materiels", "moyens_financiers")


def disponible():
    return all((DOSSIER / nom).exists() for nom in REFERENCES)


def lire(nom):
    return (DOSSIER / nom).read_text(encoding="utf-8")


def documents(disposition):
    return [
        clermont(disposition),
        vierzon(CLOS_DU_ROY, disposition),
        vierzon(VERNET, disposition),
        montfermeil(disposition),
    ]


# --- Cells written in HTML (<p>, <ul>) -------------------------------------------------------


def elements_html(cellule):
    """A reference cell (« <p>…</p> <ul> • a • b </ul> » or plain text) → paragraphs and items."""
    cellule = cellule.strip()
    if not cellule:
        return []
    if "<" not in cellule:
        return [Para(texte=" ".join(cellule.split()))]
    racine = lxml_html.fragment_fromstring(cellule, create_parent="div")
    sortie = []
    if racine.text and racine.text.strip():
        sortie.append(Para(texte=" ".join(racine.text.split())))
    for noeud in racine:
        contenu = " ".join(noeud.text_content().split())
        if noeud.tag in ("ul", "ol"):
            items = [i for i in re.split(r"\s*(?:^|\s)[•\-–]\s*(?=\S)", " " + contenu) if i.strip()]
            for item in items or [contenu]:
                sortie.append(Para(texte=item.strip(" ;"), puce=True))
        elif contenu:
            sortie.append(Para(texte=contenu, gras=noeud.tag in ("b", "strong")))
        if noeud.tail and noeud.tail.strip():
            sortie.append(Para(texte=" ".join(noeud.tail.split())))
    return sortie


def rangees(lignes):
    """Tab-separated rows → table rows: an empty cell after a full one widens it (a merged
    cell), empty cells at the start stay."""
    table = []
    for ligne in lignes:
        cases = ligne.split("\t")
        if cases and not cases[-1].strip():
            cases = cases[:-1]
        rangee = []
        for case in cases:
            if not case.strip() and rangee and rangee[-1].elements:
                rangee[-1].largeur += 1
            else:
                rangee.append(Case(elements=elements_html(case)))
        table.append(rangee)
    return Table(lignes=table)


# --- The Territoire Sud dossier ---------------------------------------------------------------

RUBRIQUES_CLERMONT = [
    (r"^contexte", "contexte"),
    (r"^objectifs? g", "objectifs"),
    (r"^public", "public_vise"),
    (r"^pr[ée]sentation", "presentation"),
    (r"^[ée]ch[ée]ancier", "echeancier"),
    (r"^moyens", "moyens"),
    (r"^ressources", "moyens"),
    (r"^partenariat", "partenaires"),
    (r"^r[ée]sultats", "resultats_attendus"),
    (r"^indicateurs", "indicateurs"),
    (r"^freins", "freins"),
]
SOUS_RUBRIQUES = {
    "moyens humains": ("moyens_humains",),
    "ressources matérielles et financières": MOYENS_MF,
    "moyens matériels et financiers": MOYENS_MF,
    "ressources matérielles": ("moyens_materiels",),
    "moyens matériels": ("moyens_materiels",),
    "moyens financiers": ("moyens_financiers",),
    "indicateurs quantitatifs": ("indicateurs",),
    "indicateurs qualitatifs": ("indicateurs",),
}


def rubrique_clermont(texte):
    texte = texte.strip().lower()
    for motif, champ in RUBRIQUES_CLERMONT:
        if re.match(motif, texte) and len(texte) < 70:
            return champ
    return None


def unites_de(champ, elements):
    """What a cell of rubric `champ` holds, piece by piece, with the fields each may go to."""
    unites = []
    sous = None
    for element in elements:
        cle = element.texte.strip().lower().rstrip(" :")
        if not element.puce and cle in SOUS_RUBRIQUES:
            sous = SOUS_RUBRIQUES[cle]
            if sous == ("indicateurs",):
                champ = "indicateurs"
            continue
        texte = element.texte.strip()
        if len(re.sub(r"\W", "", texte)) < 3:
            continue
        if champ == "objectifs":
            champs = ("objectifs_operationnels",) if element.puce else ("objectifs_generaux",)
        elif champ == "moyens":
            champs = sous or ("moyens_humains", "moyens_materiels", "moyens_financiers")
        elif champ == "public_vise" and "attention particuli" in texte.lower():
            champs = ("attention_particuliere", "public_vise")
        else:
            champs = (champ,)
        unites.append(Unite(texte=texte, champs=champs))
    return unites


def clermont(disposition):
    lignes = lire(CLERMONT).split("\n")
    debut = next(i for i, t in enumerate(lignes) if t.startswith("**FICHES ACTIONS"))
    fin = next(i for i, t in enumerate(lignes) if i > debut and t.startswith("**ET DEMAIN"))
    contenu = texte_libre(lignes[:debut])
    contenu.append(Para(texte="FICHES ACTIONS PAR THÉMATIQUE", titre=1))
    attendus = []
    i = debut + 2
    while i < fin:
        if not lignes[i].startswith("AXE"):
            i += 1
            continue
        axe = lignes[i].strip()
        i += 1
        while not lignes[i].strip():
            i += 1
        titre = lignes[i].strip()
        i += 1
        etiquettes, tableau = [], []
        while i < fin and not lignes[i].startswith("AXE"):
            ligne = lignes[i]
            if "\t" in ligne:
                tableau.append(ligne)
            elif ligne.strip():
                etiquettes.append(ligne.strip())
            i += 1
        table = rangees(tableau)
        attendu = Attendu(titre=re.sub(r"^\d+\s*[.\-–]\s*", "", titre))
        colonnes = {}
        for rangee in table.lignes:
            k = 0
            for case in rangee:
                if (
                    case.elements
                    and len(case.elements) == 1
                    and rubrique_clermont(case.elements[0].texte)
                ):
                    for c in range(k, k + case.largeur):
                        colonnes[c] = rubrique_clermont(case.elements[0].texte)
                elif case.elements:
                    champ = colonnes.get(k) or colonnes.get(
                        max([c for c in colonnes if c <= k], default=-1)
                    )
                    if champ:
                        attendu.unites += unites_de(champ, case.elements)
                k += case.largeur
        attendus.append(attendu)
        contenu.append(Para(texte=axe, gras=True))
        contenu.append(Para(texte=titre, titre=2))
        for etiquette in etiquettes:
            contenu.append(Para(texte=etiquette))
        if disposition == "tableaux":
            contenu.append(table)
        else:
            contenu += en_titres(table)
        contenu.append(Para(texte="\f"))
    contenu += texte_libre(lignes[fin:])
    return DocumentMesure(nom="Territoire Sud (Clermont)", contenu=contenu, attendus=attendus)


def en_titres(table):
    """A fiche table read row by row: each rubric becomes a heading over its contents."""
    sortie = []
    colonnes = {}
    contenus = {}
    ordre = []
    for rangee in table.lignes:
        k = 0
        for case in rangee:
            if (
                case.elements
                and len(case.elements) == 1
                and rubrique_clermont(case.elements[0].texte)
            ):
                for c in range(k, k + case.largeur):
                    colonnes[c] = case.elements[0].texte
                ordre.append(case.elements[0].texte)
                contenus.setdefault(case.elements[0].texte, [])
            elif case.elements:
                rubrique = colonnes.get(k) or colonnes.get(
                    max([c for c in colonnes if c <= k], default=-1)
                )
                contenus.setdefault(rubrique, []).extend(case.elements)
            k += case.largeur
    for rubrique in ordre:
        sortie.append(Para(texte=rubrique, titre=3))
        sortie += contenus.get(rubrique, [])
    return sortie


TITRE_NUMEROTE = re.compile(r"^(?:Chapitre \d+\s*-|\d+(?:\.\d+)+\.?\s)")


def texte_libre(lignes):
    """The chapters around the fiches: headings told by their numbering or their capitals,
    tab-separated rows as tables, « - » lines as lists, bold lines as bold."""
    contenu = []
    tableau = []
    dans_sommaire = False
    tampon = []

    def vider_tableau():
        if tableau:
            contenu.append(rangees(tableau))
            tableau.clear()

    for ligne in lignes:
        if "\t" in ligne.strip("\t ") or (tableau and "\t" in ligne):
            tableau.append(ligne)
            continue
        vider_tableau()
        texte = ligne.strip()
        if not texte:
            continue
        if texte.startswith("**") and not texte.endswith("**"):
            tampon.append(texte.strip("*"))
            continue
        if tampon:
            tampon.append(texte.strip("*"))
            if texte.endswith("**"):
                contenu.append(Para(texte=" ".join(tampon), gras=True))
                tampon = []
            continue
        if texte == "SOMMAIRE":
            dans_sommaire = True
            contenu.append(Para(texte=texte, titre=1))
            continue
        if dans_sommaire and texte.startswith("TABLE DES SIGLES"):
            contenu.append(Para(texte=texte))
            dans_sommaire = False
            continue
        if texte.startswith("- "):
            contenu.append(Para(texte=texte[2:], puce=True))
        elif "<" in texte and ">" in texte:
            contenu += elements_html(texte)
        elif dans_sommaire:
            contenu.append(Para(texte=texte))
        elif TITRE_NUMEROTE.match(texte):
            profondeur = (
                1
                if texte.startswith("Chapitre")
                else texte.split()[0].count(".") + (0 if texte.split()[0].endswith(".") else 1)
            )
            contenu.append(Para(texte=texte, titre=max(1, min(profondeur, 4))))
        elif texte.startswith("AXE"):
            contenu.append(Para(texte=texte, titre=2))
        elif len(texte) <= 80 and texte.upper() == texte and sum(c.isalpha() for c in texte) >= 4:
            contenu.append(Para(texte=texte, titre=1))
        elif texte.startswith("**") and texte.endswith("**"):
            contenu.append(Para(texte=texte.strip("*"), gras=True))
        else:
            contenu.append(Para(texte=texte))
    vider_tableau()
    return contenu


# --- The Vierzon fiches -------------------------------------------------------------------------

VIERZON = [
    (r"^pr[ée]ambule", "contexte"),
    (r"^objectifs de l.action", "objectifs"),
    (r"^public vis[ée]", "public_vise"),
    (r"^partenaires associ[ée]s", "partenaires"),
    (r"^moyens$", "moyens"),
    (r"^humains\s*:?$", "moyens_humains"),
    (r"^financiers\s*:", "moyens_financiers"),
    (r"^modalit[ée]s de l.action", "modalites"),
    (r"^evaluation", "indicateurs"),
    (r"^participation", "participation"),
]


def rubrique_vierzon(texte):
    texte = texte.strip().lower()
    for motif, champ in VIERZON:
        if re.match(motif, texte):
            return champ
    return None


def vierzon(nom, disposition):
    """A Vierzon fiche: its lines joined into paragraphs (the PDF's line wraps undone), its
    rubrics in bold, its tab-separated rows as tables."""
    lignes = lire(nom).split("\n")
    contenu, attendu = [], Attendu(titre="")
    champ = None
    paragraphe = []
    tableau = []
    sections = []  # (rubrique, [Para]) for the tables layout

    def finir_paragraphe():
        if paragraphe:
            texte = " ".join(paragraphe)
            ajouter(Para(texte=texte))
            paragraphe.clear()

    def ajouter(para):
        contenu.append(para)
        if sections:
            sections[-1][1].append(para)
        if champ and champ not in ("modalites", "participation") and not para.titre:
            if champ == "partenaires" and "," in para.texte:
                attendu.unites += [
                    Unite(texte=t.strip(), champs=("partenaires",))
                    for t in para.texte.split(",")
                    if t.strip()
                ]
                return
            if champ == "objectifs":
                champs = ("objectifs_operationnels", "objectifs_generaux")
            elif champ == "moyens":
                champs = ("moyens_humains", "moyens_materiels", "moyens_financiers")
            else:
                champs = (champ,)
            if len(re.sub(r"\W", "", para.texte)) >= 3:
                attendu.unites.append(Unite(texte=para.texte, champs=champs))
        elif (
            champ == "modalites"
            and not para.titre
            and len(re.sub(r"\W", "", para.texte)) >= 3
            and "t a p e s" not in para.texte
        ):
            attendu.unites.append(Unite(texte=para.texte, champs=("presentation", "echeancier")))

    def finir_tableau():
        if not tableau:
            return
        table = rangees(tableau)
        tableau.clear()
        contenu.append(table)
        if sections:
            sections[-1][1].append(table)
        for rangee in table.lignes[1:]:
            textes = [" ".join(e.texte for e in c.elements) for c in rangee if c.elements]
            if not textes or any(
                "t a p e s" in t.lower() or "b j e t" in t.lower() for t in textes
            ):
                continue
            if champ == "modalites":
                attendu.unites += [
                    Unite(texte=t, champs=("presentation", "echeancier")) for t in textes
                ]
            elif champ == "indicateurs":
                attendu.unites += [Unite(texte=t, champs=("indicateurs",)) for t in textes]
            elif (
                champ == "participation" and len(textes) == 2 and "niveau" not in textes[0].lower()
            ):
                attendu.participation = {"participation_actuelle": 4, "participation_visee": 4}

    for ligne in lignes:
        texte = ligne.strip().strip("*").strip()
        if "\t" in ligne:
            finir_paragraphe()
            tableau.append(ligne)
            continue
        finir_tableau()
        if not texte or texte in ("-",):
            finir_paragraphe()
            continue
        rubrique = rubrique_vierzon(texte)
        if re.match(r"^AXE\b", texte):
            finir_paragraphe()
            contenu.append(Para(texte=texte, titre=1))
        elif re.match(r"^Mission Caf", texte):
            finir_paragraphe()
            contenu.append(Para(texte=texte))
        elif re.match(r"^Action \d+", texte):
            finir_paragraphe()
            contenu.append(Para(texte=texte, titre=2))
            reste = re.sub(r"^Action \d+\s*", "", texte)
            attendu.titre = reste
        elif (
            not attendu.titre
            and ligne.startswith("**")
            or (paragraphe and ligne.rstrip().endswith("**") and not champ)
        ):
            paragraphe.append(texte)
            if ligne.rstrip().endswith("**"):
                attendu.titre = " ".join(paragraphe)
                contenu.append(Para(texte=attendu.titre, gras=True))
                paragraphe.clear()
        elif rubrique:
            finir_paragraphe()
            champ = rubrique
            morceaux = re.split(r"\s*:\s*", texte, maxsplit=1)
            if rubrique in ("moyens_financiers",) and len(morceaux) == 2 and morceaux[1]:
                contenu.append(Para(texte=morceaux[0] + " :", gras=True))
                sections.append((morceaux[0], []))
                paragraphe.append(morceaux[1])
            else:
                contenu.append(Para(texte=texte, gras=True))
                sections.append((texte, []))
        elif PUCE.match(texte):
            finir_paragraphe()
            niveau = len(re.findall(r"[-•–]", PUCE.match(texte).group())) - 1
            ajouter(Para(texte=PUCE.sub("", texte), puce=True, niveau=max(0, niveau)))
        elif champ in ("partenaires", "public_vise") or re.match(r"^\s*Financiers\s*:", ligne):
            finir_paragraphe()
            if re.match(r"^\s*Financiers\s*:", ligne):
                champ = "moyens_financiers"
                contenu.append(Para(texte="Financiers :", gras=True))
                sections.append(("Financiers :", []))
                paragraphe.append(texte.split(":", 1)[1].strip())
            else:
                paragraphe.append(texte)
                finir_paragraphe()
        else:
            paragraphe.append(texte)
            if re.search(r"[.:!?)]$", texte) and champ not in (
                "moyens_humains",
                "indicateurs",
                "modalites",
            ):
                finir_paragraphe()
    finir_paragraphe()
    finir_tableau()
    if disposition == "tableaux":
        contenu = en_table_deux_colonnes(contenu, sections)
    return DocumentMesure(
        nom=f"Vierzon, {attendu.titre.title()}", contenu=contenu, attendus=[attendu]
    )


def en_table_deux_colonnes(contenu, sections):
    """The fiche as one bordered « rubrique | contenu » table; its own tables follow it."""
    avant = []
    premiere = sections[0][1][0] if sections and sections[0][1] else None
    for bloc in contenu:
        if isinstance(bloc, Para) and bloc.gras and any(bloc.texte == s[0] for s in sections):
            break
        avant.append(bloc)
    del premiere
    lignes = []
    tables = []
    for rubrique, blocs in sections:
        paras = [b for b in blocs if isinstance(b, Para)]
        lignes.append(
            [
                Case(elements=[Para(texte=rubrique, gras=True)]),
                Case(elements=paras or [Para(texte=" ")]),
            ]
        )
        for b in blocs:
            if isinstance(b, Table):
                tables.append((rubrique, b))
    sortie = avant + [Table(lignes=[r for r in lignes if r[1].elements[0].texte.strip()])]
    for rubrique, table in tables:
        sortie += [Para(texte=rubrique, gras=True), table]
    return sortie


# --- The Montfermeil axes ----------------------------------------------------------------------


def montfermeil(disposition):
    lignes = lire(MONTFERMEIL).split("\n")
    contenu, attendus = [], []
    i = 0
    while i < len(lignes):
        texte = lignes[i].strip()
        if re.match(r"^AXE\b", texte):
            contenu.append(Para(texte=texte, titre=1))
            i += 1
            while not lignes[i].strip():
                i += 1
            contenu.append(Para(texte=lignes[i].strip(), gras=True))
            i += 1
            tableau = []
            while i < len(lignes) and ("\t" in lignes[i] or not lignes[i].strip()):
                if "\t" in lignes[i]:
                    tableau.append(lignes[i])
                i += 1
            table = rangees(tableau)
            colonnes = [[] for _ in table.lignes[0]]
            for rangee in table.lignes:
                for k, case in enumerate(rangee):
                    colonnes[k].append(case.elements)
            for colonne in colonnes:
                titre = " ".join(e.texte for e in colonne[0][1:])
                attendu = Attendu(titre=titre, sorte="objectif")
                for cellule, champ in zip(
                    colonne[1:],
                    ("objectifs_operationnels", "indicateurs_resultats", "exemples"),
                    strict=False,
                ):
                    for e in cellule[1:]:
                        if len(re.sub(r"\W", "", e.texte)) >= 3:
                            attendu.unites.append(Unite(texte=e.texte.lstrip("-"), champs=(champ,)))
                attendus.append(attendu)
            if disposition == "tableaux":
                contenu.append(table)
            else:
                for colonne in colonnes:
                    contenu.append(
                        Para(
                            texte="Objectif général : " + " ".join(e.texte for e in colonne[0][1:]),
                            titre=2,
                        )
                    )
                    for cellule in colonne[1:]:
                        contenu.append(Para(texte=cellule[0].texte, gras=True))
                        contenu += cellule[1:]
            continue
        if texte:
            contenu.append(Para(texte=texte))
        i += 1
    return DocumentMesure(nom="Montfermeil (axes)", contenu=contenu, attendus=attendus)
