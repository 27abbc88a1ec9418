"""The page an invitation's link opens, whatever the invitation (projets/invitations.py)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render

from projets.invitations import ActivationForm, adresse_trop_longue


def lien_invalide(request, message, status):
    return render(request, "invitations/lien_invalide.html", {"message": message}, status=status)


def activer(request, invitations, jeton, *, gabarit, structure, bienvenue):
    """The page of an invitation's link, among `invitations` (a QuerySet of one kind).

    `gabarit` says what the invitation opens, `structure(invitation)` who invites,
    `bienvenue(invitation)` the message once the account is tied."""
    invitation = invitations.filter(empreinte=invitations.model.empreinte_de(jeton)).first()
    if invitation is None:
        return lien_invalide(
            request,
            "Ce lien d'invitation n'est pas valide. Vérifiez qu'il a été copié en entier, ou demandez une nouvelle invitation.",
            404,
        )
    qui_invite = structure(invitation)
    if invitation.utilisee_le:
        return lien_invalide(
            request,
            "Ce lien d'invitation a déjà été utilisé. Connectez-vous avec votre identifiant et votre mot de passe.",
            410,
        )
    if invitation.expiree:
        return lien_invalide(
            request,
            f"Ce lien d'invitation a expiré le {invitation.expire_le:%d/%m/%Y}. Demandez une nouvelle invitation à la direction de {qui_invite.nom}.",
            410,
        )

    User = get_user_model()
    existant = User.objects.filter(
        Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email)
    ).first()
    context = {"invitation": invitation, "structure": qui_invite, "existant": existant}
    if existant is not None:
        if request.method == "POST":
            if not invitation.accepter(existant):
                return lien_invalide(request, "Ce lien d'invitation a déjà été utilisé.", 410)
            messages.success(request, bienvenue(invitation))
            if request.user == existant:
                return redirect("accueil")
            return redirect("login")
        return render(request, gabarit, context)

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
        return redirect("accueil")
    context["form"] = form
    return render(request, gabarit, context)
