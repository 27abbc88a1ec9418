"""Lookups of evaluation objects for views, through the fiches' scoped QuerySets: staff of the
structure edit, a partner account only reads its own fiches' results, anything else is a 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from actions.models import FicheAction, Indicateur, PartenariatAction

from .models import FichierBilan, Resultat

LIENS = ("fiche__projet__structure", "fiche__axe")


def fiche_modifiable(user, pk):
    fiches = FicheAction.objects.editable_by(user).select_related("projet__structure", "axe")
    return get_object_or_404(
        fiches.prefetch_related(
            Prefetch(
                "partenariats", queryset=PartenariatAction.objects.select_related("partenaire")
            ),
            "moyens",
        ),
        pk=pk,
    )


def fiche_lisible(user, pk):
    """Staff and the fiche's partner accounts read its results."""
    fiches = FicheAction.objects.visible_to(user).select_related("projet__structure", "axe")
    return get_object_or_404(fiches, pk=pk)


def indicateur_modifiable(user, pk):
    indicateurs = Indicateur.objects.filter(fiche__in=FicheAction.objects.editable_by(user))
    return get_object_or_404(indicateurs.select_related(*LIENS), pk=pk)


def resultat_modifiable(user, pk):
    resultats = Resultat.objects.filter(indicateur__fiche__in=FicheAction.objects.editable_by(user))
    return get_object_or_404(
        resultats.select_related(*(f"indicateur__{lien}" for lien in LIENS)), pk=pk
    )


def fichier_bilan_modifiable(user, pk):
    fichiers = FichierBilan.objects.filter(bilan__fiche__in=FicheAction.objects.editable_by(user))
    return get_object_or_404(fichiers.select_related("bilan__fiche__projet"), pk=pk)
