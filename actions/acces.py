"""Fiche lookups for views, through the scoped QuerySets: a fiche one may not see is a 404, a
fiche one only reads (a partner's) is a 403 on the staff's pages."""

from centresocial.lib.portee import obtenir

from .models import FicheAction


def fiche_modifiable(user, pk, queryset=None):
    queryset = queryset if queryset is not None else FicheAction.objects.all()
    return obtenir(
        queryset.editable_by(user).select_related("projet__structure", "axe"),
        FicheAction.objects.visible_to(user),
        pk,
    )
