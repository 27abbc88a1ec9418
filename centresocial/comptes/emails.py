"""« Mes e-mails »: the weekly digest a person asks for, structure by structure and partner
account by partner account; and the page of the digest's unsubscribe link, which works without
logging in (centresocial/resumes.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from centresocial.resumes import abonnement_du_jeton, changer_abonnement, nom_abonnement
from partenaires.models import ComptePartenaire
from projets.models import Membre


class EmailsForm(forms.Form):
    """One box per subscription of the user: « recevoir le résumé de la semaine »."""

    def __init__(self, *args, abonnements, **kwargs):
        super().__init__(*args, **kwargs)
        self.abonnements = abonnements
        for cle, abonnement in abonnements.items():
            self.fields[cle] = forms.BooleanField(
                label=nom_abonnement(abonnement),
                required=False,
                initial=abonnement.resume_hebdo,
            )


def abonnements_de(user):
    """{field name: subscription} of the user's memberships and partner accounts."""
    membres = Membre.objects.filter(user=user).select_related("structure")
    comptes = ComptePartenaire.objects.filter(user=user).select_related("partenaire")
    return {
        **{f"membre_{m.pk}": m for m in membres.order_by("structure__nom", "pk")},
        **{f"compte_{c.pk}": c for c in comptes.order_by("partenaire__nom", "pk")},
    }


@require_http_methods(["GET", "POST"])
def mes_emails(request):
    abonnements = abonnements_de(request.user)
    # Every box unticked sends an empty POST: still a bound form.
    donnees = request.POST if request.method == "POST" else None
    form = EmailsForm(donnees, abonnements=abonnements)
    if request.method == "POST" and form.is_valid():
        for cle, abonnement in abonnements.items():
            if form.cleaned_data[cle] != abonnement.resume_hebdo:
                changer_abonnement(abonnement, form.cleaned_data[cle])
        choisis = [a for a in abonnements.values() if a.resume_hebdo]
        if choisis:
            messages.success(
                request,
                "C'est noté : vous recevrez le résumé de la semaine chaque lundi pour "
                + ", ".join(nom_abonnement(a) for a in choisis)
                + ".",
            )
        else:
            messages.success(request, "C'est noté : vous ne recevrez aucun résumé.")
        return redirect("mes_emails")
    membres = [(form[cle], a) for cle, a in abonnements.items() if isinstance(a, Membre)]
    comptes = [(form[cle], a) for cle, a in abonnements.items() if not isinstance(a, Membre)]
    return render(
        request, "comptes/mes_emails.html", {"form": form, "membres": membres, "comptes": comptes}
    )


# Mail clients POST the List-Unsubscribe link without a CSRF token (RFC 8058): the signed token
# in the URL is what authorises the change, for this one URL.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def desinscription(request, jeton):
    """GET: say which digest the link stops, with a button; POST: stop it."""
    abonnement = abonnement_du_jeton(jeton)
    if abonnement is None:
        raise Http404("Ce lien de désinscription n'est pas valable.")
    if request.method == "POST":
        changer_abonnement(abonnement, False)
    contexte = {"abonnement": nom_abonnement(abonnement), "fait": request.method == "POST"}
    return render(request, "comptes/desinscription.html", contexte)
