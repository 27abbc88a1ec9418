"""The home page: the user's structures and projets with what to do next (centresocial/a_faire),
or a partner account's actions and what changed since its last visit (a fédération's member
goes to its fédération); for a structure that is starting, the steps to its first fiche."""

from dataclasses import dataclass
from datetime import datetime

from django.shortcuts import redirect, render
from django.urls import reverse

from actions.models import FicheAction
from centresocial import a_faire
from partenaires.apps import VISITE_PRECEDENTE
from partenaires.models import Partenaire
from portail.acces import exiger_compte_partenaire
from projets.models import Federation, ProjetSocial, Structure


@dataclass
class Etape:
    """A step of the first-run guide of a structure that has no fiche yet."""

    texte: str
    faite: bool
    bouton: str = ""
    url: str = ""
    prochaine: bool = False  # the first step not done yet


def accueil(request):
    """The user's structures and projets, with what the direction has to do in each, and the
    fiches one is référent of; a partner account has its own home (`accueil_partenaire`)."""
    user = request.user
    if not Structure.objects.visible_to(user).exists():
        if user.comptes_partenaire.exists():
            return accueil_partenaire(request)
        if Federation.objects.de(user).exists():
            return redirect("federation:accueil")  # a fédération's counsellor has no structure
    structures = list(Structure.objects.visible_to(user).prefetch_related("projets"))
    dirigees = set(Structure.objects.dirigees_par(user).values_list("pk", flat=True))
    avec_fiches = set(
        FicheAction.objects.filter(projet__structure__in=structures).values_list(
            "projet__structure", flat=True
        )
    )
    # What to do next, for the structures the user directs that have started their plan.
    dirigees_avec_fiches = a_faire.structures_dirigees(user).filter(pk__in=avec_fiches)
    tableaux = {t.structure.pk: t for t in a_faire.pour_la_direction(user, dirigees_avec_fiches)}
    for structure in structures:
        structure.dirigee = structure.pk in dirigees
        structure.guide = None
        structure.a_faire = None
        if structure.pk not in avec_fiches:
            structure.guide = guide(structure, structure.dirigee)
        elif structure.pk in tableaux:
            structure.a_faire = tableaux[structure.pk]
    mes_fiches = a_faire.pour_l_equipe(user)
    context = {
        "structures": structures,
        "projets": ProjetSocial.objects.visible_to(user).select_related("structure"),
        "fiches_partenaire": (
            FicheAction.objects.visible_to(user)
            .du_partenaire(user)
            .select_related("axe", "projet__structure")
        ),
        "premiere_structure": user.is_superuser and not structures,
        "mes_fiches": mes_fiches,
        "fiches_a_completer": sum(1 for item in mes_fiches if item.manques),
        "dirige": bool(tableaux),
    }
    return render(request, "projets/accueil.html", context)


def visite_precedente(request):
    """The partner account's visit before this session's login (None for a first one)."""
    valeur = request.session.get(VISITE_PRECEDENTE)
    try:
        return datetime.fromisoformat(valeur) if valeur else None
    except ValueError:
        return None


def accueil_partenaire(request):
    """A partner account's home: its actions, and what changed in each since its last visit."""
    exiger_compte_partenaire(request.user)
    depuis = visite_precedente(request)
    context = {
        "depuis": depuis,
        "actions": a_faire.pour_le_partenaire(request.user, depuis),
        "organisations": Partenaire.objects.du_user(request.user).select_related("structure"),
    }
    return render(request, "accueil/partenaire.html", context)


def guide(structure, dirigee):
    """The steps from an empty structure to its first fiche, each done or not; the buttons are
    those the user may follow (the équipe waits for the direction's first two)."""
    projet = next(iter(structure.projets.all()), None)
    axe = projet.axes.first() if projet else None
    equipe_invitee = structure.membres.count() > 1 or structure.invitations.en_attente().exists()
    etapes = [
        Etape(
            "Inviter l'équipe (et, si vous êtes plusieurs, une autre direction)"
            if dirigee
            else "La direction invite l'équipe",
            equipe_invitee,
            *(("Inviter", reverse("projets:equipe", args=[structure.pk])) if dirigee else ()),
        ),
        Etape(
            "Créer le projet social : vide, à partir du précédent ou de votre document actuel"
            if dirigee
            else "La direction crée le projet social",
            projet is not None,
            *(
                ("Créer le projet", f"{reverse('projets:creer')}?structure={structure.pk}")
                if dirigee
                else ()
            ),
        ),
        Etape(
            "Ajouter le premier axe du projet : les fiches actions s'y rangent",
            axe is not None,
            *(("Ajouter un axe", reverse("projets:axe_creer", args=[projet.pk])) if projet else ()),
        ),
        Etape(
            "Écrire la première fiche action",
            False,
            *(("Écrire une fiche", reverse("actions:creer", args=[projet.pk])) if axe else ()),
        ),
    ]
    next(etape for etape in etapes if not etape.faite).prochaine = True
    return etapes
