"""The rapport d'activité of one year of a projet, as PDF, with the dossier's renderer: a cover
with the structure's identity, a sommaire, the year in brief (per axe: actions, bilans,
participants, indicators against targets), then one chapter per axe with each action of the
year: its statut, the people it mobilised, its indicators against their targets (table and
charts) and its bilan's texts.

The actions of a year are the fiches planned that year (or without years: for the whole
période), and any other fiche that entered a result or a bilan for it.
"""

import base64
import re
from collections import Counter
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from evaluation.graphiques import barres_horizontales, graphique_indicateur
from evaluation.tableau import Avancement, lire_evaluation

from .contenu import Contenu, charger_axes, territoires_de
from .plan import Chapitre, Partie
from .rendu import assembler, contexte_document, en_pdf, version_de
from .resultats import evaluer

# The charts' colours, written into each SVG: as an image, it does not see the stylesheet.
STYLE_GRAPHIQUE = (
    "<style>"
    ".eval-texte{font-family:'Lato Dossier','DejaVu Dossier',sans-serif;font-size:10px;"
    "fill:#1d2733}"
    ".eval-valeur{font-family:'Lato Dossier','DejaVu Dossier',sans-serif;font-size:11px;"
    "font-weight:700;fill:#1d2733}"
    ".eval-axe{stroke:#6f8aa8;stroke-width:1}"
    ".eval-grille{stroke:#dde4ec;stroke-width:1}"
    ".eval-barre,.eval-resultat{fill:#1f4e79}"
    ".eval-barre-visee{fill:#fff;stroke:#b04a32;stroke-width:2}"
    ".eval-cible{stroke:#b04a32;stroke-width:3}"
    ".eval-reference{stroke:#5b6673;stroke-width:1.5;stroke-dasharray:4 3}"
    "</style>"
)
TITRE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
DESCRIPTION = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def figure(svg, classe=""):
    """An SVG chart of `evaluation.graphiques` as an image whose alternative text is the chart's
    title and what its bars say: a tagged PDF gives a figure's text alternative from `alt`
    (from an inline SVG, it would only take the title)."""
    titre, description = TITRE.search(svg)[1], DESCRIPTION.search(svg)[1]  # already escaped
    autonome = svg.replace("</title>", "</title>" + STYLE_GRAPHIQUE, 1)
    donnees = base64.b64encode(autonome.encode()).decode()
    return mark_safe(  # noqa: S308 (our own markup, the texts escaped by graphiques)
        f'<figure class="graphique {classe}"><img src="data:image/svg+xml;base64,{donnees}" '
        f'alt="{titre}. {description}"><figcaption>{titre}</figcaption></figure>'
    )


def annee_par_defaut(projet):
    """The year the rapport opens on: the dashboard's (the latest with a result or a bilan)."""
    return lire_evaluation(projet).annee_par_defaut(projet)


@dataclass
class ChapitreRapport(Chapitre):
    graphique: str = ""
    synthese: list = field(default_factory=list)  # of SyntheseAxe (the year in brief)
    totaux: object = None


@dataclass
class SyntheseAxe:
    """One axe's line in « L'année en bref »; a count nobody entered stays None (printed empty)."""

    axe: object
    actions: int = 0
    bilans: int = 0
    participants: int | None = None
    benevoles: int | None = None
    indicateurs: Counter = field(default_factory=Counter)  # Avancement → how many

    def ajouter(self, autre):
        self.actions += autre.actions
        self.bilans += autre.bilans
        self.indicateurs.update(autre.indicateurs)
        for nom in ("participants", "benevoles"):
            self._somme(nom, getattr(autre, nom))

    def _somme(self, nom, valeur):
        if valeur is not None:
            setattr(self, nom, (getattr(self, nom) or 0) + valeur)

    @property
    def avancements(self):
        """The counts in the dashboard's order (`Avancement`)."""
        return [self.indicateurs[a] for a in Avancement]


def de_l_annee(evaluee, annee):
    """A fiche of the year: planned that year, planned for the whole période (no years), or
    with something entered for it."""
    annees = evaluee.fiche.liste_annees
    return not annees or annee in annees or evaluee.indicateurs or evaluee.bilans


def synthese_axe(axe):
    ligne = SyntheseAxe(axe=axe.axe, actions=len(axe.fiches))
    for evaluee in axe.fiches:
        bilan = evaluee.bilan
        if bilan:
            ligne.bilans += 1
            ligne._somme("participants", bilan.participants)
            ligne._somme("benevoles", bilan.benevoles)
        ligne.indicateurs[Avancement.SANS_DONNEE] += len(evaluee.sans_resultat)
        for indicateur in evaluee.indicateurs:
            for mesure in indicateur.mesures:
                if mesure.avancement:
                    ligne.indicateurs[mesure.avancement] += 1
    return ligne


