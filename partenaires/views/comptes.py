"""Partner accounts: the direction invites a contact by e-mail, the person follows the link to
get an account tied to the partner, and the direction can revoke it."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..acces import compte_gere, partenaire_gere
from ..forms import ActivationForm
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
    invitation = (
        Invitation.objects.select_related("partenaire__structure")
        .filter(empreinte=Invitation.empreinte_de(jeton))
        .first()
    )
    if invitation is None:
        return lien_invalide(
            request,
            "Ce lien d'invitation n'est pas valide. Vérifiez qu'il a été copié en entier, ou demandez une nouvelle invitation.",
            404,
        )
    structure = invitation.partenaire.structure
    if invitation.utilisee_le:
        return lien_invalide(
            request,
            "Ce lien d'invitation a déjà été utilisé. Connectez-vous avec votre identifiant et votre mot de passe.",
            410,
        )
    if invitation.expiree:
        return lien_invalide(
            request,
            f"Ce lien d'invitation a expiré le {invitation.expire_le:%d/%m/%Y}. Demandez une nouvelle invitation à la direction de {structure.nom}.",
            410,
        )

    User = get_user_model()
    existant = User.objects.filter(
        Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email)
    ).first()
    context = {"invitation": invitation, "structure": structure, "existant": existant}
    if existant is not None:
        if request.method == "POST":
            if not invitation.accepter(existant):
                return lien_invalide(request, "Ce lien d'invitation a déjà été utilisé.", 410)
            messages.success(
                request, f"Votre compte est maintenant rattaché à {invitation.partenaire.nom}."
            )
            if request.user == existant:
                return redirect("accueil")  # a partner account lands on « Mes actions »
            return redirect("login")
        return render(request, "partenaires/activer.html", context)

    if message := adresse_trop_longue(invitation.email):
        return lien_invalide(request, f"Ce compte ne peut pas être créé : {message}", 400)
    form = ActivationForm(
        request.POST or None, instance=User(username=invitation.email, email=invitation.email)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            if not invitation.accepter(user):
                transaction.set_rollback(True)
                return lien_invalide(request, "Ce lien d'invitation a déjà été utilisé.", 410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Bienvenue ! Votre compte est créé ; votre identifiant est {user.username}."
        )
        return redirect("accueil")  # a partner account lands on « Mes actions »
    context["form"] = form
    return render(request, "partenaires/activer.html", context)


def adresse_trop_longue(email):
    """The address becomes the account's identifiant: the message when it is longer than one
    can be, else None."""
    limite = get_user_model()._meta.get_field("username").max_length
    if len(email) <= limite:
        return None
    return (
        f"son adresse compte {len(email)} caractères, et elle deviendrait son identifiant, qui en "
        f"compte au plus {limite}. Indiquez une adresse plus courte dans ses contacts."
    )


def lien_invalide(request, message, status):
    return render(request, "partenaires/lien_invalide.html", {"message": message}, status=status)
