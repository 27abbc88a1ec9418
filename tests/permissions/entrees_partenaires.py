"""The partners' directory (staff), partner accounts (direction), and the partner portal."""

from django.urls import reverse

from partenaires.models import Invitation

from . import DIRECTION_1_POST, EQUIPE_1, statuts


def partenaire(nom):
    return lambda o: reverse(nom, args=[o.partenaire_a.pk])


def invitation(o):
    _, jeton = Invitation.creer(o.partenaire_a, "nouvelle@partenaire-a.fr", o.direction_1)
    return reverse("partenaires:activer", args=[jeton])


# Staff of any structure (and admins) open their own directory; it lists their partners only.
ANNUAIRE = statuts(200, anonyme=302, partenaire_a=404, partenaire_b=404)
# Only partner accounts have a portal, and only their fiches open: everything else is a 404.
PORTAIL_A = statuts(404, anonyme=302, partenaire_a=200)

ENTREES = {
    "partenaires:liste": (lambda o: reverse("partenaires:liste"), ANNUAIRE),
    "partenaires:creer": (lambda o: reverse("partenaires:creer"), ANNUAIRE),
    "partenaires:detail": (partenaire("partenaires:detail"), EQUIPE_1),
    "partenaires:modifier": (partenaire("partenaires:modifier"), EQUIPE_1),
    "partenaires:contacts": (partenaire("partenaires:contacts"), EQUIPE_1),
    "partenaires:fusionner": (partenaire("partenaires:fusionner"), EQUIPE_1),
    "partenaires:inviter": (
        lambda o: (
            reverse("partenaires:inviter", args=[o.partenaire_a.pk, o.contact_a.pk]),
            "post",
            {},
        ),
        DIRECTION_1_POST,
    ),
    "partenaires:revoquer": (
        lambda o: (reverse("partenaires:revoquer", args=[o.compte_partenaire_a.pk]), "post", {}),
        DIRECTION_1_POST,
    ),
    # Public: the link itself is the proof.
    "partenaires:activer": (invitation, statuts(200)),
    "portail:mes_actions": (
        lambda o: reverse("portail:mes_actions"),
        statuts(404, anonyme=302, partenaire_a=200, partenaire_b=200),
    ),
    "portail:fiche": (lambda o: reverse("portail:fiche", args=[o.fiche_1a.pk]), PORTAIL_A),
    "portail:fiche_pdf": (
        lambda o: reverse("portail:fiche_pdf", args=[o.fiche_1a.pk]),
        PORTAIL_A,
    ),
    # « Je confirme »: only the partner of the fiche, and back to its page.
    "portail:confirmer": (
        lambda o: (reverse("portail:confirmer", args=[o.fiche_1a.pk]), "post", {}),
        statuts(404, anonyme=302, partenaire_a=302),
    ),
}
