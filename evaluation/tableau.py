"""What the evaluation dashboard and the exports show, read in a fixed number of queries.

Everything is fetched projet-wide with `.values()` (fiches, indicators, targets, results,
bilans) and assembled in Python, so the number of queries does not depend on the number of
fiches. `suivis_du_projet` serves the exports too; `lire_evaluation` then `dresser_tableau`
build the dashboard: a summary per axe for one year, the fiches' details, the year's bilans.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast

from actions.models import AnneeAction, FicheAction, Indicateur

from .models import BilanAction, CibleAnnuelle, Initiative, MotCle, Public, Resultat


class Avancement(models.TextChoices):
    """Where an indicator stands in a year, as the dashboard counts it (see `Suivi.avancement`)."""

    EN_BONNE_VOIE = "en_bonne_voie", "en bonne voie"
    EN_RETARD = "en_retard", "en retard"
    SANS_DONNEE = "sans_donnee", "sans donnée"
    SANS_CIBLE = "sans_cible", "sans cible chiffrée"


@dataclass
class Suivi:
    """One indicator over the période: targets and results per year."""

    pk: int
    objet: str
    libelle: str
    outil: str
    nature: str
    unite: str
    reference: object
    cible_periode: object
    fiche_pk: int
    fiche_code: str
    fiche_titre: str
    axe_id: int
    echelle: str = ""
    cibles_annuelles: dict = field(default_factory=dict)
    # annee -> {semestre: row of Resultat.values()}
    resultats: dict = field(default_factory=lambda: defaultdict(dict))

    @property
    def quantitatif(self):
        return self.nature == Indicateur.Nature.QUANTITATIF

    @property
    def a_des_resultats(self):
        return bool(self.resultats)

    @cached_property
    def niveaux(self):
        """The qualitative scale, {1: « Pas du tout », …}, as the indicator defines it."""
        return dict(Indicateur(echelle=self.echelle).niveaux)

    def cible(self, annee):
        """The year's own target, else the target of the whole période."""
        return self.cibles_annuelles.get(annee, self.cible_periode)

    def valeur(self, annee):
        """The figure drawn for a year: the whole-year result, else the latest semester's."""
        periodes = self.resultats.get(annee, {})
        for semestre in (
            Resultat.Semestre.ANNEE,
            Resultat.Semestre.SECOND,
            Resultat.Semestre.PREMIER,
        ):
            ligne = periodes.get(semestre)
            if ligne is not None:
                if ligne["non_renseigne"]:
                    return None
                return ligne["niveau"] if ligne["valeur"] is None else ligne["valeur"]
        return None

    def en_baisse(self, annee):
        """A target below the baseline (an absence rate from 20 % to 10 %): less is better."""
        cible = self.cible(annee)
        return self.reference is not None and cible is not None and cible < self.reference

    def avancement(self, annee):
        """The one rule of « on track »: the year's result reaches the year's target (at most
        the target when it aims lower than the baseline). No result that year, or only « non
        renseigné »: no data; a result without a numeric target (every qualitative
        indicator): measured, without target."""
        valeur = self.valeur(annee)
        if valeur is None:
            return Avancement.SANS_DONNEE
        cible = self.cible(annee) if self.quantitatif else None
        if cible is None:
            return Avancement.SANS_CIBLE
        atteinte = valeur <= cible if self.en_baisse(annee) else valeur >= cible
        return Avancement.EN_BONNE_VOIE if atteinte else Avancement.EN_RETARD

    @property
    def a_des_mesures(self):
        """At least one year with a figure or a level (« non renseigné » is none): the
        dashboard draws these, and lists the others as « sans résultat »."""
        return any(self.valeur(a) is not None for a in self.resultats)


