"""The proposed projet: what the detector found, kept between the upload and the confirmation.

A `Proposition` is plain data (dataclasses of strings, numbers, lists and dicts): `en_dict()`
gives the JSON stored on `Importation.proposition`, `Proposition.depuis(dict)` reads it back.

Its pieces:
- `blocs`: the document as read (`blocs.Bloc`), to show the source of everything;
- the objects found, each with an `id` (« f3 », « a1 », « s2 »…) and the block it comes from:
  `sections`, `axes`, `enjeux`, `objectifs` (généraux), `fiches`, plus `sigles`, `chiffres`
  (chiffres clés) and `partenaires` (each name found in fiches, matched to the directory);
- `morceaux`: every piece of text taken from the document (a paragraph, a list item, a table
  cell or row), each with its source (`bloc`, `position`) and its target: `objet` (the id of a
  fiche, section or objectif) and `champ` (the field it fills, see `CHAMPS_FICHE`…). A morceau
  with no target is *not placed*; one whose champ is `IGNORE` is left out on purpose.

The review page edits it with the pure functions below (each returns a new Proposition and
leaves its argument as it was): `reassigner`, `ignorer`, `fusionner_fiches`, `scinder_fiche`,
`modifier`; `problemes()` says what still prevents or deserves a look before `creer_projet`.
"""

import copy
from dataclasses import asdict, dataclass, field, fields

from .blocs import Bloc

IGNORE = "ignore"

# The fields of a fiche a morceau can fill, with their label (the review page's choices). Text
# fields are joined (paragraphs, lists kept); the others make one row per morceau.
CHAMPS_FICHE = {
    "contexte": "Contexte",
    "objectifs_generaux": "Objectif général",
    "objectifs_operationnels": "Objectifs opérationnels",
    "public_vise": "Public visé",
    "attention_particuliere": "Attention particulière",
    "presentation": "Présentation / modalités",
    "echeancier": "Échéancier (une étape par ligne)",
    "moyens_humains": "Moyens humains",
    "moyens_materiels": "Moyens matériels",
    "moyens_financiers": "Moyens financiers",
    "partenaires": "Partenaires",
    "resultats_attendus": "Résultats attendus",
    "indicateurs": "Indicateurs",
    "freins": "Freins à lever",
    "referent": "Référent",
    "participation_actuelle": "Niveau de participation actuel",
    "participation_visee": "Niveau de participation visé",
}
CHAMPS_TEXTE = (
    "contexte",
    "public_vise",
    "attention_particuliere",
    "presentation",
    "resultats_attendus",
    "freins",
)
CHAMPS_OBJECTIF = {
    "objectifs_operationnels": "Objectifs opérationnels",
    "indicateurs_resultats": "Indicateurs de résultats",
    "exemples": "Exemples d'actions",
}
CHAMPS_SECTION = {"contenu": "Contenu"}

# The longest text each row or title takes (its model field's max_length): longer is reported,
# never cut.
LONGUEURS = {
    ("fiche", "titre"): 255,
    ("fiche", "objectifs_generaux"): 255,
    ("fiche", "objectifs_operationnels"): 255,
    ("fiche", "echeancier"): 255,
    ("fiche", "moyens_humains"): 255,
    ("fiche", "moyens_materiels"): 255,
    ("fiche", "moyens_financiers"): 255,
    ("fiche", "partenaires"): 200,
    ("fiche", "indicateurs"): 255,
    ("fiche", "referent"): 200,
    ("axe", "titre"): 200,
    ("enjeu", "titre"): 255,
    ("objectif", "titre"): 255,
    ("section", "titre"): 200,
    ("projet", "titre"): 200,
    ("sigle", "sigle"): 30,
    ("sigle", "signification"): 255,
    ("chiffre", "libelle"): 200,
}
LONGUEUR_PERIODE = 120  # EtapeEcheancier.periode
LONGUEURS_DETAILS = {"objet": 255, "outil": 255}


