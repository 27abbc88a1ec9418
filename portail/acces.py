"""What the portal reaches: the fiches of the account's organisations, through the scoped
QuerySets; anything else is a 404."""

from django.shortcuts import get_object_or_404

from actions.models import FicheAction
from partenaires.acces import exiger_compte_partenaire

__all__ = ["exiger_compte_partenaire", "fiche_du_portail", "fiches_du_portail"]


def fiches_du_portail(user):
    return FicheAction.objects.visible_to(user).du_partenaire(user)


def fiche_du_portail(user, pk, queryset=None):
    queryset = queryset if queryset is not None else FicheAction.objects.all()
    return get_object_or_404(queryset.filter(pk__in=fiches_du_portail(user).values("pk")), pk=pk)
