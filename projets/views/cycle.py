"""The projet's life: statut workflow and history of changes (the renewal is in actions)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from centresocial.lib.historique import journal_projet, presenter
from projets.acces import projet_pilotable, projet_visible
from projets.forms.cycle import ChangementStatutForm

ENTREES_PAR_PAGE = 50


@require_POST
def changer_statut(request, pk):
    projet = projet_pilotable(request.user, pk)
    form = ChangementStatutForm(request.POST)
    if not form.is_valid():
        for erreurs in form.errors.values():
            for erreur in erreurs:
                messages.error(request, erreur)
        return redirect("actions:projet", projet.pk)
    try:
        projet.changer_statut(
            form.cleaned_data["statut"], form.cleaned_data["date_decision_caf"], par=request.user
        )
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request, f"Le projet social est maintenant « {projet.get_statut_display()} »."
        )
    return redirect("actions:projet", projet.pk)


def historique(request, pk):
    projet = projet_visible(request.user, pk)
    page = Paginator(journal_projet(projet), ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projets/cycle/historique.html",
        {"projet": projet, "onglet": "historique", "page": page, "entrees": presenter(page)},
    )
