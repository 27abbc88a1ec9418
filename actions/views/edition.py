"""Writing fiches: create, edit (safe against concurrent edits), duplicate, move, delete."""

from datetime import datetime

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from centresocial.lib.historique import entrees_fiche
from partenaires.forms import PartenaireForm
from projets.acces import projet_modifiable
from projets.journal import noter_consultation

from .. import concurrence
from ..acces import fiche_modifiable
from ..forms import CreationForm, DeplacementForm, Editeur
from ..models import LIGNES_EDITEUR, LIGNES_FICHE, FicheAction
from .consultation import FICHE_ENREGISTREE


def creer(request, projet_pk):
    projet = projet_modifiable(request.user, projet_pk)
    form = CreationForm(
        request.POST or None, projet=projet, initial={"axe": request.GET.get("axe")}
    )
    if request.method == "POST" and form.is_valid():
        fiche = FicheAction.creer_dans(form.cleaned_data["axe"], titre=form.cleaned_data["titre"])
        messages.success(request, f"Fiche {fiche.reference} créée : complétez-la.")
        return redirect("actions:modifier", fiche.pk)
    return render(
        request, "actions/creer.html", {"projet": projet, "form": form, "onglet": "fiches"}
    )


def modifier(request, pk):
    fiche = fiche_modifiable(request.user, pk)
    noter_consultation(request, fiche)
    if request.method != "POST":
        editeur = Editeur(fiche)
        return afficher(request, editeur, concurrence.signer(concurrence.etat(fiche)))

    with transaction.atomic():
        # The lock makes concurrent saves of one fiche wait for each other, so the comparison
        # below always sees what the previous save wrote.
        fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk)
        ouvert = concurrence.lire(request.POST.get("etat"))
        actuel = concurrence.etat(fiche)
        if ouvert is None or ouvert["etat"] != actuel:
            editeur = Editeur(fiche, request.POST)
            editeur.is_valid()  # shows the user's own mistakes too, with their input
            conflit = {
                "differences": concurrence.differences(ouvert and ouvert["etat"], actuel, fiche),
                "entrees": entrees_depuis(fiche, ouvert),
            }
            # The new token carries the current state: saving again applies the user's input.
            return afficher(
                request, editeur, concurrence.signer(actuel), conflit=conflit, status=409
            )

        editeur = Editeur(fiche, request.POST)
        if editeur.is_valid():
            editeur.save()
            messages.success(request, "Fiche enregistrée.")
            request.session[FICHE_ENREGISTREE] = fiche.pk
            return redirect("actions:detail", fiche.pk)
    return afficher(request, editeur, request.POST.get("etat"), status=400)


@require_POST
def partenaire_creer(request, pk):
    """A partner added to the structure's directory from the fiche editor, without leaving it
    (the editor's script puts it in the partenariat rows). Answers JSON: the new partner, or the
    messages to show next to the fields."""
    fiche = fiche_modifiable(request.user, pk)
    structure = fiche.projet.structure
    donnees = {**request.POST.dict(), "structure": structure.pk}
    form = PartenaireForm(donnees, structures=type(structure).objects.filter(pk=structure.pk))
    if not form.is_valid():
        erreurs = {champ: list(messages) for champ, messages in form.errors.items()}
        return JsonResponse({"erreurs": erreurs}, status=400)
    partenaire = form.save()
    return JsonResponse({"id": partenaire.pk, "libelle": str(partenaire)}, status=201)


def entrees_depuis(fiche, ouvert):
    """The history entries of the fiche written since the form was opened."""
    entrees = entrees_fiche(fiche, limite=20)
    if ouvert is None:
        return entrees
    depuis = datetime.fromisoformat(ouvert["ouvert_le"])
    return [entree for entree in entrees if entree.quand >= depuis]


def afficher(request, editeur, jeton, conflit=None, status=200):
    fiche = editeur.fiche
    contexte = {
        "projet": fiche.projet,
        "fiche": fiche,
        "editeur": editeur,
        "form": editeur.form,
        "etat": jeton,
        "conflit": conflit,
        "onglet": "fiches",
    }
    return render(request, "actions/modifier.html", contexte, status=status)


@require_POST
def dupliquer(request, pk):
    lignes = FicheAction.objects.prefetch_related(*(sorte.nom for sorte in LIGNES_FICHE))
    fiche = fiche_modifiable(request.user, pk, lignes)
    copie = fiche.copier(
        titre=titre_de_copie(fiche.titre),
        statut=FicheAction.Statut.A_VENIR,
        motif_fin="",
        precision_fin="",
    )
    messages.success(request, f"Fiche dupliquée : la copie est la fiche {copie.reference}.")
    return redirect("actions:modifier", copie.pk)


def titre_de_copie(titre):
    """« Titre (copie) », or the title as it is when the mark would not fit: never cut."""
    copie = f"{titre} (copie)"
    limite = FicheAction._meta.get_field("titre").max_length
    return copie if len(copie) <= limite else titre


def deplacer(request, pk):
    fiche = fiche_modifiable(request.user, pk)
    form = DeplacementForm(request.POST or None, fiche=fiche)
    suivantes = list(fiche.axe.fiches.filter(numero__gt=fiche.numero).order_by("numero"))
    if request.method == "POST" and form.is_valid():
        ancienne_reference = fiche.reference
        renumerotees = fiche.deplacer_vers(form.cleaned_data["axe"])
        message = f"La fiche {ancienne_reference} devient la fiche {fiche.reference}."
        if renumerotees:
            message += (
                f" Les {len(renumerotees)} fiche(s) suivantes de l'ancien axe ont été renumérotées."
            )
        messages.success(request, message)
        return redirect("actions:detail", fiche.pk)
    contexte = {
        "projet": fiche.projet,
        "fiche": fiche,
        "form": form,
        "suivantes": suivantes,
        "onglet": "fiches",
    }
    return render(request, "actions/deplacer.html", contexte)


def supprimer(request, pk):
    lignes = FicheAction.objects.prefetch_related(*(sorte.nom for sorte in LIGNES_EDITEUR))
    fiche = fiche_modifiable(request.user, pk, lignes)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        projet, reference = fiche.projet, fiche.reference
        renumerotees = fiche.supprimer()
        message = f"Fiche {reference} supprimée."
        if renumerotees:
            message += f" Les {len(renumerotees)} fiche(s) suivantes de l'axe ont été renumérotées."
        messages.success(request, message)
        return redirect(reverse("actions:liste", args=[projet.pk]))
    contexte = {
        "projet": fiche.projet,
        "fiche": fiche,
        "lignes": [
            (sorte.verbose_name_plural, len(getattr(fiche, sorte.nom).all()))
            for sorte in LIGNES_EDITEUR
        ],
        "suivantes": fiche.axe.fiches.filter(numero__gt=fiche.numero).order_by("numero"),
        "onglet": "fiches",
    }
    return render(request, "actions/supprimer.html", contexte)
