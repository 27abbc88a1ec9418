"""Importing a projet social from a document: upload, reading (in the background for a large
one), review — every item found with its source text and where it will go, to reassign, ignore,
merge or split — and the confirmation that creates the brouillon projet. Nothing is written
before the confirmation."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from projets.acces import exiger_direction
from projets.models import Structure

from . import proposition as p
from .acces import importation_pilotee
from .ecriture import ProjetNonCree
from .erreurs import ImportImpossible
from .forms import DeplacementForm, DepotForm, FusionForm, ProjetImporteForm
from .models import Importation

# Up to this size a document is read during the upload's request (a few seconds at most); a
# larger one in the background, its progress shown.
LECTURE_IMMEDIATE = 2 * 1024 * 1024


def deposer(request):
    exiger_direction(request.user)
    structures = Structure.objects.dirigees_par(request.user)
    form = DepotForm(request.POST or None, request.FILES or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            importation = Importation.deposer(
                form.cleaned_data["structure"], request.user, fichier.name, fichier.read()
            )
        except ImportImpossible as erreur:
            form.add_error("fichier", str(erreur))
        else:
            if importation.taille > LECTURE_IMMEDIATE:
                transaction.on_commit(importation.lancer)
                return redirect("importation:suivre", importation.pk)
            importation.lire()
            if importation.statut == Importation.Statut.ECHEC:
                form.add_error("fichier", importation.erreur)
                importation.delete()  # nothing kept of a document that cannot be imported
            else:
                return redirect("importation:verifier", importation.pk)
    return render(request, "importation/deposer.html", {"form": form})


def suivre(request, pk):
    """The reading's progress (polled by htmx); once read, on to the review."""
    importation = importation_pilotee(request.user, pk)
    partiel = request.headers.get("HX-Request") == "true"
    if importation.statut == Importation.Statut.A_VERIFIER and not partiel:
        return redirect("importation:verifier", importation.pk)
    gabarit = "importation/_etat.html" if partiel else "importation/suivre.html"
    return render(request, gabarit, {"importation": importation})


def modifier_proposition(importation, modification):
    """Apply `modification(proposition)` (which returns the new one) to the stored proposition,
    under a lock: two people reviewing at once each apply their change to the other's."""
    with transaction.atomic():
        verrouillee = Importation.objects.select_for_update().get(pk=importation.pk)
        if verrouillee.statut != Importation.Statut.A_VERIFIER:
            return False
        verrouillee.enregistrer(modification(verrouillee.lire_proposition()))
    return True


def verifier(request, pk):
    importation = importation_pilotee(request.user, pk)
    if importation.statut == Importation.Statut.CREE:
        return redirect("actions:projet", importation.projet_id)
    if importation.statut != Importation.Statut.A_VERIFIER:
        return redirect("importation:suivre", importation.pk)
    proposition = importation.lire_proposition()
    form_projet = ProjetImporteForm(
        request.POST if request.POST.get("action") == "projet" else None,
        initial={
            "titre": proposition.titre,
            "annee_debut": proposition.annee_debut,
            "annee_fin": proposition.annee_fin,
        },
    )
    if request.method == "POST":
        reponse = corriger(request, importation, proposition, form_projet)
        if reponse is not None:
            return reponse
    return render(
        request,
        "importation/verifier.html",
        contexte_verification(importation, proposition, form_projet),
        status=400 if form_projet.errors else 200,
    )


def corriger(request, importation, proposition, form_projet):
    """One correction of the review page's forms; None to show the page again (with errors)."""
    action = request.POST.get("action")
    if action == "projet":
        if not form_projet.is_valid():
            return None
        modification = lambda prop: p.modifier(prop, "", **form_projet.cleaned_data)  # noqa: E731
        ancre = "projet"
    elif action in ("fiche", "axe"):
        objet = request.POST.get("objet", "")
        valeurs = {"titre": request.POST.get("titre", "").strip()}
        if action == "fiche" and request.POST.get("axe") is not None:
            valeurs["axe"] = request.POST["axe"]
        modification = lambda prop: p.modifier(prop, objet, **valeurs)  # noqa: E731
        ancre = objet
    elif action == "fusionner":
        garde = request.POST.get("objet", "")
        fiche = proposition.fiche(garde)
        form = FusionForm(request.POST, proposition=proposition, fiche=fiche) if fiche else None
        if form is None or not form.is_valid():
            messages.error(request, "Choisissez la fiche à réunir avec celle-ci.")
            return redirect(f"{reverse('importation:verifier', args=[importation.pk])}#{garde}")
        autre = form.cleaned_data["autre"]
        modification = lambda prop: p.fusionner_fiches(prop, garde, autre)  # noqa: E731
        ancre = garde
    else:
        raise Http404
    try:
        fait = modifier_proposition(importation, modification)
    except p.ModificationImpossible as erreur:
        messages.error(request, str(erreur))
        fait = True
    if not fait:
        messages.error(request, "Cet import n'est plus à vérifier.")
    return redirect(f"{reverse('importation:verifier', args=[importation.pk])}#{ancre}")