def suivis_du_projet(projet):
    """Every indicator of the projet with its targets and results (3 queries)."""
    suivis = {}
    lignes = (
        Indicateur.objects.filter(fiche__projet=projet)
        .order_by("fiche__axe__transversal", "fiche__axe__ordre", "fiche__numero", "ordre", "pk")
        .values(
            "pk",
            "objet",
            "libelle",
            "outil",
            "nature",
            "unite",
            "valeur_reference",
            "cible",
            "echelle",
            "fiche_id",
            "fiche__numero",
            "fiche__titre",
            "fiche__axe_id",
        )
    )
    for ligne in lignes:
        suivis[ligne["pk"]] = Suivi(
            pk=ligne["pk"],
            objet=ligne["objet"],
            libelle=ligne["libelle"],
            outil=ligne["outil"],
            nature=ligne["nature"],
            unite=ligne["unite"],
            reference=ligne["valeur_reference"],
            cible_periode=ligne["cible"],
            echelle=ligne["echelle"],
            fiche_pk=ligne["fiche_id"],
            fiche_code=f"{ligne['fiche__numero']:02d}",
            fiche_titre=ligne["fiche__titre"],
            axe_id=ligne["fiche__axe_id"],
        )
    cibles = CibleAnnuelle.objects.filter(indicateur__fiche__projet=projet).values_list(
        "indicateur_id", "annee", "valeur"
    )
    for indicateur_id, annee, valeur in cibles:
        suivis[indicateur_id].cibles_annuelles[annee] = valeur
    resultats = Resultat.objects.du_projet(projet).values(
        "indicateur_id", "annee", "semestre", "valeur", "niveau", "non_renseigne", "commentaire"
    )
    for r in resultats:
        suivis[r["indicateur_id"]].resultats[r["annee"]][r["semestre"]] = r
    return list(suivis.values())


def moyenne(valeurs):
    valeurs = [v for v in valeurs if v is not None]
    return sum(valeurs) / len(valeurs) if valeurs else None


# --- The dashboard ---

CHAMPS_BILAN = [
    "fiche_id",
    "annee",
    "mots_cles",
    "publics",
    "initiatives",
    "salaries",
    "benevoles",
    "participants",
    "montant_ressources",
]


@dataclass
class Lecture:
    """What the dashboard reads projet-wide before it knows the year: indicators, bilans."""

    suivis: list
    bilans: list  # every year's rows of BilanAction.values(), lists as JSON text (below)

    @property
    def annees_bilans(self):
        return sorted({b["annee"] for b in self.bilans})

    def annee_par_defaut(self, projet):
        """The latest year of the période with a result or a bilan, else its first year (the
        dashboard opens on the year people last recorded, whatever today's date)."""
        annees = {a for s in self.suivis for a in s.resultats} | set(self.annees_bilans)
        annees &= set(projet.annees)
        return max(annees, default=projet.annee_debut)


# The bilans' lists (mots clés, publics, initiatives) are read as their JSON text and decoded
# for the chosen year only: every year's bilans are read (for the year choice and the exports),
# and decoding them all was a tenth of the dashboard's time at 200 fiches × 5 years.
LISTES_BILAN = ["mots_cles", "publics", "initiatives"]


def lire_evaluation(projet):
    """Indicators with their targets and results, and every bilan of the projet (4 queries)."""
    textes = {f"{champ}_json": Cast(champ, models.TextField()) for champ in LISTES_BILAN}
    champs = [c for c in CHAMPS_BILAN if c not in LISTES_BILAN]
    bilans = list(BilanAction.objects.du_projet(projet).annotate(**textes).values(*champs, *textes))
    return Lecture(suivis=suivis_du_projet(projet), bilans=bilans)


@dataclass
class SyntheseAxe:
    """The summary of one axe (or of the whole selection, `axe` None) for the year."""

    axe: object
    fiches: list
    suivis: list
    annee: int

    @property
    def par_statut(self):
        """[(label, value, number of fiches)] in the order of FicheAction.Statut."""
        compte = Counter(f["statut"] for f in self.fiches)
        return [(s.label, s.value, compte[s]) for s in FicheAction.Statut]

    @cached_property
    def avancements(self):
        """[(Avancement, number of indicators)], in the order of Avancement."""
        compte = Counter(s.avancement(self.annee) for s in self.suivis)
        return [(a, compte[a]) for a in Avancement]

    @property
    def sans_resultat_periode(self):
        return sum(1 for s in self.suivis if not s.a_des_resultats)

    @cached_property
    def participation(self):
        """The fiches that give both levels of participation, actual and aimed."""
        return [f for f in self.fiches if f["participation_actuelle"] and f["participation_visee"]]

    @property
    def participation_actuelle(self):
        return niveau_participation(
            moyenne([f["participation_actuelle"] for f in self.participation])
        )

    @property
    def participation_visee(self):
        return niveau_participation(moyenne([f["participation_visee"] for f in self.participation]))


