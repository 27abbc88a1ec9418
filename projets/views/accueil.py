from django.shortcuts import render

from actions.models import FicheAction
from partenaires.views.portail import mes_actions
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
            .filter(partenariats__partenaire__comptes__user=user)
            .select_related("axe", "projet__structure")
            .distinct()
        ),
    }
    return render(request, "projets/accueil.html", context)
