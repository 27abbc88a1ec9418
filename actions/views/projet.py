"""The projet page: its arbre d'objectifs (axes → enjeux → objectifs généraux → fiches, with the
E / NA / AE code and the year grid), its key figures, its statut; and the renewal of the projet
into a new période, which copies its fiches."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from projets.acces import projet_pilotable, projet_visible
from projets.models import Enjeu, ObjectifGeneral

from ..models import FicheAction, FicheObjectif
from ..renouvellement import RenouvellementForm, renouveler_projet


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
    }
    return render(request, "projets/detail.html", context)


def renouveler(request, pk):
    projet = projet_pilotable(request.user, pk)
    form = RenouvellementForm(request.POST or None, ancien=projet)
    if request.method == "POST" and form.is_valid():
        nouveau = renouveler_projet(projet, **form.cleaned_data)
        messages.success(
            request,
            f"Le projet social {nouveau.periode} a été créé à partir de {projet.periode}. "
            "Il est en brouillon : relisez-le et mettez-le à jour.",
        )
        return redirect("actions:projet", nouveau.pk)
    contexte = {
        "projet": projet,
        "form": form,
        "copie": [
            ("axes", projet.axes.count()),
            ("enjeux", projet.enjeux.count()),
            ("objectifs généraux", ObjectifGeneral.objects.filter(axe__projet=projet).count()),
            ("fiches actions", projet.fiches.count()),
            ("sections", projet.sections.count()),
            ("instances de gouvernance", projet.instances.count()),
            ("sigles", projet.sigles.count()),
        ],
    }
    return render(request, "projets/cycle/renouveler.html", contexte)
