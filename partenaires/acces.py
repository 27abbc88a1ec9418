"""Lookups for the partner views, through the scoped QuerySets: anything else is a 404.

Staff reach the partners of their structures' directory; only the direction manages partner
accounts; a partner account reaches the fiches its organisation is a partner of, nothing else.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from centresocial.lib.portee import obtenir
from projets.models import Structure

from .models import ComptePartenaire, Partenaire


def exiger_annuaire(user):
    """The directory is for the staff of a structure (and admins); a partner account or a
    person without a structure gets a 404."""
    if not Structure.objects.visible_to(user).exists():
        raise Http404


def partenaire_de_l_annuaire(user, pk):
    return get_object_or_404(
        Partenaire.objects.visible_to(user).de_l_annuaire(user).select_related("structure"), pk=pk
    )


def partenaire_gere(user, pk):
    """The direction (and admins) manage a partner's accounts; the équipe get a 403."""
    annuaire = Partenaire.objects.de_l_annuaire(user)
    return obtenir(annuaire.geres_par(user).select_related("structure"), annuaire, pk)


def compte_gere(user, pk):
    """A partner account the user may revoke: one of a partner they manage."""
    annuaire = Partenaire.objects.de_l_annuaire(user)
    return obtenir(
        ComptePartenaire.objects.filter(partenaire__in=annuaire.geres_par(user)).select_related(
            "user", "partenaire"
        ),
        ComptePartenaire.objects.filter(partenaire__in=annuaire),
        pk,
    )


def exiger_compte_partenaire(user):
    """The portal is for partner accounts only (staff have the projet pages)."""
    if not ComptePartenaire.objects.filter(user=user, user__is_active=True).exists():
        raise Http404
