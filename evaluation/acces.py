"""Lookups of evaluation objects for views, through the fiches' scoped QuerySets: staff of the
structure edit, a partner account only reads its own fiches' results (editing them is a 403),
anything else is a 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from actions.models import FicheAction, Indicateur, PartenariatAction
from centresocial.lib.portee import obtenir

from .models import FichierBilan, Resultat

LIENS = ("fiche__projet__structure", "fiche__axe")


def fiche_modifiable(user, pk):
    fiches = FicheAction.objects.editable_by(user).select_related("projet__structure", "axe")
    return obtenir(
        fiches.prefetch_related(
            Prefetch(
                "partenariats", queryset=PartenariatAction.objects.select_related("partenaire")
            ),
            "moyens",
        ),
        FicheAction.objects.visible_to(user),
        pk,
    )


def fiche_lisible(user, pk):
    """Staff and the fiche's partner accounts read its results."""
    fiches = FicheAction.objects.visible_to(user).select_related("projet__structure", "axe")
    return get_object_or_404(fiches, pk=pk)


def indicateur_modifiable(user, pk):
    indicateurs = Indicateur.objects.filter(fiche__in=FicheAction.objects.editable_by(user))
    connus = Indicateur.objects.filter(fiche__in=FicheAction.objects.visible_to(user))
    return obtenir(indicateurs.select_related(*LIENS), connus, pk)


def resultat_modifiable(user, pk):
    resultats = Resultat.objects.filter(indicateur__fiche__in=FicheAction.objects.editable_by(user))
    connus = Resultat.objects.filter(indicateur__fiche__in=FicheAction.objects.visible_to(user))
    return obtenir(resultats.select_related(*(f"indicateur__{lien}" for lien in LIENS)), connus, pk)


def fichier_bilan_modifiable(user, pk):
    fichiers = FichierBilan.objects.filter(bilan__fiche__in=FicheAction.objects.editable_by(user))
    connus = FichierBilan.objects.filter(bilan__fiche__in=FicheAction.objects.visible_to(user))
    return obtenir(fichiers.select_related("bilan__fiche__projet"), connus, pk)