def contexte_verification(importation, proposition, form_projet):
    problemes = p.problemes(proposition)
    par_objet = {}
    for morceau in proposition.morceaux:
        if morceau.place:
            par_objet.setdefault(morceau.objet, []).append(morceau)
    libelles = {**p.CHAMPS_FICHE, **p.CHAMPS_OBJECTIF, **p.CHAMPS_SECTION, "titre": "Titre"}

    def rubriques(objet):
        groupes = {}
        for morceau in par_objet.get(objet, []):
            groupes.setdefault(libelles.get(morceau.champ, morceau.champ), []).append(morceau)
        return list(groupes.items())

    fiches_par_axe = {}
    for fiche in proposition.fiches:
        fiches_par_axe.setdefault(fiche.axe, []).append(
            {
                "fiche": fiche,
                "rubriques": rubriques(fiche.id),
                "fusion": FusionForm(proposition=proposition, fiche=fiche)
                if len(proposition.fiches) > 1
                else None,
                "problemes": [pb for pb in problemes if pb.objet == fiche.id],
            }
        )
    axes = [
        {
            "axe": axe,
            "objectifs": [
                (objectif, rubriques(objectif.id))
                for objectif in proposition.objectifs
                if objectif.axe == axe.id
            ],
            "fiches": fiches_par_axe.pop(axe.id, []),
        }
        for axe in proposition.axes
    ]
    sans_axe = [f for fiches in fiches_par_axe.values() for f in fiches]
    return {
        "importation": importation,
        "proposition": proposition,
        "form_projet": form_projet,
        "bloquants": [pb for pb in problemes if pb.bloquant],
        "avertissements": [pb for pb in problemes if not pb.bloquant],
        "sections": [(section, rubriques(section.id)) for section in proposition.sections],
        "axes": axes,
        "sans_axe": sans_axe,
        "non_places": proposition.non_places(),
        "ignores": proposition.ignores(),
        "nombre_fiches": len(proposition.fiches),
    }


def morceau(request, pk, morceau_id):
    """Where one piece of the document goes: another field or object, nowhere, or the start of
    a new fiche."""
    importation = importation_pilotee(request.user, pk)
    if importation.statut != Importation.Statut.A_VERIFIER:
        return redirect("importation:suivre", importation.pk)
    proposition = importation.lire_proposition()
    trouve = proposition.morceau(morceau_id)
    if trouve is None:
        raise Http404
    form = DeplacementForm(
        request.POST or None,
        proposition=proposition,
        initial={"cible": f"{trouve.objet}|{trouve.champ}"},
    )
    retour = (
        f"{reverse('importation:verifier', args=[importation.pk])}#{trouve.objet or 'non-places'}"
    )
    if request.method == "POST":
        if request.POST.get("action") == "scinder" and proposition.fiche(trouve.objet):
            modification = lambda prop: p.scinder_fiche(prop, trouve.objet, trouve.id)[0]  # noqa: E731
        elif form.is_valid():
            objet, champ = form.cleaned_data["cible"].split("|", 1)
            modification = lambda prop: p.reassigner(prop, trouve.id, objet, champ)  # noqa: E731
            retour = (
                f"{reverse('importation:verifier', args=[importation.pk])}#{objet or 'non-places'}"
            )
        else:
            modification = None
        if modification is not None:
            try:
                modifier_proposition(importation, modification)
            except p.ModificationImpossible as erreur:
                form.add_error(None, str(erreur))
            else:
                messages.success(request, "Le texte a été placé.")
                return redirect(retour)
    contexte = {
        "importation": importation,
        "morceau": trouve,
        "form": form,
        "dans_une_fiche": proposition.fiche(trouve.objet) is not None,
        "retour": retour,
    }
    return render(request, "importation/morceau.html", contexte)


@require_POST
def ignorer(request, pk, morceau_id):
    importation = importation_pilotee(request.user, pk)
    proposition = importation.lire_proposition()
    trouve = proposition.morceau(morceau_id) if proposition else None
    if trouve is None:
        raise Http404
    try:
        modifier_proposition(importation, lambda prop: p.ignorer(prop, morceau_id))
    except p.ModificationImpossible as erreur:
        messages.error(request, str(erreur))
    return redirect(
        f"{reverse('importation:verifier', args=[importation.pk])}#{trouve.objet or 'non-places'}"
    )


@require_POST
def confirmer(request, pk):
    importation = importation_pilotee(request.user, pk)
    if importation.statut not in (Importation.Statut.A_VERIFIER, Importation.Statut.CREE):
        return redirect("importation:suivre", importation.pk)
    try:
        projet = importation.confirmer(request.user)
    except ProjetNonCree as erreur:
        messages.error(request, str(erreur))
        return redirect("importation:verifier", importation.pk)
    messages.success(
        request,
        f"Le projet « {projet.titre} » est créé en brouillon à partir de {importation.nom_fichier}.",
    )
    return redirect("actions:projet", projet.pk)
