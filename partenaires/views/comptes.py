"""Partner accounts: the direction invites a contact by e-mail, the person follows the link to
get an account tied to the partner, and the direction can revoke it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from projets.invitations import adresse_trop_longue
from projets.views.invitations import activer as activer_invitation

from ..acces import compte_gere, partenaire_gere
from ..models import Invitation


@require_POST
def inviter(request, pk, contact_pk):
    partenaire = partenaire_gere(request.user, pk)
    contact = get_object_or_404(partenaire.contacts, pk=contact_pk)
    if not contact.email:
        messages.error(
            request,
            f"{contact.nom} n'a pas d'adresse e-mail : ajoutez-la d'abord dans les contacts.",
        )
        return redirect("partenaires:detail", partenaire.pk)
    if message := adresse_trop_longue(contact.email):
        messages.error(request, f"{contact.nom} ne peut pas être invité(e) : {message}")
        return redirect("partenaires:detail", partenaire.pk)
    invitation, jeton = Invitation.creer(partenaire, contact.email, request.user)
    lien = request.build_absolute_uri(reverse("partenaires:activer", args=[jeton]))
    contexte = {
        "invitation": invitation,
        "contact": contact,
        "lien": lien,
        "invite_par": request.user,
    }
    send_mail(
        f"Invitation : les actions de {partenaire.nom} avec {partenaire.structure.nom}",
        render_to_string("partenaires/email_invitation.txt", contexte),
        None,
        [contact.email],
    )
    messages.success(
        request,
        f"Une invitation a été envoyée à {contact.email}. Le lien est valable jusqu'au {invitation.expire_le:%d/%m/%Y}.",
    )
    return redirect("partenaires:detail", partenaire.pk)


@require_POST
def revoquer(request, pk):
    compte = compte_gere(request.user, pk)
    compte.delete()
    messages.success(
        request,
        f"{compte.user.get_full_name() or compte.user.get_username()} n'a plus accès aux fiches de {compte.partenaire.nom}.",
    )
    return redirect("partenaires:detail", compte.partenaire_id)


@login_not_required
def activer(request, jeton):
    return activer_invitation(
        request,
        Invitation.objects.select_related("partenaire__structure"),
        jeton,
        gabarit="partenaires/activer.html",
        structure=lambda invitation: invitation.partenaire.structure,
        bienvenue=lambda invitation: (
            f"Votre compte est maintenant rattaché à {invitation.partenaire.nom}."
        ),
    )
