"""The form of the projet's identity, and the structure's facts the dossier prints."""

import copy

from django.contrib import messages
from django.shortcuts import redirect, render

from projets.acces import projet_modifiable, projet_pilotable
from projets.forms.projet import ProjetForm, StructureForm


def modifier(request, pk):
    projet = projet_modifiable(request.user, pk)
    # The form works on a copy, so the page header keeps the saved titre while input is wrong.
    form = ProjetForm(request.POST or None, instance=copy.copy(projet))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le projet social a été enregistré.")
        return redirect("actions:projet", projet.pk)
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
