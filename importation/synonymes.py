"""The one table of headings: how centres name the parts of a projet and of a fiche action.

Every phrasing is compared once normalised (`normaliser`: no accents, no case, no punctuation,
the numbering in front dropped, « O b j e t » read as « objet »), so « PRÉAMBULE : »,
« Préambule », « 1.1. Préambule » and « P r é a m b u l e » are the same heading. Add a centre's
own phrasing here, in its plain form, and every reader and layout understands it.
"""

import re
import unicodedata

# --- The rubrics of a fiche action ---------------------------------------------------------
# champ → phrasings. Champs: the FicheAction fields and rows they fill (`ecriture.py`), plus
# « objectifs » (général and opérationnels in one rubric: paragraphs are the objectif général,
# list items the objectifs opérationnels), « moyens » (the kind of each item is then told by its
# sub-heading, or by its words) and « participation » (niveau actuel / visé).
RUBRIQUES_FICHE = {
    "titre": [
        "intitule",
        "intitule de l action",
        "titre de l action",
        "nom de l action",
        "titre",
        "intitule de la fiche",
        "nom du projet",
        "intitule du projet",
    ],
    "contexte": [
        "contexte",
        "preambule",
        "constat",
        "constats",
        "contexte et constats",
        "constats et contexte",
        "rappel du contexte",
        "contexte de l action",
        "origine de l action",
        "origine du projet",
        "pourquoi cette action",
        "justification",
        "justification de l action",
        "problematique",
        "elements de diagnostic",
        "diagnostic",
        "constats du diagnostic",
        "besoins identifies",
        "besoins repérés",
        "besoins reperes",
        "enjeux",
        "historique",
    ],
    "objectifs_generaux": [
        "objectif general",
        "objectifs generaux",
        "objectif principal",
        "finalite",
        "finalites",
        "but",
        "buts",
        "objectif strategique",
        "objectifs strategiques",
    ],
    "objectifs_operationnels": [
        "objectifs operationnels",
        "objectif operationnel",
        "objectifs specifiques",
        "objectif specifique",
        "sous objectifs",
        "objectifs intermediaires",
    ],
    "objectifs": [
        "objectifs",
        "objectif",
        "objectifs de l action",
        "objectif de l action",
        "objectifs vises",
        "objectifs poursuivis",
        "objectifs de la fiche",
    ],
    "public_vise": [
        "public",
        "publics",
        "public vise",
        "publics vises",
        "public cible",
        "publics cibles",
        "public cible specifique",
        "public concerne",
        "publics concernes",
        "public specifique",
        "beneficiaires",
        "cible",
        "cibles",
        "pour qui",
        "public et territoire",
    ],
    "attention_particuliere": [
        "attention particuliere",
        "public prioritaire",
        "publics prioritaires",
    ],
    "presentation": [
        "presentation de l action",
        "presentation",
        "modalites",
        "modalites de l action",
        "modalites de mise en oeuvre",
        "modalites d intervention",
        "mise en oeuvre",
        "description",
        "description de l action",
        "deroulement",
        "deroulement de l action",
        "contenu",
        "contenu de l action",
        "actions a mener",
        "actions envisagees",
        "demarche",
        "methode",
        "fonctionnement",
        "organisation de l action",
        "etapes",
        "etapes de l action",
        "activites",
        "ce que nous faisons",
    ],
    "echeancier": [
        "echeancier",
        "echeancier previsionnel",
        "calendrier",
        "calendrier previsionnel",
        "calendrier de mise en oeuvre",
        "planning",
        "planning previsionnel",
        "echeances",
        "echeance",
        "duree",
        "duree de l action",
        "periodicite",
        "frequence",
        "temporalite",
        "dates",
        "periode",
        "periode de realisation",
        "quand",
    ],
    "moyens": [
        "moyens",
        "moyens mobilises",
        "moyens necessaires",
        "moyens a mobiliser",
        "moyens et ressources",
        "moyens ressources",
        "moyens ressources internes",
        "ressources",
        "ressources internes",
        "ressources mobilisees",
    ],
    "moyens_humains": [
        "moyens humains",
        "humains",
        "humain",
        "ressources humaines",
        "moyens humains mobilises",
        "personnel",
        "personnel mobilise",
        "intervenants",
        "encadrement",
    ],
    "moyens_materiels": [
        "moyens materiels",
        "materiels",
        "materiel",
        "ressources materielles",
        "moyens techniques",
        "moyens logistiques",
        "logistique",
        "locaux",
        "moyens materiels et techniques",
    ],
    "moyens_financiers": [
        "moyens financiers",
        "financiers",
        "financier",
        "ressources financieres",
        "financement",
        "financements",
        "budget",
        "budget previsionnel",
        "budget de l action",
        "cout",
        "cout de l action",
        "cofinancements",
        "co financements",
    ],
    "moyens_materiels_financiers": [
        "ressources materielles et financieres",
        "moyens materiels et financiers",
        "moyens financiers et materiels",
        "ressources financieres et materielles",
    ],
    "partenaires": [
        "partenaires",
        "partenaire",
        "partenariat",
        "partenariats",
        "partenaires associes",
        "partenariat potentiel",
        "partenaires potentiels",
        "partenaires mobilises",
        "partenaires impliques",
        "partenaires envisages",
        "partenaires operationnels",
        "partenaires financiers",
        "partenaires de l action",
        "partenaires et acteurs",
        "acteurs associes",
        "acteurs impliques",
        "avec qui",
    ],
    "resultats_attendus": [
        "resultats attendus",
        "resultats",
        "resultat attendu",
        "resultats escomptes",
        "effets attendus",
        "effets recherches",
        "impacts attendus",
        "impact attendu",
        "plus value attendue",
    ],
    "indicateurs": [
        "indicateurs",
        "indicateur",
        "evaluation",
        "evaluation de l action",
        "indicateurs d evaluation",
        "indicateurs de resultats",
        "indicateurs de suivi",
        "indicateurs et outils",
        "criteres d evaluation",
        "criteres et indicateurs",
        "modalites d evaluation",
        "outils d evaluation",
        "evaluation indicateurs",
        "indicateurs quantitatifs",
        "indicateurs qualitatifs",
        "indicateur quantitatif",
        "indicateur qualitatif",
        "quantitatifs",
        "qualitatifs",
        "quantitatif",
        "qualitatif",
    ],
    "freins": [
        "freins",
        "freins a lever",
        "frein",
        "freins identifies",
        "freins eventuels",
        "risques",
        "risques identifies",
        "points de vigilance",
        "point de vigilance",
        "vigilances",
        "difficultes",
        "difficultes eventuelles",
        "obstacles",
        "limites",
    ],
    "participation": [
        "participation",
        "participation des habitants",
        "niveau de participation",
        "niveau de participation des habitants",
        "place des habitants",
        "implication des habitants",
    ],
    "participation_actuelle": ["niveau actuel", "participation actuelle", "niveau de depart"],
    "participation_visee": [
        "niveau vise",
        "participation visee",
        "niveau attendu",
        "niveau recherche",
    ],
    "referent": [
        "referent",
        "referente",
        "referents",
        "referent de l action",
        "referente de l action",
        "referent e",
        "pilote",
        "pilote de l action",
        "responsable",
        "responsable de l action",
        "coordinateur",
        "coordinatrice",
    ],
}