@dataclass
class Morceau:
    id: str
    texte: str
    bloc: int  # the block it comes from (`Proposition.blocs`)
    position: str  # « page 4, tableau ligne 2 »
    objet: str = ""  # the id of its fiche, section or objectif; "" when not placed
    champ: str = ""  # the field it fills there, IGNORE, or "" when not placed
    forme: str = "paragraphe"  # « paragraphe », « puce » (a list item), « titre », « ligne »
    niveau: int = 0  # a list item's nesting, a heading's level
    # What a row takes besides its text: an étape's « periode », an indicateur's « objet »,
    # « outil » and « nature », a moyen's « type » when its heading said it.
    details: dict = field(default_factory=dict)

    @property
    def place(self):
        return bool(self.champ) and self.champ != IGNORE


@dataclass
class Section:
    id: str
    type: str  # projets.models.SectionProjet.Type
    titre: str
    bloc: int


@dataclass
class Axe:
    id: str
    titre: str
    bloc: int
    numero: int | None = None
    transversal: bool = False
    # The detector made it up to hold fiches the document puts under no axe: to be renamed.
    a_nommer: bool = False


@dataclass
class Enjeu:
    id: str
    axe: str
    numero: int
    titre: str
    bloc: int


@dataclass
class Objectif:
    id: str
    axe: str
    titre: str
    bloc: int
    enjeu: str = ""


@dataclass
class Fiche:
    id: str
    titre: str
    bloc: int
    axe: str = ""
    numero: int | None = None
    objectifs: list = field(default_factory=list)  # ids of `Objectif`s, the first is principal
    statut_plan: str = ""  # E, NA, AE from the arbre d'objectifs
    annees: list = field(default_factory=list)
    projet_familles: bool = False
    projet_jeunesse: bool = False
    participation_actuelle: int | None = None
    participation_visee: int | None = None


@dataclass
class Sigle:
    sigle: str
    signification: str
    bloc: int
    position: str = ""


@dataclass
class Chiffre:
    libelle: str
    valeur: str  # as written; read by centresocial.lib.nombres when written
    bloc: int
    unite: str = ""
    comparaisons: dict = field(default_factory=dict)  # column heading → value as written
    position: str = ""


@dataclass
class Partenaire:
    cle: str  # the normalised name fiches are matched with
    nom: str
    existant: int | None = None  # the pk of the directory's partner, None: a new one
    existant_nom: str = ""


@dataclass
class Probleme:
    message: str
    objet: str = ""
    morceau: str = ""
    bloquant: bool = True


