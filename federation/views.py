"""A fédération's pages: its members read aggregated figures of the structures it follows, and
the fiches of the structures that chose to share them, read-only. Anyone else gets a 404, and
these pages never open a structure's own pages (`Structure.objects.visible_to` says who does)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from actions.models import FicheAction
from projets.journal import noter_consultation
from projets.models import Federation, Structure

from .chiffres import annees_de, chiffres_en_cache, comptes_en_cache, en_cache
from .forms import AnneeForm


def federation_de(user, pk):
    return get_object_or_404(Federation.objects.de(user), pk=pk)


def fiches_partagees(user, federation):
    """The fiches a fédération member may read: those of its structures that share them."""
    structures = Structure.objects.partagees_avec(user).filter(federations=federation)
    return FicheAction.objects.filter(projet__structure__in=structures)


def accueil(request):
    """The user's fédérations (straight to the only one)."""
    federations = list(Federation.objects.de(request.user))
    if not federations:
        raise Http404
    if len(federations) == 1:
        return redirect("federation:tableau", federations[0].pk)
    return render(request, "federation/accueil.html", {"federations": federations})


def tableau(request, pk):
    """The figures of the fédération's structures for one year's bilans (filter in the URL),
    counted once per generation of the data (federation/chiffres.py)."""
    federation = federation_de(request.user, pk)
    comptes = comptes_en_cache(federation)
    form = AnneeForm(request.GET or None, annees=annees_de(comptes))
    annee = form.annee_choisie()
    chiffres = chiffres_en_cache(federation, annee, comptes)
    contexte = {
        "federation": federation,
        "form": form,
        "chiffres": chiffres,
        "structures": structures_en_cache(federation, annee, comptes),
    }
    return render(request, "federation/tableau.html", contexte)


def structures_en_cache(federation, annee, comptes):
    """The table of the structures (a line each: 300 for a large fédération, most of the page's
    time), written once per generation of the figures, from the figures of that generation or a
    newer one, never an older."""

    def ecrire():
        chiffres = chiffres_en_cache(federation, annee, comptes)
        contexte = {"federation": federation, "chiffres": chiffres}
        return render_to_string("federation/_structures.html", contexte)

    return en_cache(f"{federation.pk}:{annee}:structures", ecrire)


def fiches_structure(request, pk, structure):
    """The fiches of a structure that shares them, by projet."""
    federation = federation_de(request.user, pk)
    structure = get_object_or_404(
        Structure.objects.partagees_avec(request.user).filter(federations=federation),
        pk=structure,
    )
    fiches = (
        fiches_partagees(request.user, federation)
        .filter(projet__structure=structure)
        .select_related("projet", "axe")
        .order_by("-projet__annee_fin", "projet", "axe__transversal", "axe__ordre", "numero")
    )
    contexte = {"federation": federation, "structure": structure, "fiches": fiches}
    return render(request, "federation/fiches.html", contexte)


def fiche(request, pk, fiche):
    """A shared fiche, read-only."""
    federation = federation_de(request.user, pk)
    fiche = get_object_or_404(fiches_partagees(request.user, federation).avec_details(), pk=fiche)
    noter_consultation(request, fiche)
    return render(request, "federation/fiche.html", {"federation": federation, "fiche": fiche})