# The columns of an évaluation table, an échéancier table, a participation table.
COLONNES = {
    "objet": ["objet", "objet evalue", "objets", "ce qui est evalue", "critere", "criteres"],
    "indicateur": ["indicateur", "indicateurs", "indicateurs de resultats"],
    "outil": ["outil", "outils", "outils de recueil", "outil de recueil", "outils d evaluation"],
    "etape": ["etapes", "etape", "actions", "action", "contenu"],
    "periode": ["echeancier", "echeance", "echeances", "calendrier", "periode", "dates", "quand"],
    "participation_actuelle": RUBRIQUES_FICHE["participation_actuelle"],
    "participation_visee": RUBRIQUES_FICHE["participation_visee"],
}

# The tags of a fiche: does it belong to the projet familles (ACF), to the projet jeunesse?
ETIQUETTES = {
    "projet_familles": [
        "projet animation collective famille",
        "projet animation collective familles",
        "animation collective famille",
        "animation collective familles",
        "projet familles",
        "projet famille",
        "acf",
        "projet acf",
    ],
    "projet_jeunesse": ["projet jeunesse", "jeunesse"],
}

# --- The chapters of a projet social (projets.models.SectionProjet.Type) ---------------------
CHAPITRES = {
    "preambule": [
        "preambule",
        "introduction",
        "avant propos",
        "edito",
        "editorial",
        "le mot de",
        "mot du president",
        "mot de la presidente",
        "preambule et contexte",
        "preambule contexte",
        "contexte",
        "rappel du contexte",
        "presentation de la structure",
        "presentation du centre social",
        "presentation de l association",
        "historique",
        "histoire du centre social",
    ],
    "methodologie": [
        "methodologie",
        "rappel de la methodologie",
        "la methodologie",
        "methodologie globale",
        "demarche",
        "demarche d elaboration",
        "demarche participative",
        "methode",
        "elaboration du projet",
        "elaboration du projet social",
        "calendrier d elaboration",
    ],
    "portrait": [
        "diagnostic",
        "synthese du diagnostic",
        "diagnostic partage",
        "diagnostic de territoire",
        "diagnostic du territoire",
        "diagnostic social",
        "portrait de territoire",
        "portrait du territoire",
        "portrait",
        "presentation du territoire",
        "presentation generale du territoire",
        "le territoire",
        "territoire",
        "analyse du territoire",
        "donnees du territoire",
        "donnees statistiques",
        "chiffres cles",
        "etat des lieux",
        "en synthese le portrait",
    ],
    "point_de_vue_partenaires": [
        "point de vue des partenaires",
        "point de vue des acteurs",
        "parole des partenaires",
        "paroles de partenaires",
        "regard des partenaires",
        "regard des acteurs",
        "paroles d acteurs",
        "consultation des partenaires",
    ],
    "point_de_vue_habitants": [
        "point de vue des habitants",
        "parole des habitants",
        "paroles d habitants",
        "regard des habitants",
        "consultation des habitants",
        "enquete aupres des habitants",
        "questionnaire habitants",
        "la parole des habitants",
    ],
    "point_de_vue_equipe": [
        "point de vue de l equipe",
        "point de vue des salaries",
        "parole des salaries",
        "regard de l equipe",
        "point de vue des professionnels",
    ],
    "evaluation_precedent": [
        "evaluation du projet precedent",
        "evaluation du precedent projet",
        "evaluation du projet social precedent",
        "evaluation du precedent projet social",
        "bilan du projet precedent",
        "bilan du precedent projet",
        "bilan du projet social",
        "evaluation du projet social",
        "evaluation des actions",
        "evaluation des actions actuelles",
        "bilan des actions",
        "evaluation",
        "bilan",
    ],
    "besoins": [
        "besoins",
        "les besoins",
        "besoins identifies",
        "besoins croises",
        "besoins croises et partages",
        "besoins sociaux",
        "enjeux",
        "enjeux identifies",
        "problematiques",
        "problematiques identifiees",
        "partage et restitution du diagnostic",
        "restitution du diagnostic",
    ],
    "orientations": [
        "orientations",
        "orientations transversales",
        "orientations et arbre des objectifs",
        "orientations et arbres des objectifs",
        "orientations strategiques",
        "orientations thematiques",
        "orientations generales",
        "arbre d objectifs",
        "arbre des objectifs",
        "arbres des objectifs",
        "axes prioritaires",
        "axes de travail",
        "axes",
        "les axes",
        "priorites",
        "plan d action",
        "valeurs",
        "principes d intervention",
    ],
    "projet_familles": [
        "projet familles",
        "projet famille",
        "projet acf",
        "projet animation collective familles",
        "projet animation collective famille",
        "animation collective familles",
        "projet specifique familles",
        "volet familles",
        "projet familial",
    ],
    "projet_accueil": [
        "projet accueil",
        "projet d accueil",
        "fonction accueil",
        "projet accueil et pole ressources",
        "l accueil",
    ],
    "projet_jeunesse": ["projet jeunesse", "volet jeunesse", "projet jeunes"],
    "organisation": [
        "gouvernance",
        "gouvernance et organisation",
        "organisation",
        "organisation et equipe",
        "instances",
        "instances de gouvernance",
        "pilotage",
        "pilotage du projet",
        "organigramme",
        "organigramme et budget previsionnel",
        "equipe",
        "l equipe",
        "ressources humaines",
        "moyens humains",
        "fonctionnement",
        "vie associative",
    ],
    "conclusion": ["conclusion", "perspectives", "en conclusion", "et demain"],
    "annexes": ["annexes", "annexe"],
    "autre": [
        "projets specifiques",
        "projets specifiques et transversaux",
        "budget",
        "budget previsionnel",
    ],
}

