"""The home page: the user's structures and projets, or a partner account's actions."""

from django.shortcuts import render

from actions.models import FicheAction
from portail.views import mes_actions
from projets.models import ProjetSocial, Structure


def accueil(request):
    """The user's structures and projets; for a partner account, the fiches it takes part in."""
    user = request.user
    if not Structure.objects.visible_to(user).exists() and user.comptes_partenaire.exists():
        return mes_actions(request)  # a partner account lands on « Mes actions »
    structures = Structure.objects.visible_to(user).prefetch_related("projets")
    context = {
        "structures": structures,
        "projets": ProjetSocial.objects.visible_to(user).select_related("structure"),
        "fiches_partenaire": (
            FicheAction.objects.visible_to(user)
            .du_partenaire(user)
            .select_related("axe", "projet__structure")
        ),
    }
    return render(request, "projets/accueil.html", context)
