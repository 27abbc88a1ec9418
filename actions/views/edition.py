"""Placeholder: to be written."""

from django.http import Http404


def creer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def modifier(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def dupliquer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def deplacer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def supprimer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")