@dataclass
class Proposition:
    fichier: str
    titre: str = ""
    annee_debut: int | None = None
    annee_fin: int | None = None
    territoire: str = ""  # the territoire the chiffres clés go to (its name)
    blocs: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    enjeux: list = field(default_factory=list)
    objectifs: list = field(default_factory=list)
    fiches: list = field(default_factory=list)
    sigles: list = field(default_factory=list)
    chiffres: list = field(default_factory=list)
    partenaires: list = field(default_factory=list)
    morceaux: list = field(default_factory=list)
    remarques: list = field(default_factory=list)  # Probleme: what the detector noticed

    # --- Reading and writing as JSON ------------------------------------------------------

    def en_dict(self):
        return asdict(self)

    @classmethod
    def depuis(cls, donnees):
        sortes = {
            "blocs": Bloc.depuis,
            "sections": lambda d: Section(**d),
            "axes": lambda d: Axe(**d),
            "enjeux": lambda d: Enjeu(**d),
            "objectifs": lambda d: Objectif(**d),
            "fiches": lambda d: Fiche(**d),
            "sigles": lambda d: Sigle(**d),
            "chiffres": lambda d: Chiffre(**d),
            "partenaires": lambda d: Partenaire(**d),
            "morceaux": lambda d: Morceau(**d),
            "remarques": lambda d: Probleme(**d),
        }
        valeurs = {}
        for champ in fields(cls):
            if champ.name not in donnees:
                continue
            valeur = donnees[champ.name]
            if champ.name in sortes:
                valeur = [sortes[champ.name](v) for v in valeur]
            valeurs[champ.name] = valeur
        return cls(**valeurs)

    # --- Looking things up ------------------------------------------------------------------

    def objet(self, identifiant):
        for liste in (self.fiches, self.sections, self.axes, self.enjeux, self.objectifs):
            for objet in liste:
                if objet.id == identifiant:
                    return objet
        return None

    def fiche(self, identifiant):
        return next((f for f in self.fiches if f.id == identifiant), None)

    def morceau(self, identifiant):
        return next((m for m in self.morceaux if m.id == identifiant), None)

    def morceaux_de(self, objet, champ=None):
        return [
            m for m in self.morceaux if m.objet == objet and (champ is None or m.champ == champ)
        ]

    def non_places(self):
        """The pieces of the document that go nowhere yet (neither placed nor ignored)."""
        return [m for m in self.morceaux if not m.champ]

    def ignores(self):
        return [m for m in self.morceaux if m.champ == IGNORE]

    def nouvel_id(self, prefixe):
        pris = {o.id for liste in (self.fiches, self.sections, self.axes) for o in liste}
        pris |= {o.id for o in self.enjeux} | {o.id for o in self.objectifs}
        pris |= {m.id for m in self.morceaux}
        n = 1
        while f"{prefixe}{n}" in pris:
            n += 1
        return f"{prefixe}{n}"

    def sorte(self, identifiant):
        """« fiche », « section », « objectif », « axe », « enjeu » for an object's id."""
        objet = self.objet(identifiant)
        return {
            Fiche: "fiche",
            Section: "section",
            Objectif: "objectif",
            Axe: "axe",
            Enjeu: "enjeu",
        }.get(type(objet), "")


# --- Editing (the review page) ------------------------------------------------------------------


class ModificationImpossible(ValueError):
    """The edit asked for makes no sense on this proposition (unknown id, wrong field)."""


def champs_possibles(proposition, objet):
    sorte = proposition.sorte(objet)
    return {
        "fiche": CHAMPS_FICHE,
        "section": CHAMPS_SECTION,
        "objectif": CHAMPS_OBJECTIF,
    }.get(sorte, {})


def reassigner(proposition, morceau, objet, champ):
    """The piece `morceau` (its id) goes to field `champ` of `objet` (a fiche, section or
    objectif id). `objet=""`, `champ=""` puts it back among the pieces not placed."""
    nouvelle = copy.deepcopy(proposition)
    trouve = nouvelle.morceau(morceau)
    if trouve is None:
        raise ModificationImpossible(f"Morceau inconnu : {morceau}.")
    libre = champ in (IGNORE, "titre") or not (objet or champ)
    if not libre and champ not in champs_possibles(nouvelle, objet):
        raise ModificationImpossible(f"« {champ} » n'est pas un champ de {objet}.")
    if champ == "titre" and nouvelle.objet(objet) is None:
        raise ModificationImpossible(f"Objet inconnu : {objet}.")
    trouve.objet, trouve.champ = objet, champ
    if champ == "titre":
        nouvelle.objet(objet).titre = trouve.texte
    return nouvelle


def ignorer(proposition, morceau):
    """Leave the piece out of the projet (it stays listed among the ignored ones)."""
    nouvelle = copy.deepcopy(proposition)
    trouve = nouvelle.morceau(morceau)
    if trouve is None:
        raise ModificationImpossible(f"Morceau inconnu : {morceau}.")
    trouve.champ = IGNORE
    return nouvelle


