"""Helpers for tests that need a bigger projet (query counts must not grow with its size)."""

from actions.models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)

ENFANTS = [
    (FicheObjectif, "liens_objectifs"),
    (AnneeAction, "annees"),
    (ObjectifOperationnel, "objectifs_operationnels"),
    (EtapeEcheancier, "etapes"),
    (Moyen, "moyens"),
    (PartenariatAction, "partenariats"),
    (Indicateur, "indicateurs"),
]


def doubler_fiches(projet):
    """Give each fiche of the projet a copy (same axe, next numbers), rows included."""
    fiches = list(
        FicheAction.objects.filter(projet=projet).prefetch_related(*[n for _, n in ENFANTS])
    )
    prochain = {}
    for fiche in fiches:
        prochain[fiche.axe_id] = max(prochain.get(fiche.axe_id, 0), fiche.numero)
    for fiche in fiches:
        lignes = {nom: list(getattr(fiche, nom).all()) for _, nom in ENFANTS}
        prochain[fiche.axe_id] += 1
        fiche.pk = None
        fiche._state.adding = True
        fiche.numero = prochain[fiche.axe_id]
        fiche.titre = f"{fiche.titre} (bis)"
        fiche.save()
        for modele, nom in ENFANTS:
            for ligne in lignes[nom]:
                ligne.pk = None
                ligne.fiche = fiche
            modele.objects.bulk_create(lignes[nom])
    return FicheAction.objects.filter(projet=projet).count()
