"""Object lookups for views, through the scoped QuerySets: another structure's object is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from centresocial.lib.portee import obtenir

from .models import (
    Axe,
    Enjeu,
    InvitationMembre,
    Membre,
    ObjectifGeneral,
    ProjetSocial,
    Structure,
)


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


# --- the structure and its team ---


def exiger_administrateur(user):
    """Creating structures is the instance administrator's: anyone else logged in gets a 403."""
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied


def structure_dirigee(user, pk):
    """The direction of a structure (and admins) manage its team; its équipe get a 403."""
    return obtenir(Structure.objects.dirigees_par(user), Structure.objects.visible_to(user), pk)


def membre_gere(user, pk):
    """A member of a structure the user directs; a member of one they only belong to is a 403."""
    return obtenir(
        Membre.objects.filter(structure__in=Structure.objects.dirigees_par(user)).select_related(
            "user", "structure"
        ),
        Membre.objects.filter(structure__in=Structure.objects.visible_to(user)),
        pk,
    )


def invitation_geree(user, pk):
    return obtenir(
        InvitationMembre.objects.filter(structure__in=Structure.objects.dirigees_par(user)),
        InvitationMembre.objects.filter(structure__in=Structure.objects.visible_to(user)),
        pk,
    )


def exiger_direction(user):
    """Creating a projet is for the direction of a structure (and admins): a member of the
    équipe only gets a 403, anyone else a 404."""
    if Structure.objects.dirigees_par(user).exists():
        return
    if Structure.objects.visible_to(user).exists():
        raise PermissionDenied
    raise Http404