# The rows of an objectif général laid out in its own column (objectifs opérationnels and
# indicateurs are read through RUBRIQUES_FICHE).
RUBRIQUES_OBJECTIF = {
    "exemples": [
        "exemple",
        "exemples",
        "exemples d actions",
        "exemple d actions",
        "pistes d actions",
    ],
}

# Headings that open a zone rather than a chapter.
ZONES = {
    "fiches": [
        "fiches actions",
        "fiches action",
        "fiche actions",
        "les fiches actions",
        "fiches actions par thematique",
        "fiches actions par axe",
        "plan d actions",
        "plan d action detaille",
        "declinaison operationnelle",
        "les actions",
        "actions",
    ],
    "sigles": [
        "sigles",
        "sigles et abreviations",
        "table des sigles",
        "table des sigles et abreviations",
        "liste des sigles",
        "glossaire",
        "abreviations",
        "lexique",
    ],
    "sommaire": ["sommaire", "table des matieres", "sommaire general"],
}

# --- Normalising ---------------------------------------------------------------------------

_NUMEROTATION = re.compile(
    r"^(?:(?:chapitre|partie|titre)\s+[\divxl]+\s*[.\-–:]?\s*"
    r"|\d{1,2}(?:\s*\.\s*\d{1,2})*\s*[.\-–)/]?\s+"
    r"|\d{1,2}(?:\.\d{1,2})+\.?"
    r"|[ivxl]{1,4}\s*[.\-–)]\s+"
    r"|[a-h]\s*[.)]\s+)",
    re.IGNORECASE,
)
_LETTRES_ESPACEES = re.compile(r"^(?:\w )+\w$")


