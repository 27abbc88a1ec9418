"""Demo evaluation data: a year of results and a bilan for a few fiches of the demo projet.

`charger_evaluation_demo(projet)` only creates what is missing and never changes what a user
entered, so the demo loader may call it on every run.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Prefetch

from actions.models import FicheAction, Indicateur, PartenariatAction

from .models import (
    BilanAction,
    CibleAnnuelle,
    Dimension,
    Initiative,
    MotCle,
    Resultat,
    TerritoireConcerne,
)

NOMBRE_DE_FICHES = 5
TEXTES_BILAN = {
    "dimension": Dimension.SERVICES,
    "initiatives": [Initiative.CENTRE, Initiative.GROUPE_HABITANTS],
    "precision_initiative": "Une proposition du comité d'usagers, reprise par l'équipe.",
    "territoire": TerritoireConcerne.QUARTIERS,
    "participants": 48,
    "personnes_precision": "Entre 40 et 55 participants selon les séances, 3 bénévoles réguliers.",
    "resultat_territoire": "L'action est repérée par les partenaires du quartier, qui y orientent des habitants.",
    "resultat_centre": "L'équipe a consolidé ses liens avec deux nouveaux partenaires.",
    "resultat_habitants": "Les participants disent mieux connaître les ressources du quartier.",
    "limites": "La participation baisse pendant les vacances scolaires.",
    "perspectives": "Ouvrir un second créneau en soirée en 2026.",
}


def arrondi(valeur):
    return Decimal(valeur).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def charger_evaluation_demo(projet, annee=None):
    """Results for `annee` (default: the first year of the période) and a bilan of that year
    for the first fiches that have indicators. Returns the number of rows created."""
    annee = annee or projet.annee_debut
    fiches = (
        FicheAction.objects.du_projet(projet)
        .filter(indicateurs__isnull=False)
        .distinct()
        .prefetch_related(
            "indicateurs",
            "moyens",
            Prefetch(
                "partenariats", queryset=PartenariatAction.objects.select_related("partenaire")
            ),
        )[:NOMBRE_DE_FICHES]
    )
    crees = 0
    with transaction.atomic():
        for fiche in fiches:
            for indicateur in fiche.indicateurs.all():
                crees += creer_cibles(indicateur, projet.annees)
                crees += creer_resultat(indicateur, annee)
            if not BilanAction.objects.filter(fiche=fiche, annee=annee).exists():
                bilan = BilanAction.prerempli(fiche, annee)
                for champ, valeur in TEXTES_BILAN.items():
                    setattr(bilan, champ, valeur)
                # The demo's first fiches are those of its axe « Accéder à ses droits ».
                bilan.mots_cles = bilan.mots_cles or [MotCle.ACCES_DROITS.value]
                bilan.full_clean()
                bilan.save()
                crees += 1
    return crees


def creer_cibles(indicateur, annees):
    """Yearly targets climbing evenly from the baseline to the période's target."""
    if indicateur.cible is None or indicateur.cibles.exists():
        return 0
    depart = indicateur.valeur_reference if indicateur.valeur_reference is not None else 0
    pas = (indicateur.cible - depart) / len(annees)
    CibleAnnuelle.objects.bulk_create(
        CibleAnnuelle(indicateur=indicateur, annee=a, valeur=arrondi(depart + pas * (i + 1)))
        for i, a in enumerate(annees)
    )
    return len(annees)


def creer_resultat(indicateur, annee):
    if Resultat.objects.filter(indicateur=indicateur, annee=annee).exists():
        return 0
    resultat = Resultat(
        indicateur=indicateur,
        annee=annee,
        date_mesure=f"{annee}-12-15",
        source=indicateur.outil,
        commentaire="Relevé de fin d'année (démo).",
    )
    if indicateur.nature == Indicateur.Nature.QUALITATIF:
        resultat.niveau = 3
    elif indicateur.cible is None:
        resultat.non_renseigne = True
    else:
        depart = indicateur.valeur_reference if indicateur.valeur_reference is not None else 0
        resultat.valeur = arrondi(depart + (indicateur.cible - depart) * Decimal("0.3"))
    resultat.full_clean()
    resultat.save()
    return 1
