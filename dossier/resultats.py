"""What the dossier's evaluation chapter and the rapport d'activité print of the evaluation: per
axe, each fiche's indicators against their targets (year by year, as entered) and its bilans.

Read projet-wide in a fixed number of queries: the indicators' targets and results through the
dashboard's `suivis_du_projet`, the bilans in one query; the fiches come from `contenu.charger`.
"""

from dataclasses import dataclass, field

from centresocial.lib.nombres import format_nombre
from evaluation.models import BilanAction, Resultat
from evaluation.tableau import Avancement, suivis_du_projet


@dataclass
class Mesure:
    """One result of an indicator (a year, or a semester of it), set against the year's target."""

    periode: str
    annee: int
    resultat: str
    cible: str = ""
    # On the result that stands for the year (`Suivi.valeur`): where the indicator stands
    # (`Suivi.avancement`), and its words, « en bonne voie (102 %) ».
    avancement: str = ""
    atteinte: str = ""
    commentaire: str = ""


@dataclass
class IndicateurSuivi:
    indicateur: object  # actions.models.Indicateur
    suivi: object  # evaluation.tableau.Suivi
    mesures: list = field(default_factory=list)


@dataclass
class FicheEvaluee:
    fiche: object
    indicateurs: list = field(default_factory=list)  # IndicateurSuivi with at least one mesure
    sans_resultat: list = field(default_factory=list)  # Indicateur without any mesure
    bilans: list = field(default_factory=list)  # BilanAction of the years, in order
    graphiques: list = field(default_factory=list)  # the rapport's charts of its indicators

    @property
    def bilan(self):
        """The bilan of a one-year document (the rapport), if it was entered."""
        return self.bilans[0] if self.bilans else None


@dataclass
class AxeEvalue:
    axe: object
    fiches: list = field(default_factory=list)


def unite(indicateur):
    return f"\u00a0{indicateur.unite}" if indicateur.unite else ""


def texte_cible(indicateur, suivi, annee):
    """The year's target as printed: the year's own, else the période's; a qualitative
    indicator has its target in words (« cible en clair »)."""
    cible = suivi.cible(annee)
    if cible is not None:
        return f"{format_nombre(cible)}{unite(indicateur)}"
    return indicateur.cible_precision


def texte_resultat(indicateur, ligne):
    if ligne["non_renseigne"]:
        return "non renseigné"
    if ligne["niveau"] is not None:
        libelles = dict(indicateur.niveaux)
        return f"{ligne['niveau']} – {libelles.get(ligne['niveau'], '?')}"
    return f"{format_nombre(ligne['valeur'])}{unite(indicateur)}"


def atteinte(suivi, annee):
    """Where the indicator stands in the year, in words, with the share of its target reached
    when it aims higher than its baseline."""
    avancement = Avancement(suivi.avancement(annee))
    texte = avancement.label
    cible, valeur = suivi.cible(annee), suivi.valeur(annee)
    mesuree = avancement in (Avancement.EN_BONNE_VOIE, Avancement.EN_RETARD)
    if mesuree and not suivi.en_baisse(annee) and cible > 0:
        texte += f" ({format_nombre(round(valeur * 100 / cible))}\u00a0%)"
    return avancement, texte


def mesures(indicateur, suivi, annees):
    """The results of the years, in order, each with its year's target."""
    lignes = []
    for annee in annees:
        periodes = suivi.resultats.get(annee, {})
        # The result the year is read from: the whole year's, else the latest semester's.
        pour_l_annee = next(
            (s for s in (Resultat.Semestre.ANNEE, Resultat.Semestre.SECOND) if s in periodes),
            Resultat.Semestre.PREMIER,
        )
        for semestre in sorted(periodes):
            ligne = periodes[semestre]
            periode = str(annee)
            if semestre != Resultat.Semestre.ANNEE:
                periode += f", {Resultat.Semestre(semestre).label}"
            mesure = Mesure(
                periode=periode,
                annee=annee,
                resultat=texte_resultat(indicateur, ligne),
                cible=texte_cible(indicateur, suivi, annee),
                commentaire=ligne["commentaire"],
            )
            if semestre == pour_l_annee:
                mesure.avancement, mesure.atteinte = atteinte(suivi, annee)
            lignes.append(mesure)
    return lignes


def evaluer(projet, axes, annees, toutes_les_fiches=False):
    """The `axes` (`contenu.AxeDossier`, their fiches loaded `avec_details()`) with what the
    fiches measured and wrote in `annees`. Only the fiches with a result or a bilan, and only
    the axes with such fiches, unless `toutes_les_fiches` (the rapport lists every action of its
    year, with what it has)."""
    suivis = {suivi.pk: suivi for suivi in suivis_du_projet(projet)}
    bilans = {}
    requete = BilanAction.objects.du_projet(projet).filter(annee__in=annees).order_by("annee")
    for bilan in requete:
        bilans.setdefault(bilan.fiche_id, []).append(bilan)
    evalues = []
    for a in axes:
        axe = AxeEvalue(axe=a.axe)
        for fiche in a.fiches:
            evaluee = FicheEvaluee(fiche=fiche, bilans=bilans.get(fiche.pk, []))
            for indicateur in fiche.indicateurs.all():
                suivi = suivis[indicateur.pk]
                trouvees = mesures(indicateur, suivi, annees)
                if trouvees:
                    evaluee.indicateurs.append(IndicateurSuivi(indicateur, suivi, trouvees))
                else:
                    evaluee.sans_resultat.append(indicateur)
            if toutes_les_fiches or evaluee.indicateurs or evaluee.bilans:
                axe.fiches.append(evaluee)
        if axe.fiches:
            evalues.append(axe)
    return evalues
