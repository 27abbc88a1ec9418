"""The projet page: its arbre d'objectifs (axes → enjeux → objectifs généraux → fiches, with the
E / NA / AE code and the year grid), its key figures, its statut. (Its renewal into a new période
starts from its evaluation: evaluation/views.py.)"""

from django.db.models import Count, Q
from django.shortcuts import render

from projets.acces import projet_visible

from ..arbre import axes_de_l_arbre
from ..models import FicheAction


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
