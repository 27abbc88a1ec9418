"""Object lookups for views, through the scoped QuerySets: another structure's object is a 404."""

from django.shortcuts import get_object_or_404

from .models import ProjetSocial


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
    """Only the direction (and admins) change the statut or renew the projet."""
    return get_object_or_404(
        ProjetSocial.objects.pilotable_by(user).select_related("structure"), pk=pk
    )


def peut_modifier(user, projet):
    """Whether the user may edit the projet's content (what the pages offer as buttons; the
    views check it again through `projet_modifiable`)."""
    return ProjetSocial.objects.editable_by(user).filter(pk=projet.pk).exists()
