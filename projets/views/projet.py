"""The projet page (its arbre d'objectifs) and the form of the projet's identity."""

import copy
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from actions.models import FicheAction, FicheObjectif
from projets.acces import projet_modifiable, projet_pilotable, projet_visible
from projets.forms.projet import ProjetForm, StructureForm
from projets.models import Enjeu, ObjectifGeneral, ProjetSocial


@dataclass
class Bloc:
    """One table of the arbre: an enjeu's objectifs, the axe's own objectifs, or its loose fiches.

    `groupes` pairs each objectif (None for fiches linked to none) with its fiches.
    """

    enjeu: Enjeu | None
    legende: str
    groupes: list = field(default_factory=list)
    sans_objectif: bool = False


def axes_de_l_arbre(projet):
    """The axes, each with its `blocs` of the arbre, in a fixed number of queries.

    Under an objectif the fiches come primary links first, then in the fiches' order; a fiche may
    appear under objectifs of several axes. Read as flat lists and put together here (nested
    prefetches cost more than the queries themselves).
    """
    axes = list(projet.axes.prefetch_related("enjeux"))
    objectifs = list(
        ObjectifGeneral.objects.filter(
            Q(enjeu__axe__projet=projet) | Q(axe__projet=projet, enjeu__isnull=True)
        )
    )
    # Every link of these objectifs, and every link of the projet's fiches (a fiche with one is
    # not « sans objectif »).
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


def compter_fiches(projet):
    """How many fiches, by statut de réalisation and by E / NA / AE, in one query."""
    par_statut = {
        f"statut_{valeur}": Count("pk", filter=Q(statut=valeur))
        for valeur in FicheAction.Statut.values
    }
    par_plan = {
        f"plan_{valeur}": Count("pk", filter=Q(statut_plan=valeur))
        for valeur in FicheAction.StatutPlan.values
    }
    n = FicheAction.objects.du_projet(projet).aggregate(total=Count("pk"), **par_statut, **par_plan)
    return {
        "total": n["total"],
        "par_statut": [(label, n[f"statut_{v}"]) for v, label in FicheAction.Statut.choices],
        "par_plan": [(v, label, n[f"plan_{v}"]) for v, label in FicheAction.StatutPlan.choices],
    }


def peut_modifier(user, projet):
    return ProjetSocial.objects.editable_by(user).filter(pk=projet.pk).exists()


def detail(request, pk):
    projet = projet_visible(request.user, pk)
    axes = axes_de_l_arbre(projet)
    enjeux = [enjeu for axe in axes for enjeu in axe.enjeux.all()]
    objectifs = [o for axe in axes for bloc in axe.blocs for o, _ in bloc.groupes if o]
    context = {
        "projet": projet,
        "onglet": "arbre",
        "axes": axes,
        "nb_enjeux": len(enjeux),
        "nb_objectifs": len(objectifs),
        "annees": projet.annees,
        "fiches": compter_fiches(projet),
        "legende_plan": FicheAction.StatutPlan.choices,
        "peut_modifier": peut_modifier(request.user, projet),
    }
    return render(request, "projets/detail.html", context)


def modifier(request, pk):
    projet = projet_modifiable(request.user, pk)
    # The form works on a copy, so the page header keeps the saved titre while input is wrong.
    form = ProjetForm(request.POST or None, instance=copy.copy(projet))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le projet social a été enregistré.")
        return redirect("projets:detail", projet.pk)
    return render(
        request, "projets/modifier.html", {"projet": projet, "form": form, "onglet": "arbre"}
    )


def structure_modifier(request, pk):
    """The structure's facts printed in the dossier (porteur, CAF, équipe…): the direction's."""
    projet = projet_pilotable(request.user, pk)
    structure = copy.copy(projet.structure)
    form = StructureForm(request.POST or None, request.FILES or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La structure a été enregistrée.")
        return redirect("projets:contenu", projet.pk)
    contexte = {"projet": projet, "form": form, "onglet": "contenu"}
    return render(request, "projets/structure.html", contexte)
