"""The projet's life: statut workflow, renewal into a new période, history of changes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from centresocial.lib.historique import journal_projet, presenter
from projets.acces import projet_pilotable, projet_visible
from projets.forms.cycle import ChangementStatutForm, RenouvellementForm
from projets.models import ObjectifGeneral
from projets.renouvellement import renouveler_projet

ENTREES_PAR_PAGE = 50


@require_POST
def changer_statut(request, pk):
    projet = projet_pilotable(request.user, pk)
    form = ChangementStatutForm(request.POST)
    if not form.is_valid():
        for erreurs in form.errors.values():
            for erreur in erreurs:
                messages.error(request, erreur)
        return redirect("projets:detail", projet.pk)
    try:
        projet.changer_statut(form.cleaned_data["statut"], form.cleaned_data["date_decision_caf"])
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request, f"Le projet social est maintenant « {projet.get_statut_display()} »."
        )
    return redirect("projets:detail", projet.pk)


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
        return redirect("projets:detail", nouveau.pk)
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


def historique(request, pk):
    projet = projet_visible(request.user, pk)
    page = Paginator(journal_projet(projet), ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projets/cycle/historique.html",
        {"projet": projet, "onglet": "historique", "page": page, "entrees": presenter(page)},
    )
