"""The projet page: its arbre d'objectifs (axes → enjeux → objectifs généraux → fiches, with the
E / NA / AE code and the year grid), its key figures, its statut; and the renewal of the projet
into a new période, which copies its fiches."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from projets.acces import projet_pilotable, projet_visible
from projets.models import ObjectifGeneral

from ..arbre import axes_de_l_arbre
from ..models import FicheAction
from ..renouvellement import RenouvellementForm, renouveler_projet


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
