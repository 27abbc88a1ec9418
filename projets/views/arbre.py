"""Placeholder: to be written."""

from django.http import Http404


def axe_creer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def axe_modifier(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def axe_deplacer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def axe_supprimer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def enjeu_creer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def enjeu_modifier(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def enjeu_deplacer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def enjeu_supprimer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def objectif_creer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def objectif_modifier(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def objectif_deplacer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")


def objectif_supprimer(request, *args, **kwargs):
    raise Http404("Pas encore disponible.")
