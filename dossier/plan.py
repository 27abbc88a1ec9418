"""The dossier's table of contents: which chapters it has, in the order of the CAF dossiers,
and which parts each holds. A part left empty by the projet is left out of the plan."""

from dataclasses import dataclass, field

from actions.models import FicheAction, Indicateur, Moyen
from projets.models import SectionProjet

Type = SectionProjet.Type

DIAGNOSTIC = [
    Type.METHODOLOGIE,
    Type.PORTRAIT,
    Type.POINT_DE_VUE_PARTENAIRES,
    Type.POINT_DE_VUE_HABITANTS,
    Type.POINT_DE_VUE_EQUIPE,
    Type.BESOINS,
]
PROJETS_SPECIFIQUES = [Type.PROJET_FAMILLES, Type.PROJET_ACCUEIL, Type.PROJET_JEUNESSE]
# Chapters without a number: what opens and what closes the dossier.
SANS_NUMERO = ("preambule", "conclusion", "annexes", "sigles")


@dataclass
class Partie:
    """A titled part of a chapter (a section, the arbre, one axe's fiches, the budget…)."""

    cle: str
    titre: str
    ancre: str
    numero: str = ""
    objet: object = None  # what the part prints: a SectionProjet, an AxeDossier…
    fiches: list = field(default_factory=list)  # fiches listed under the part (projets spécifiques)
    territoires: list = field(default_factory=list)
    titre_masque: bool = False  # a lone section named like its chapter is not titled twice


@dataclass
class Chapitre:
    cle: str
    titre: str
    numero: int | None = None
    parties: list = field(default_factory=list)

    @property
    def ancre(self):
        return f"chapitre-{self.cle}"


def chapitres(contenu):
    """The chapters of the dossier after the cover and the sommaire, numbered in order."""
    plan = [
        Chapitre("preambule", "Préambule et contexte", parties=sections(contenu, [Type.PREAMBULE])),
        Chapitre(
            "evaluation",
            "Évaluation du projet précédent",
            parties=sections(contenu, [Type.EVALUATION_PRECEDENT]),
        ),
        Chapitre("diagnostic", "Synthèse du diagnostic", parties=diagnostic(contenu)),
        Chapitre(
            "orientations", "Orientations et arbre des objectifs", parties=orientations(contenu)
        ),
        Chapitre("projets", "Projets spécifiques et transversaux", parties=projets(contenu)),
        Chapitre("fiches", "Fiches actions par axe", parties=fiches(contenu)),
        Chapitre("resultats", "Évaluation des actions", parties=resultats(contenu)),
        Chapitre("gouvernance", "Gouvernance et organisation", parties=gouvernance(contenu)),
        *chapitres_libres(contenu),
        Chapitre("conclusion", "Conclusion", parties=sections(contenu, [Type.CONCLUSION])),
        Chapitre("annexes", "Annexes", parties=sections(contenu, [Type.ANNEXES])),
    ]
    if contenu.sigles:
        plan.append(Chapitre("sigles", "Sigles et abréviations"))
    plan = [c for c in plan if c.parties or c.cle == "sigles"]
    for chapitre in plan:
        for partie in chapitre.parties:
            partie.titre_masque = partie.titre.strip().lower() == chapitre.titre.lower()
    numero = 0
    for chapitre in plan:
        if chapitre.cle in SANS_NUMERO:
            continue
        numero += 1
        chapitre.numero = numero
        for i, partie in enumerate(chapitre.parties, start=1):
            partie.numero = f"{numero}.{i}"
    return plan


def sections(contenu, types):
    return [
        Partie("section", s.titre_affiche, f"section-{s.pk}", objet=s)
        for s in contenu.sections_de(*types)
    ]


def chapitres_libres(contenu):
    """Each section of type « chapitre libre » is a chapter of its own, under its own title."""
    return [
        Chapitre(f"libre-{partie.objet.pk}", partie.titre, parties=[partie])
        for partie in sections(contenu, [Type.AUTRE])
    ]


def diagnostic(contenu):
    parties = sections(contenu, DIAGNOSTIC)
    territoires = [t for t in contenu.territoires if t.chiffres.all() or t.quartiers]
    if territoires:
        portrait = next((p for p in parties if p.objet.type == Type.PORTRAIT), None)
        if portrait is None:
            portrait = Partie("territoire", "Le territoire en chiffres", "territoire")
            parties.insert(0, portrait)
        portrait.territoires = territoires
    return parties


def orientations(contenu):
    parties = sections(contenu, [Type.ORIENTATIONS])
    enjeux = [enjeu for a in contenu.axes for enjeu in a.axe.enjeux.all()]
    if any(enjeu.description.strip() or enjeu.constats.all() for enjeu in enjeux):
        parties.append(Partie("enjeux", "Les enjeux", "enjeux", objet=enjeux))
    if contenu.axes:
        parties.append(Partie("arbre", "Arbre des objectifs", "arbre", objet=contenu.axes))
    return parties


