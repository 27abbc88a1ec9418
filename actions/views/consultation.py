"""Placeholder: to be written."""

from django.http import Http404


def liste(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def detail(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")