def graphiques_fiche(evaluee, projet, annee):
    """One chart per quantitative indicator measured in the year: its results and targets from
    the start of the période to the year."""
    annees = [a for a in projet.annees if a <= annee]
    graphiques = []
    for indicateur in evaluee.indicateurs:
        suivi = indicateur.suivi
        if not suivi.quantitatif or suivi.valeur(annee) is None:
            continue
        graphiques.append(
            figure(
                graphique_indicateur(
                    f"indicateur-{suivi.pk}",
                    f"{suivi.libelle} : résultats et cibles {annees[0]}–{annee}"
                    if len(annees) > 1
                    else f"{suivi.libelle} : résultat et cible {annee}",
                    annees,
                    {a: suivi.valeur(a) for a in annees},
                    {a: suivi.cible(a) for a in annees},
                    reference=suivi.reference,
                    unite=suivi.unite,
                ),
                "graphique-indicateur",
            )
        )
    return graphiques


def participants_par(lignes, ident, titre):
    """Bars of the participants, for the rows that counted them (none: no chart)."""
    comptees = [(libelle, n) for libelle, n in lignes if n is not None]
    if not comptees:
        return ""
    return figure(barres_horizontales(ident, titre, comptees))


def chapitres(projet, axes, annee):
    evalues = []
    for axe in evaluer(projet, axes, [annee], toutes_les_fiches=True):
        axe.fiches = [f for f in axe.fiches if de_l_annee(f, annee)]
        if axe.fiches:
            evalues.append(axe)
    synthese = [synthese_axe(axe) for axe in evalues]
    totaux = SyntheseAxe(axe=None)
    for ligne in synthese:
        totaux.ajouter(ligne)
    plan = [
        ChapitreRapport(
            "synthese",
            f"L'année {annee} en bref",
            synthese=synthese,
            totaux=totaux,
            graphique=participants_par(
                [
                    (f"{ligne.axe.libelle} : {ligne.axe.titre}", ligne.participants)
                    for ligne in synthese
                ],
                "participants-axes",
                f"Participants par axe en {annee}",
            ),
        )
    ]
    for axe in evalues:
        for evaluee in axe.fiches:
            evaluee.graphiques = graphiques_fiche(evaluee, projet, annee)
        plan.append(
            ChapitreRapport(
                f"axe-{axe.axe.pk}",
                f"{axe.axe.libelle} : {axe.axe.titre}",
                parties=[
                    Partie(
                        "fiche",
                        f"{e.fiche.code}. {e.fiche.titre}",
                        f"fiche-{e.fiche.pk}",
                        objet=e,
                    )
                    for e in axe.fiches
                ],
                graphique=participants_par(
                    [
                        (f"{e.fiche.code}. {e.fiche.titre}", e.bilan.participants)
                        for e in axe.fiches
                        if e.bilan
                    ],
                    f"participants-axe-{axe.axe.pk}",
                    f"Participants par action en {annee} · {axe.axe.libelle}",
                ),
            )
        )
    return plan


def html_rapport(projet, annee, apercu=False):
    """The rapport d'activité of `annee` as one HTML document."""
    if annee not in projet.annees:
        raise ValueError(f"{annee} n'est pas une année du projet ({projet.periode}).")
    contenu = Contenu(projet, projet.structure, [], territoires_de(projet), [], [], None, [])
    plan = chapitres(projet, charger_axes(projet), annee)
    contexte = contexte_document(contenu, apercu)
    contexte["titre_document"] = f"{projet.structure.nom} · Rapport d'activité {annee}"
    contexte["description_document"] = (
        f"Rapport d'activité {annee} – projet social {projet.periode}"
    )
    contexte["mots_cles"] = "rapport d'activité, projet social, évaluation"
    blocs = [
        render_to_string(
            "dossier/rapport/couverture.html", {**contexte, "contenu": contenu, "annee": annee}
        ),
        render_to_string("dossier/sommaire.html", {"chapitres": plan}),
        *(
            render_to_string(
                "dossier/rapport/chapitre.html",
                {"chapitre": chapitre, "projet": projet, "annee": annee, "avancements": Avancement},
            )
            for chapitre in plan
        ),
    ]
    return assembler(contexte, blocs)


def produire_rapport(projet, annee, progression=None, pages_estimees=None):
    if progression:
        progression(2, "Lecture des actions et des bilans de l'année")
    html = html_rapport(projet, annee)
    rendu = en_pdf(html, progression, pages_estimees or 20)
    rendu.version = version_de(html)
    return rendu


def version_rapport(projet, annee):
    """What the rapport of `annee` prints, as a short digest (see `exports.version_contenu`)."""
    return version_de(html_rapport(projet, annee))