def fusionner_fiches(proposition, garde, autre):
    """Fiche `autre` joins fiche `garde`: its pieces come after garde's, in the same fields; its
    objectifs, years and tags are added; `autre` disappears."""
    nouvelle = copy.deepcopy(proposition)
    fiche_garde, fiche_autre = nouvelle.fiche(garde), nouvelle.fiche(autre)
    if fiche_garde is None or fiche_autre is None or garde == autre:
        raise ModificationImpossible("Choisissez deux fiches différentes de cette proposition.")
    for morceau in nouvelle.morceaux:
        if morceau.objet == autre:
            morceau.objet = garde
    for objectif in fiche_autre.objectifs:
        if objectif not in fiche_garde.objectifs:
            fiche_garde.objectifs.append(objectif)
    fiche_garde.annees = sorted(set(fiche_garde.annees) | set(fiche_autre.annees))
    fiche_garde.projet_familles |= fiche_autre.projet_familles
    fiche_garde.projet_jeunesse |= fiche_autre.projet_jeunesse
    for attribut in ("participation_actuelle", "participation_visee", "statut_plan", "axe"):
        if not getattr(fiche_garde, attribut):
            setattr(fiche_garde, attribut, getattr(fiche_autre, attribut))
    # The pieces in the order of the document: garde's first block decides where they stand.
    nouvelle.fiches = [f for f in nouvelle.fiches if f.id != autre]
    return nouvelle


def scinder_fiche(proposition, fiche, morceau, titre=None):
    """A new fiche starts at piece `morceau` of fiche `fiche`: that piece and those after it (in
    the document's order) go to the new fiche, in the same fields. Its title is `titre`, or
    else the piece itself (which then leaves the fields). Returns (proposition, new fiche id)."""
    nouvelle = copy.deepcopy(proposition)
    source = nouvelle.fiche(fiche)
    depart = nouvelle.morceau(morceau)
    if source is None or depart is None or depart.objet != fiche:
        raise ModificationImpossible("Ce morceau n'appartient pas à cette fiche.")
    rang = {m.id: i for i, m in enumerate(nouvelle.morceaux)}
    suivants = [m for m in nouvelle.morceaux if m.objet == fiche and rang[m.id] >= rang[depart.id]]
    identifiant = nouvelle.nouvel_id("f")
    if titre is None:
        titre = depart.texte
        depart.champ = IGNORE
        depart.objet = identifiant
        depart.details = {"titre": True}
        suivants = suivants[1:]
    ajout = Fiche(
        id=identifiant,
        titre=titre,
        bloc=depart.bloc,
        axe=source.axe,
        projet_familles=False,
        projet_jeunesse=False,
    )
    for m in suivants:
        m.objet = identifiant
    position = nouvelle.fiches.index(source) + 1
    nouvelle.fiches.insert(position, ajout)
    return nouvelle, identifiant


MODIFIABLES = {
    "projet": {"titre", "annee_debut", "annee_fin", "territoire"},
    "fiche": {
        "titre",
        "axe",
        "numero",
        "objectifs",
        "statut_plan",
        "annees",
        "projet_familles",
        "projet_jeunesse",
        "participation_actuelle",
        "participation_visee",
    },
    "axe": {"titre", "numero", "transversal"},
    "enjeu": {"titre", "numero", "axe"},
    "objectif": {"titre", "axe", "enjeu"},
    "section": {"titre", "type"},
}


def modifier(proposition, objet, **valeurs):
    """Set what the user corrects on an object (`objet`: its id, or "" for the projet itself:
    its titre, période and territoire). Only the attributes in MODIFIABLES may change."""
    nouvelle = copy.deepcopy(proposition)
    cible = nouvelle if not objet else nouvelle.objet(objet)
    sorte = "projet" if not objet else nouvelle.sorte(objet)
    if cible is None:
        raise ModificationImpossible(f"Objet inconnu : {objet}.")
    interdits = set(valeurs) - MODIFIABLES[sorte]
    if interdits:
        raise ModificationImpossible(f"Non modifiable : {', '.join(sorted(interdits))}.")
    for nom, valeur in valeurs.items():
        setattr(cible, nom, valeur)
        if sorte == "axe" and nom == "titre":
            cible.a_nommer = False
    return nouvelle


def problemes(proposition):
    """What `creer_projet` would refuse (`bloquant`) or what deserves a look, as Probleme rows:
    a text too long for its field (never cut), a fiche without title or axe, a missing période.
    The detector's own remarks come first."""
    from .ecriture import verifier

    return list(proposition.remarques) + verifier(proposition)
