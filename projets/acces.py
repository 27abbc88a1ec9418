"""Object lookups for views, through the scoped QuerySets: another structure's object is a 404."""

from django.shortcuts import get_object_or_404

from centresocial.lib.portee import obtenir

from .models import Axe, Enjeu, ObjectifGeneral, ProjetSocial


def projet_visible(user, pk):
    return get_object_or_404(
        ProjetSocial.objects.visible_to(user).select_related("structure"), pk=pk
    )


def projet_modifiable(user, pk):
    """Direction and équipe of the structure (and admins) edit the projet's content."""
    return get_object_or_404(
        ProjetSocial.objects.editable_by(user).select_related("structure"), pk=pk
    )


def projet_pilotable(user, pk):
    """Only the direction (and admins) change the statut or renew the projet: the équipe, who
    know the projet, get a 403."""
    return obtenir(
        ProjetSocial.objects.pilotable_by(user).select_related("structure"),
        ProjetSocial.objects.visible_to(user),
        pk,
    )


# The arbre's rows the direction and the équipe of their structure edit (and admins).
def axes_modifiables(user):
    return Axe.objects.editable_by(user).select_related("projet__structure")


def enjeux_modifiables(user):
    return Enjeu.objects.editable_by(user).select_related("axe", "projet__structure")


def objectifs_modifiables(user):
    return ObjectifGeneral.objects.editable_by(user).select_related(
        "axe__projet__structure", "enjeu"
    )
