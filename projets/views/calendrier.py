"""The timeline of the agrément's renewal: everyone of the structure reads it, the direction
dates its steps and marks them done (projets/calendrier.py proposes the dates)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from projets.acces import projet_pilotable, projet_visible
from projets.calendrier import a_un_calendrier, etapes_du_projet, fin_agrement, seuils_en_clair
from projets.forms.calendrier import CalendrierForm
from projets.models import ProjetSocial


def calendrier(request, pk):
    if request.method == "POST":
        projet = projet_pilotable(request.user, pk)  # the équipe reads, gets a 403 here
        peut_modifier = True
    else:
        projet = projet_visible(request.user, pk)
        peut_modifier = ProjetSocial.objects.pilotable_by(request.user).filter(pk=pk).exists()
    contexte = {
        "projet": projet,
        "onglet": "arbre",
        "avec_calendrier": a_un_calendrier(projet),
        "fin_agrement": fin_agrement(projet),
        "peut_modifier": peut_modifier,
    }
    if not contexte["avec_calendrier"]:
        return render(request, "projets/calendrier.html", contexte)

    etapes = etapes_du_projet(projet)
    form = CalendrierForm(etapes, request.POST or None) if peut_modifier else None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.enregistrer()
        messages.success(request, "Le calendrier du renouvellement a été enregistré.")
        return redirect("projets:calendrier", projet.pk)
    contexte["form"] = form
    contexte["seuils"] = seuils_en_clair()
    # Each step with its form (the direction's) or None (read only).
    contexte["lignes"] = [(f.etape_datee, f) for f in form] if form else [(e, None) for e in etapes]
    return render(request, "projets/calendrier.html", contexte)
