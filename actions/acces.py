"""Fiche lookups for views, through the scoped QuerySets: a fiche one may not see is a 404."""

from django.shortcuts import get_object_or_404

from .models import FicheAction


def fiche_modifiable(user, pk, queryset=None):
    queryset = queryset if queryset is not None else FicheAction.objects.all()
    return get_object_or_404(
        queryset.editable_by(user).select_related("projet__structure", "axe"), pk=pk
    )