def niveau_participation(valeur):
    """« Consultation (1,8) »: an average level, named after the nearest step of the ladder."""
    if valeur is None:
        return ""
    nom = FicheAction.Participation(min(max(round(valeur), 1), 5)).label
    return f"{nom} ({valeur:.1f})".replace(".", ",")


@dataclass
class SyntheseBilans:
    """The year's bilans of the selected fiches: how many, what about, who, how much."""

    annee: int
    lignes: list  # bilans of the year
    attendues: list  # fiches that run that year (their year grid says so, or is empty)
    manquantes: list  # of those, the fiches without a bilan for the year

    def _repartition(self, choix, champ):
        """[(label, number of bilans)] for the values that occur, in the vocabulary's order."""
        compte = Counter(v for b in self.lignes for v in set(b[champ] or []))
        return [(label, compte[valeur]) for valeur, label in choix.choices if compte[valeur]]

    @property
    def par_mot_cle(self):
        return self._repartition(MotCle, "mots_cles")

    @property
    def par_public(self):
        return self._repartition(Public, "publics")

    @property
    def par_initiative(self):
        return self._repartition(Initiative, "initiatives")

    def _total(self, champ):
        """(sum of the known figures, number of bilans that give one)."""
        connus = [b[champ] for b in self.lignes if b[champ] is not None]
        return sum(connus), len(connus)

    @property
    def mobilises(self):
        """[(label, total, bilans that say)] for salariés, bénévoles, participants."""
        return [
            (libelle, *self._total(champ))
            for libelle, champ in (
                ("salariés", "salaries"),
                ("bénévoles", "benevoles"),
                ("participants", "participants"),
            )
        ]

    @property
    def montant(self):
        return self._total("montant_ressources")


@dataclass
class Tableau:
    annee: int
    ensemble: SyntheseAxe
    axes: list  # SyntheseAxe of each axe that holds a selected fiche
    fiches: list  # rows of the selected fiches, with `suivis` and `bilan` (bool) added
    bilans: SyntheseBilans


def dresser_tableau(projet, fiches, lecture, annee):
    """The dashboard of `fiches` (the projet's, filtered: a FicheAction queryset) for `annee`,
    from what `lire_evaluation` read (2 more queries: the axes, the fiches)."""
    lignes = list(
        fiches.order_by("axe__transversal", "axe__ordre", "numero")
        .annotate(
            prevue=Exists(AnneeAction.objects.filter(fiche=OuterRef("pk"), annee=annee)),
            grille=Exists(AnneeAction.objects.filter(fiche=OuterRef("pk"))),
        )
        .values(
            "pk",
            "axe_id",
            "numero",
            "titre",
            "statut",
            "projet_familles",
            "projet_jeunesse",
            "participation_actuelle",
            "participation_visee",
            "prevue",
            "grille",
        )
    )
    par_fiche = defaultdict(list)
    for suivi in lecture.suivis:
        par_fiche[suivi.fiche_pk].append(suivi)
    bilans_annee = {b["fiche_id"]: b for b in lecture.bilans if b["annee"] == annee}
    for bilan in bilans_annee.values():
        for champ in LISTES_BILAN:
            bilan[champ] = json.loads(bilan[f"{champ}_json"] or "[]")
    tous_les_axes = {axe.pk: axe for axe in projet.axes.all()}
    for ligne in lignes:
        ligne["axe"] = tous_les_axes[ligne["axe_id"]]
        ligne["code"] = f"{ligne['numero']:02d}"
        ligne["suivis"] = par_fiche.get(ligne["pk"], [])
        ligne["bilan"] = ligne["pk"] in bilans_annee
    axes = []
    for axe in tous_les_axes.values():
        siennes = [f for f in lignes if f["axe_id"] == axe.pk]
        if siennes:
            suivis = [s for f in siennes for s in f["suivis"]]
            axes.append(SyntheseAxe(axe, siennes, suivis, annee))
    attendues = [f for f in lignes if f["prevue"] or not f["grille"]]
    return Tableau(
        annee=annee,
        ensemble=SyntheseAxe(None, lignes, [s for f in lignes for s in f["suivis"]], annee),
        axes=axes,
        fiches=lignes,
        bilans=SyntheseBilans(
            annee=annee,
            lignes=[bilans_annee[f["pk"]] for f in lignes if f["bilan"]],
            attendues=attendues,
            manquantes=[f for f in attendues if not f["bilan"]],
        ),
    )
