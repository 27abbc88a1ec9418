"""Renewal starts from the evaluation: the projet of the next période is the copy of the old one
(actions/renouvellement.py) plus, drafted from the old one's results and bilans, an
« Évaluation du projet précédent » section (per axe: what was planned, what was done, the
indicators against their targets, the bilans' limits and perspectives) and, on each copied
fiche, what the last période achieved.

Drafts, not records: each says it was drafted from the evaluation, the team edits it like any
text, and where nothing was recorded it says so (« sans résultat ») rather than guess. The texts
users typed (bilans, titles, targets in words) are quoted as they were typed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from actions.models import FicheAction, Indicateur
from actions.renouvellement import copier_projet
from centresocial.lib.nombres import format_nombre
from projets.models import Enjeu, SectionProjet

from .models import BilanAction, Resultat
from .tableau import suivis_du_projet
from .ventilation import CategorieVentilation, Ventilation

SANS_RESULTAT = "sans résultat"


@transaction.atomic
def renouveler_depuis_l_evaluation(ancien, titre, annee_debut, annee_fin):
    """Create the projet of the next période from `ancien` (left untouched), with what its
    evaluation says drafted in; one transaction for the copy and the drafts."""
    copie = copier_projet(ancien, titre, annee_debut, annee_fin)
    copier_ventilations(copie.indicateurs)
    evaluation = Evaluation.du_projet(ancien)
    redigees = []
    for ancien_pk, fiche in copie.fiches.items():
        fiche.acquis_periode_precedente = evaluation.acquis(ancien_pk)
        if fiche.acquis_periode_precedente:
            redigees.append(fiche)
    FicheAction.objects.bulk_update(redigees, ["acquis_periode_precedente"])
    if contenu := evaluation.section():
        section = SectionProjet(
            projet=copie.nouveau,
            type=SectionProjet.Type.EVALUATION_PRECEDENT,
            titre=f"Évaluation du projet social {ancien.periode}",
            contenu=contenu,
        )
        section.placer_a_la_fin()
        section.full_clean()
        section.save()
    return copie.nouveau


def copier_ventilations(indicateurs):
    """Each copied indicator keeps its breakdown: its type, whether it adds up, its categories
    and their targets for the période (the yearly targets and the values are the old
    période's, they stay there). `indicateurs`: {old pk: copy}."""
    ventilations = {}
    for ventilation in Ventilation.objects.filter(indicateur__in=list(indicateurs)):
        ancien_pk = ventilation.pk
        ventilation.pk = None
        ventilation.indicateur = indicateurs[ventilation.indicateur_id]
        ventilations[ancien_pk] = ventilation
    Ventilation.objects.bulk_create(ventilations.values())
    categories = []
    for categorie in CategorieVentilation.objects.filter(ventilation__in=list(ventilations)):
        categorie.pk = None
        categorie.ventilation = ventilations[categorie.ventilation_id]
        categories.append(categorie)
    CategorieVentilation.objects.bulk_create(categories)


@dataclass
class Evaluation:
    """What a projet's evaluation holds, read in a fixed number of queries, and the drafts
    written from it."""

    projet: object
    axes: list
    enjeux: dict  # axe pk -> [Enjeu]
    fiches: dict  # pk -> FicheAction, in the projet's order
    # fiche pk -> [BilanAction] by year; fiche pk -> [(Suivi, Indicateur)] in the fiche's order
    bilans: dict = field(default_factory=lambda: defaultdict(list))
    suivis: dict = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def du_projet(cls, projet):
        enjeux = defaultdict(list)
        for enjeu in Enjeu.objects.filter(projet=projet).order_by("numero"):
            enjeux[enjeu.axe_id].append(enjeu)
        evaluation = cls(
            projet=projet,
            axes=list(projet.axes.all()),
            enjeux=enjeux,
            fiches={
                fiche.pk: fiche
                for fiche in FicheAction.objects.du_projet(projet)
                .select_related("axe")
                .prefetch_related("annees")
            },
        )
        for bilan in BilanAction.objects.du_projet(projet).order_by("annee"):
            evaluation.bilans[bilan.fiche_id].append(bilan)
        indicateurs = Indicateur.objects.filter(fiche__projet=projet).in_bulk()
        for suivi in suivis_du_projet(projet):
            evaluation.suivis[suivi.fiche_pk].append((suivi, indicateurs[suivi.pk]))
        return evaluation

    @property
    def periode(self):
        return self.projet.periode

    # --- the fiche: what its last période achieved ---

    def acquis(self, fiche_pk):
        """The draft for the fiche's copy; empty when nothing was recorded (a fiche still « à
        venir », without bilan or result)."""
        fiche = self.fiches[fiche_pk]
        bilans, suivis = self.bilans[fiche_pk], self.suivis[fiche_pk]
        mesures = any(suivi.a_des_resultats for suivi, _ in suivis)
        if fiche.statut == FicheAction.Statut.A_VENIR and not bilans and not mesures:
            return ""
        blocs = [
            f"*Rédigé au renouvellement à partir de l'évaluation {self.periode} "
            "(statut, bilans, résultats des indicateurs) : à relire et compléter.*",
            f"**Statut à la fin de la période** : {statut(fiche)}.",
            f"**Participants** : {participants(bilans)}.",
        ]
        if suivis:
            blocs.append(
                "**Indicateurs** (dernier résultat, face à sa cible) :\n"
                + "\n".join(
                    f"- {indicateur.libelle} : {dernier_resultat(suivi, indicateur)}"
                    for suivi, indicateur in suivis
                )
            )
        avec_perspectives = [b for b in bilans if b.perspectives.strip()]
        if avec_perspectives:
            dernier = avec_perspectives[-1]
            blocs.append(
                f"**Perspectives** (bilan {dernier.annee}) :\n{dernier.perspectives.strip()}"
            )
        return "\n\n".join(blocs)

    # --- the projet: the « Évaluation du projet précédent » section ---

    def section(self):
        """The draft of the new projet's section, per axe; empty when the projet had no fiche."""
        if not self.fiches:
            return ""
        blocs = [
            f"*Brouillon rédigé au renouvellement à partir de l'évaluation du projet social "
            f"{self.periode} : ses fiches actions, les résultats de leurs indicateurs et leurs "
            "bilans annuels. Relisez-le, complétez-le et retirez ce qui ne sert pas.*"
        ]
        for axe in self.axes:
            blocs.append(f"### {axe}")
            fiches = [f for f in self.fiches.values() if f.axe_id == axe.pk]
            if not fiches:
                blocs.append("Aucune fiche action dans cet axe.")
                continue
            blocs.extend(self.bilan_axe(axe, fiches))
        return "\n\n".join(blocs)

    def bilan_axe(self, axe, fiches):
        # The fiche's code in bold: « 01. » at the start of an item would read as a numbered list.
        prevu = ["#### Ce qui était prévu"]
        if self.enjeux[axe.pk]:
            prevu.append(
                "Enjeux : " + " ; ".join(f"n° {e.numero} {e.titre}" for e in self.enjeux[axe.pk])
            )
        prevu.append("\n".join(f"- **{f.code}. {f.titre}**{prevision(f)}" for f in fiches))

        fait = ["#### Ce qui a été fait"]
        fait.append(
            "\n".join(
                f"- **{f.code}. {f.titre}** : {statut(f)} ; {bilans_saisis(self.bilans[f.pk])} ; "
                f"participants : {participants(self.bilans[f.pk])}"
                for f in fiches
            )
        )

        indicateurs = ["#### Indicateurs et cibles"]
        lignes = [
            f"- **{f.code}.** {indicateur.libelle} : {resultats(suivi, indicateur)}"
            for f in fiches
            for suivi, indicateur in self.suivis[f.pk]
        ]
        indicateurs.append("\n".join(lignes) or "Aucun indicateur dans les fiches de cet axe.")

        suites = ["#### Limites et perspectives des bilans"]
        for f in fiches:
            for bilan in self.bilans[f.pk]:
                textes = [
                    f"{libelle} : {texte.strip()}"
                    for libelle, texte in (
                        ("Limites", bilan.limites),
                        ("Perspectives", bilan.perspectives),
                    )
                    if texte.strip()
                ]
                if textes:
                    suites.append(
                        "\n".join([f"**{f.code}. {f.titre}, bilan {bilan.annee}**"] + textes)
                    )
        if len(suites) == 1:
            suites.append("Aucun bilan de cet axe n'en a noté.")
        return [*prevu, *fait, *indicateurs, *suites]


# --- How each fact reads ---


def statut(fiche):
    """« terminée (objectifs atteints : précision) », « en cours », « à venir »."""
    texte = fiche.get_statut_display().lower()
    motif = fiche.get_motif_fin_display() if fiche.motif_fin else ""
    detail = " : ".join(t for t in (motif.lower(), fiche.precision_fin.strip()) if t)
    return f"{texte} ({detail})" if detail else texte


def prevision(fiche):
    """« (AE, 2025, 2026) »: its code in the plan and the years it was planned for."""
    morceaux = [fiche.statut_plan] if fiche.statut_plan else []
    morceaux.extend(str(annee) for annee in fiche.liste_annees)
    return f" ({', '.join(morceaux)})" if morceaux else ""


def bilans_saisis(bilans):
    if not bilans:
        return "aucun bilan saisi"
    annees = ", ".join(str(b.annee) for b in bilans)
    return f"bilan{'s' if len(bilans) > 1 else ''} {annees}"


def participants(bilans):
    """« 40 en 2025 (« 60 à 80 les jours de fête »), 55 en 2026 », from the bilans: the counts
    and the words the team wrote with them; « sans résultat » when no bilan says."""
    morceaux = []
    for bilan in bilans:
        precision = bilan.personnes_precision.strip()
        if bilan.participants is not None:
            texte = f"{format_nombre(bilan.participants)} en {bilan.annee}"
            morceaux.append(f"{texte} (« {precision} »)" if precision else texte)
        elif precision:
            morceaux.append(f"« {precision} » en {bilan.annee}")
    return ", ".join(morceaux) or SANS_RESULTAT


def unite(indicateur):
    return f"\u00a0{indicateur.unite}" if indicateur.unite else ""


def mesure(suivi, indicateur, annee):
    """The year's figure as the dashboard draws it (`Suivi.valeur`), with its unit or its level's
    label, and the semester it comes from when the year was followed by semester; None when the
    year has no result, « non renseigné » when it was marked so."""
    periodes = suivi.resultats.get(annee)
    if not periodes:
        return None
    valeur = suivi.valeur(annee)
    if valeur is None:
        return "non renseigné"
    if suivi.quantitatif:
        texte = f"{format_nombre(valeur)}{unite(indicateur)}"
    else:
        texte = f"{valeur} – {dict(indicateur.niveaux).get(valeur, '?')}"
    if Resultat.Semestre.ANNEE not in periodes:
        semestre = Resultat.Semestre(max(periodes))
        texte += f" ({semestre.label})"
    return texte


def cible(indicateur, valeur, libelle="cible"):
    """« cible 50 familles (60 à 80 personnes) », « cible : 60 à 80 personnes », or empty: the
    target in figures and in the words typed with it."""
    precision = indicateur.cible_precision.strip()
    if valeur is not None:
        texte = f"{libelle} {format_nombre(valeur)}{unite(indicateur)}"
        return f"{texte} ({precision})" if precision else texte
    return f"{libelle} : {precision}" if precision else ""


def resultats(suivi, indicateur):
    """Every year measured, against the year's own target, then the période's target."""
    annees = []
    for annee in sorted(suivi.resultats):
        texte = mesure(suivi, indicateur, annee)
        propre = suivi.cibles_annuelles.get(annee)
        if propre is not None:
            texte += f" (cible {format_nombre(propre)})"
        annees.append(f"{texte} en {annee}")
    texte = ", ".join(annees) or SANS_RESULTAT
    if periode := cible(indicateur, suivi.cible_periode, "cible de la période"):
        texte += f" ; {periode}"
    if suivi.reference is not None:
        texte += f" ; au départ {format_nombre(suivi.reference)}{unite(indicateur)}"
    return texte


def dernier_resultat(suivi, indicateur):
    """« 45 familles en 2028, cible 50 familles »: the last year with a figure, against the
    target for that year (its own, else the période's)."""
    for annee in sorted(suivi.resultats, reverse=True):
        if suivi.valeur(annee) is not None:
            texte = f"{mesure(suivi, indicateur, annee)} en {annee}"
            objectif = cible(indicateur, suivi.cible(annee))
            return f"{texte}, {objectif}" if objectif else texte
    return "non renseigné" if suivi.resultats else SANS_RESULTAT
