"""Placeholder: to be written."""

from django.http import Http404


def changer_statut(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def renouveler(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def historique(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")
