"""Setting a centre up without the Django admin: the instance administrator creates a structure
and invites its first direction; the direction invites and manages its team (direction and
équipe) and creates its projets sociaux."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from projets.acces import (
    exiger_administrateur,
    exiger_direction,
    invitation_geree,
    membre_gere,
    structure_dirigee,
)
from projets.forms.equipe import (
    InvitationMembreForm,
    ProjetCreationForm,
    RoleForm,
    StructureCreationForm,
)
from projets.models import InvitationMembre, Membre, Structure
from projets.views.invitations import activer as activer_invitation


def structures(request):
    """The instance's structures, for its administrator."""
    exiger_administrateur(request.user)
    liste = Structure.objects.prefetch_related("membres__user", "projets")
    return render(request, "projets/equipe/structures.html", {"structures": liste})


def structure_creer(request):
    exiger_administrateur(request.user)
    form = StructureCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            structure = form.save()
            invitation = inviter(
                request, structure, form.cleaned_data["email_direction"], Membre.Role.DIRECTION
            )
        messages.success(
            request,
            f"La structure {structure.nom} est créée. Une invitation de direction a été envoyée "
            f"à {invitation.email} (valable jusqu'au {invitation.expire_le:%d/%m/%Y}).",
        )
        return redirect("projets:equipe", structure.pk)
    return render(request, "projets/equipe/structure_creer.html", {"form": form})


def equipe(request, pk):
    """The structure's team: its members and their roles, the invitations waiting."""
    structure = structure_dirigee(request.user, pk)
    return afficher_equipe(request, structure, InvitationMembreForm(structure=structure))


def afficher_equipe(request, structure, form, status=200):
    membres = structure.membres.select_related("user").order_by("role", "user__last_name")
    contexte = {
        "structure": structure,
        "membres": [
            (membre, RoleForm(instance=membre, prefix=f"m{membre.pk}")) for membre in membres
        ],
        "invitations": structure.invitations.en_attente().select_related("invite_par"),
        "form": form,
    }
    return render(request, "projets/equipe/equipe.html", contexte, status=status)


@require_POST
def membre_inviter(request, pk):
    structure = structure_dirigee(request.user, pk)
    form = InvitationMembreForm(request.POST, structure=structure)
    if not form.is_valid():
        return afficher_equipe(request, structure, form, status=400)
    invitation = inviter(request, structure, form.cleaned_data["email"], form.cleaned_data["role"])
    messages.success(
        request,
        f"Une invitation ({invitation.get_role_display().lower()}) a été envoyée à "
        f"{invitation.email}. Le lien est valable jusqu'au {invitation.expire_le:%d/%m/%Y}.",
    )
    return redirect("projets:equipe", structure.pk)


def inviter(request, structure, email, role):
    """Create the invitation and e-mail its link."""
    invitation, jeton = InvitationMembre.creer(structure, email, role, request.user)
    contexte = {
        "invitation": invitation,
        "lien": request.build_absolute_uri(reverse("projets:membre_activer", args=[jeton])),
        "invite_par": request.user,
    }
    send_mail(
        f"Invitation : rejoindre {structure.nom} sur centresocial",
        render_to_string("projets/equipe/email_invitation.txt", contexte),
        None,
        [email],
    )
    return invitation


def dernier_directeur(membre):
    """True when `membre` is the structure's only direction: it would be left without one."""
    directions = membre.structure.membres.filter(role=Membre.Role.DIRECTION)
    return membre.role == Membre.Role.DIRECTION and not directions.exclude(pk=membre.pk).exists()


@require_POST
def membre_role(request, pk):
    membre = membre_gere(request.user, pk)
    form = RoleForm(request.POST, instance=Membre(role=membre.role), prefix=f"m{membre.pk}")
    nom = membre.user.get_full_name() or membre.user.get_username()
    if not form.is_valid():
        messages.error(request, f"Le rôle de {nom} n'a pas changé : choisissez-en un de la liste.")
    elif form.cleaned_data["role"] != membre.role and dernier_directeur(membre):
        messages.error(
            request,
            f"{nom} est la seule direction de {membre.structure.nom} : invitez ou nommez d'abord "
            "une autre direction.",
        )
    elif form.cleaned_data["role"] != membre.role:
        membre.role = form.cleaned_data["role"]
        membre.save(update_fields=["role"])
        messages.success(request, f"{nom} est maintenant : {membre.get_role_display()}.")
    return redirect("projets:equipe", membre.structure_id)


@require_POST
def membre_retirer(request, pk):
    membre = membre_gere(request.user, pk)
    nom = membre.user.get_full_name() or membre.user.get_username()
    if dernier_directeur(membre):
        messages.error(
            request,
            f"{nom} est la seule direction de {membre.structure.nom} : invitez ou nommez d'abord "
            "une autre direction.",
        )
        return redirect("projets:equipe", membre.structure_id)
    membre.delete()
    messages.success(
        request, f"{nom} ne fait plus partie de {membre.structure.nom} et n'en voit plus rien."
    )
    if membre.user == request.user and not request.user.is_superuser:
        return redirect("accueil")
    return redirect("projets:equipe", membre.structure_id)


@require_POST
def invitation_annuler(request, pk):
    invitation = invitation_geree(request.user, pk)
    invitation.delete()
    messages.success(
        request, f"L'invitation de {invitation.email} est annulée : son lien ne sert plus."
    )
    return redirect("projets:equipe", invitation.structure_id)


@login_not_required
def membre_activer(request, jeton):
    return activer_invitation(
        request,
        InvitationMembre.objects.select_related("structure"),
        jeton,
        gabarit="projets/equipe/activer.html",
        structure=lambda invitation: invitation.structure,
        bienvenue=lambda invitation: (
            f"Votre compte fait maintenant partie de {invitation.structure.nom} "
            f"({invitation.get_role_display().lower()})."
        ),
    )


def projet_creer(request):
    """A new projet social, empty; the page also leads to renewing a previous one."""
    exiger_direction(request.user)
    structures = Structure.objects.dirigees_par(request.user)
    form = ProjetCreationForm(
        request.POST or None, structures=structures, initial=initial_projet(request, structures)
    )
    if request.method == "POST" and form.is_valid():
        projet = form.save()
        messages.success(request, f"Le projet social « {projet.titre} » est créé (brouillon).")
        return redirect("actions:projet", projet.pk)
    precedents = [p for s in structures.prefetch_related("projets") for p in s.projets.all()]
    contexte = {"form": form, "precedents": precedents}
    return render(request, "projets/equipe/projet_creer.html", contexte)


def initial_projet(request, structures):
    choisie = request.GET.get("structure", "")
    structure = structures.filter(pk=choisie).first() if choisie.isdigit() else None
    return {"structure": structure.pk} if structure else {}
