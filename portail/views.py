"""The partner portal, « Mes actions »: the fiches its organisation takes part in, read-only,
with their PDF and a form to leave a comment for the staff. Nothing else reaches a partner."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actions.forms import CommentaireForm
from actions.models import FicheAction, PartenariatAction
from dossier.rendu import rendre_fiche
from dossier.views import reponse_pdf
from partenaires.models import Partenaire
from projets.journal import noter_consultation

from .acces import exiger_compte_partenaire, fiche_du_portail, fiches_du_portail


def mes_partenariats(user):
    return Prefetch(
        "partenariats",
        queryset=PartenariatAction.objects.filter(
            partenaire__in=Partenaire.objects.du_user(user)
        ).select_related("partenaire"),
        to_attr="mes_partenariats",
    )


def mes_actions(request):
    exiger_compte_partenaire(request.user)
    fiches = (
        fiches_du_portail(request.user)
        .select_related("axe", "projet__structure")
        .prefetch_related(mes_partenariats(request.user))
        .order_by(
            "projet__structure__nom",
            "projet__annee_debut",
            "axe__transversal",
            "axe__ordre",
            "numero",
        )
    )
    organisations = Partenaire.objects.du_user(request.user).select_related("structure")
    return render(
        request,
        "partenaires/portail/liste.html",
        {"fiches": fiches, "organisations": organisations},
    )


def fiche(request, pk):
    exiger_compte_partenaire(request.user)
    fiche = fiche_du_portail(
        request.user,
        pk,
        FicheAction.objects.avec_details().prefetch_related(mes_partenariats(request.user)),
    )
    noter_consultation(request, fiche)
    engagement = fiche.mes_partenariats[0]
    mien = engagement.partenaire
    form = CommentaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        commentaire = form.save(commit=False)
        commentaire.fiche, commentaire.partenaire, commentaire.auteur = fiche, mien, request.user
        commentaire.save()
        messages.success(
            request, "Merci : votre commentaire a été transmis à l'équipe du centre social."
        )
        return redirect("portail:fiche", fiche.pk)
    context = {
        "fiche": fiche,
        "partenaire": mien,
        "engagement": engagement,
        "form": form,
        # Only its own organisation's comments: another partner's words are not for it.
        "commentaires": fiche.commentaires_partenaires.filter(
            partenaire__in=Partenaire.objects.du_user(request.user)
        ).select_related("auteur", "partenaire"),
    }
    return render(request, "partenaires/portail/fiche.html", context)


@require_POST
def confirmer(request, pk):
    """« Je confirme »: the account's organisations commit to the fiche, dated."""
    exiger_compte_partenaire(request.user)
    fiche = fiche_du_portail(request.user, pk)
    for partenariat in fiche.partenariats.filter(
        partenaire__in=Partenaire.objects.du_user(request.user)
    ):
        partenariat.confirmer(request.user)
    messages.success(request, "Merci : votre engagement est confirmé auprès du centre social.")
    return redirect("portail:fiche", fiche.pk)


def fiche_pdf(request, pk):
    exiger_compte_partenaire(request.user)
    fiche = fiche_du_portail(request.user, pk, FicheAction.objects.avec_details())
    nom = f"fiche-{fiche.axe.libelle}-{fiche.code}.pdf".lower().replace(" ", "-")
    return reponse_pdf(rendre_fiche(fiche), nom)