def projets(contenu):
    """Projet familles lists its ACF fiches and projet jeunesse its jeunesse fiches, even when
    no text introduces them yet."""
    etiquettes = {
        Type.PROJET_FAMILLES: [f for f in contenu.fiches if f.projet_familles],
        Type.PROJET_JEUNESSE: [f for f in contenu.fiches if f.projet_jeunesse],
    }
    parties = []
    for type_ in PROJETS_SPECIFIQUES:
        textes = sections(contenu, [type_])
        liees = etiquettes.get(type_, [])
        if textes:
            textes[-1].fiches = liees
        elif liees:
            textes = [Partie("section", type_.label, f"projet-{type_}", fiches=liees)]
        parties.extend(textes)
    return parties


def fiches(contenu):
    return [
        Partie("axe", f"{a.axe.libelle} : {a.axe.titre}", f"axe-{a.axe.pk}", objet=a)
        for a in contenu.axes
        if a.fiches
    ]


def resultats(contenu):
    """The optional evaluation chapter: per axe, the indicators against their targets and the
    bilans (empty, so left out, unless the projet chose it and something was entered)."""
    return [
        Partie(
            "resultats", f"{a.axe.libelle} : {a.axe.titre}", f"resultats-axe-{a.axe.pk}", objet=a
        )
        for a in contenu.evaluation
    ]


def gouvernance(contenu):
    parties = []
    structure = contenu.structure
    organisation = sections(contenu, [Type.ORGANISATION])
    decrite = any(
        (structure.porteur, structure.service, structure.caf, structure.equipe.strip())
    ) or (structure.nombre_agents is not None)
    if decrite:
        parties.append(Partie("structure", "La structure et son équipe", "structure"))
    parties.extend(organisation)
    if contenu.instances:
        parties.append(Partie("instances", "Instances de gouvernance", "instances"))
    if contenu.budget or contenu.projet.budget_mention.strip():
        parties.append(Partie("budget", "Budget prévisionnel", "budget", objet=contenu.budget))
    return parties


@dataclass
class Cellule:
    cle: str
    titre: str
    colonnes: int = 6


def bandes_fiche(fiche):
    """The rows of a fiche's bordered table, as in the CAF dossiers, without the empty cells.

    The table has six columns: a row of two cells gives each three, a row of three gives two.
    """
    a_indicateurs = bool(fiche.indicateurs.all())
    lignes = [
        [
            ("contexte", "Contexte", bool(fiche.contexte.strip())),
            (
                "objectifs",
                "Objectif général / Objectifs opérationnels",
                bool(fiche.liens_objectifs.all() or fiche.objectifs_operationnels.all()),
            ),
        ],
        [
            (
                "public",
                "Public cible",
                bool(fiche.public_vise.strip() or fiche.attention_particuliere.strip()),
            ),
            ("presentation", "Présentation de l'action", bool(fiche.presentation.strip())),
        ],
        [
            ("echeancier", "Échéancier", bool(fiche.etapes.all())),
            ("moyens", "Moyens / Ressources internes", bool(fiche.moyens.all())),
            ("partenariat", "Partenariat", bool(fiche.partenariats.all())),
        ],
        [
            ("resultats", "Résultats attendus", bool(fiche.resultats_attendus.strip())),
            ("indicateurs", "Indicateurs d'évaluation", a_indicateurs),
        ],
        [
            (
                "acquis",
                "Acquis de la période précédente",
                bool(fiche.acquis_periode_precedente.strip()),
            )
        ],
        [("freins", "Freins à lever", bool(fiche.freins.strip()))],
    ]
    bandes = []
    for ligne in lignes:
        cellules = [Cellule(cle, titre) for cle, titre, rempli in ligne if rempli]
        for cellule in cellules:
            cellule.colonnes = 6 // len(cellules)
        if cellules:
            bandes.append(cellules)
    return bandes


def contexte_fiche(fiche):
    """What the fiche template prints besides the fiche: its table's rows, its moyens and
    indicateurs grouped by kind, its level of participation today and aimed at."""
    moyens = [
        {"titre": titre, "moyens": [m for m in fiche.moyens.all() if m.type == valeur]}
        for valeur, titre in (
            (Moyen.Type.HUMAIN, "Moyens humains"),
            (Moyen.Type.MATERIEL, "Moyens matériels"),
            (Moyen.Type.FINANCIER, "Moyens financiers"),
        )
    ]
    indicateurs = [
        {"titre": titre, "indicateurs": [i for i in fiche.indicateurs.all() if i.nature == valeur]}
        for valeur, titre in (
            (Indicateur.Nature.QUANTITATIF, "Indicateurs quantitatifs"),
            (Indicateur.Nature.QUALITATIF, "Indicateurs qualitatifs"),
        )
    ]
    participation = None
    actuel, vise = fiche.participation_actuelle, fiche.participation_visee
    if actuel or vise:
        Niveau = FicheAction.Participation
        participation = {
            "actuel": Niveau(actuel).label if actuel else "",
            "vise": Niveau(vise).label if vise else "",
        }
    return {
        "fiche": fiche,
        "bandes": bandes_fiche(fiche),
        "moyens": [g for g in moyens if g["moyens"]],
        "indicateurs": [g for g in indicateurs if g["indicateurs"]],
        "participation": participation,
    }
