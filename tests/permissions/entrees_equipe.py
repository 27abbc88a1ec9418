"""Setting up without the Django admin: the instance's structures (its administrator), a
structure's team (its direction), a new projet (a direction), the link of a team invitation."""

from django.urls import reverse

from projets.models import InvitationMembre, Membre

from . import DIRECTION_1, DIRECTION_1_POST, statuts

# The instance administrator's pages: known to everyone logged in, theirs only.
ADMINISTRATEUR = statuts(403, anonyme=302, admin=200)


def membre_equipe_1(o):
    return Membre.objects.get(structure=o.structure_1, user=o.equipe_1)


def invitation_en_attente(o):
    invitation, _ = InvitationMembre.creer(
        o.structure_1, "arrivee@centre-1.fr", Membre.Role.EQUIPE, o.direction_1
    )
    return invitation


def lien_d_invitation(o):
    _, jeton = InvitationMembre.creer(
        o.structure_1, "nouvelle@centre-1.fr", Membre.Role.EQUIPE, o.direction_1
    )
    return reverse("projets:membre_activer", args=[jeton])


def post(nom, objet, donnees=None):
    return lambda o: (reverse(nom, args=[objet(o).pk]), "post", donnees(o) if donnees else {})


ENTREES = {
    "projets:structures": (lambda o: reverse("projets:structures"), ADMINISTRATEUR),
    "projets:structure_creer": (lambda o: reverse("projets:structure_creer"), ADMINISTRATEUR),
    "projets:equipe": (lambda o: reverse("projets:equipe", args=[o.structure_1.pk]), DIRECTION_1),
    "projets:membre_inviter": (
        post(
            "projets:membre_inviter",
            lambda o: o.structure_1,
            lambda o: {"email": "renfort@centre-1.fr", "role": Membre.Role.EQUIPE},
        ),
        DIRECTION_1_POST,
    ),
    "projets:membre_role": (
        post(
            "projets:membre_role",
            membre_equipe_1,
            lambda o: {f"m{membre_equipe_1(o).pk}-role": Membre.Role.DIRECTION},
        ),
        DIRECTION_1_POST,
    ),
    "projets:membre_retirer": (post("projets:membre_retirer", membre_equipe_1), DIRECTION_1_POST),
    "projets:invitation_annuler": (
        post("projets:invitation_annuler", invitation_en_attente),
        DIRECTION_1_POST,
    ),
    # Public: the link itself is the proof.
    "projets:membre_activer": (lien_d_invitation, statuts(200)),
    # A direction (of any structure) creates a projet; a member of an équipe only gets a 403.
    "projets:creer": (
        lambda o: reverse("projets:creer"),
        statuts(404, anonyme=302, equipe_1=403, equipe_2=403, direction_1=200, admin=200),
    ),
}
