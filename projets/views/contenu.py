"""Placeholder: to be written."""

from django.http import Http404


def index(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")
