"""The arbre d'objectifs, built once for the projet page and for the dossier: axes → enjeux →
objectifs généraux → the fiches that serve each objectif (primary links first; a fiche may serve
objectifs of several axes, and is then listed under each, as real dossiers do), and the fiches
that serve none."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from projets.models import Enjeu, ObjectifGeneral

from .models import FicheAction, FicheObjectif


@dataclass
class Bloc:
    """One table of the arbre: an enjeu's objectifs, the axe's own objectifs, or its loose fiches.

    `groupes` pairs each objectif (None for fiches linked to none) with its fiches.
    """

    enjeu: Enjeu | None
    legende: str
    groupes: list = field(default_factory=list)
    sans_objectif: bool = False


def ranger_arbre(axes, objectifs, liens, fiches):
    """Give each axe its `blocs`. `axes` come with their enjeux prefetched; `objectifs` are the
    projet's; `liens` are (objectif id, fiche id) in the order fiches are listed under an
    objectif; `fiches` maps ids to the fiches (their order is the fiches' order)."""
    avec_objectif = {fiche_id for _, fiche_id in liens}
    fiches_de = defaultdict(list)
    for objectif_id, fiche_id in liens:
        fiches_de[objectif_id].append(fiches[fiche_id])
    objectifs_de_l_enjeu, objectifs_de_l_axe = defaultdict(list), defaultdict(list)
    for objectif in objectifs:
        if objectif.enjeu_id:
            objectifs_de_l_enjeu[objectif.enjeu_id].append(objectif)
        else:
            objectifs_de_l_axe[objectif.axe_id].append(objectif)
    sans_objectif = defaultdict(list)
    for fiche in fiches.values():
        if fiche.pk not in avec_objectif:
            sans_objectif[fiche.axe_id].append(fiche)

    def groupes(objectifs):
        return [(o, fiches_de[o.pk]) for o in objectifs]

    for axe in axes:
        axe.blocs = []
        if objectifs_de_l_axe[axe.pk]:
            legende = f"Objectifs de l'{axe.libelle.lower()} et leurs fiches"
            axe.blocs.append(Bloc(None, legende, groupes(objectifs_de_l_axe[axe.pk])))
        for enjeu in axe.enjeux.all():
            legende = f"Objectifs et fiches de l'enjeu n° {enjeu.numero}"
            axe.blocs.append(Bloc(enjeu, legende, groupes(objectifs_de_l_enjeu[enjeu.pk])))
        if sans_objectif[axe.pk]:
            legende = f"Fiches sans objectif de l'{axe.libelle.lower()}"
            axe.blocs.append(Bloc(None, legende, [(None, sans_objectif[axe.pk])], True))
    return axes


def ordre_des_liens(lien):
    """Primary links first, then the fiches' own order."""
    fiche = lien.fiche
    return (not lien.principal, fiche.axe.transversal, fiche.axe.ordre, fiche.numero)


def axes_de_l_arbre(projet):
    """The projet page's arbre, in a fixed number of queries (read as flat lists: nested
    prefetches cost more than the queries themselves)."""
    axes = list(projet.axes.prefetch_related("enjeux__constats"))
    objectifs = list(
        ObjectifGeneral.objects.filter(
            Q(enjeu__axe__projet=projet) | Q(axe__projet=projet, enjeu__isnull=True)
        )
    )
    liens = list(
        FicheObjectif.objects.filter(Q(objectif__in=objectifs) | Q(fiche__axe__projet=projet))
        .order_by("-principal", "fiche__axe__transversal", "fiche__axe__ordre", "fiche__numero")
        .values_list("objectif_id", "fiche_id")
    )
    avec_objectif = {fiche_id for _, fiche_id in liens}
    fiches = {
        fiche.pk: fiche
        for fiche in FicheAction.objects.filter(Q(axe__projet=projet) | Q(pk__in=avec_objectif))
        .select_related("axe")
        .prefetch_related("annees")
    }
    return ranger_arbre(axes, objectifs, liens, fiches)