def sans_accents(texte):
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c))


def normaliser(texte, numerotation=True):
    """« 1.2. Le Portrait de TERRITOIRE : » → « le portrait de territoire »."""
    texte = sans_accents(texte).lower().replace("œ", "oe").replace("æ", "ae")
    texte = texte.replace("’", "'")
    if numerotation:
        texte = _NUMEROTATION.sub("", texte.strip(), count=1)
    texte = re.sub(r"[^\w]+", " ", texte).replace("_", " ")
    texte = re.sub(r"\s+", " ", texte).strip()
    if _LETTRES_ESPACEES.match(texte):
        texte = texte.replace(" ", "")
    return texte


def _index(table):
    exact, compact = {}, {}
    for cle, phrases in table.items():
        for phrase in phrases:
            forme = normaliser(phrase, numerotation=False)
            exact.setdefault(forme, cle)
            compact.setdefault(forme.replace(" ", ""), cle)
    return exact, compact


_INDEX = {
    nom: _index(table)
    for nom, table in {
        "fiche": RUBRIQUES_FICHE,
        "colonne": COLONNES,
        "etiquette": ETIQUETTES,
        "chapitre": CHAPITRES,
        "objectif": RUBRIQUES_OBJECTIF,
        "zone": ZONES,
    }.items()
}
_ARTICLES = re.compile(r"^(?:le|la|les|l|du|de|des|d|un|une|nos|notre|son|sa|ses)\s+")


def reconnaitre(texte, table, prefixe=False):
    """The key of `table` (« fiche », « colonne », « etiquette », « chapitre », « zone ») whose
    phrasing `texte` is, or None. With `prefixe`, a phrasing followed by a few more words counts
    (« Évaluation des actions actuelles des maisons de quartier »)."""
    forme = normaliser(texte)
    if not forme or len(forme) > 90:
        return None
    exact, compact = _INDEX[table]
    for essai in (forme, _ARTICLES.sub("", forme)):
        if essai in exact:
            return exact[essai]
        if essai.replace(" ", "") in compact:
            return compact[essai.replace(" ", "")]
    if table == "fiche" and re.search(r"\bgenera(l|ux)\b", forme) and "operationnel" in forme:
        return "objectifs"
    if prefixe:
        mots = _ARTICLES.sub("", forme).split(" ")
        for n in range(min(len(mots) - 1, 7), 0, -1):
            debut = " ".join(mots[:n])
            if debut in exact and len(mots) - n <= max(3, n + 2):
                return exact[debut]
    return None


def prefixe_rubrique(texte, table="fiche"):
    """« Objectif général Développer des actions » (a cell whose lines were joined, as a PDF or a
    Markdown table gives it) → (« objectifs_generaux », « Développer des actions »): a rubric of
    up to six words, followed by a word in capitals."""
    mots = texte.split(" ")
    for n in range(min(6, len(mots) - 1), 0, -1):
        suite = mots[n]
        if not suite[:1].isupper() and not suite[:1].isdigit():
            continue
        cle = reconnaitre(" ".join(mots[:n]), table)
        if cle:
            return cle, " ".join(mots[n:]).strip()
    return None, texte


def separer_rubrique(texte, table="fiche"):
    """« Public visé : habitants du quartier » → (« public_vise », « habitants du quartier »);
    (None, texte) when the part before the colon is not a rubric."""
    trouve = re.match(r"^(?P<rubrique>[^:\n]{2,60}?)\s*[:：]\s*(?P<reste>.*)$", texte, re.DOTALL)
    if trouve:
        cle = reconnaitre(trouve["rubrique"], table)
        if cle:
            return cle, trouve["reste"].strip()
    return None, texte


# --- The ladder of participation ----------------------------------------------------------------
NIVEAUX_PARTICIPATION = [
    (5, ["co decision", "codecision", "decision"]),
    (4, ["co construction", "coconstruction", "contribution", "co production", "implication"]),
    (3, ["concertation"]),
    (2, ["consultation"]),
    (1, ["information", "informer"]),
]


def niveau_participation(texte):
    """The FicheAction.Participation value a level's name means, or None."""
    forme = normaliser(texte, numerotation=False)
    for valeur, mots in NIVEAUX_PARTICIPATION:
        if any(re.search(rf"\b{mot}\b", forme) for mot in mots):
            return valeur
    return None
