"""The fiches: list, page, editor, duplicate, move, delete."""

from django.urls import reverse

from . import EQUIPE_1, EQUIPE_1_POST, connue_du_partenaire_a, statuts


def fiche(nom, **post):
    def construire(o):
        url = reverse(nom, args=[o.fiche_1a.pk])
        return (url, "post", post) if post else url

    return construire


ENTREES = {
    "actions:liste": (lambda o: reverse("actions:liste", args=[o.projet_1.pk]), EQUIPE_1),
    "actions:creer": (lambda o: reverse("actions:creer", args=[o.projet_1.pk]), EQUIPE_1),
    "actions:detail": (fiche("actions:detail"), EQUIPE_1),
    "actions:modifier": (fiche("actions:modifier"), EQUIPE_1),
    "actions:dupliquer": (fiche("actions:dupliquer", confirmer="1"), EQUIPE_1_POST),
    "actions:deplacer": (fiche("actions:deplacer"), EQUIPE_1),
    "actions:supprimer": (fiche("actions:supprimer"), EQUIPE_1),
    # JSON: 201 with the new partner (a new name for every cell: each cell is rolled back).
    "actions:partenaire_creer": (
        lambda o: (
            reverse("actions:partenaire_creer", args=[o.fiche_1a.pk]),
            "post",
            {"nom": "Les parents", "type": "collectif"},
        ),
        statuts(404, anonyme=302, equipe_1=201, direction_1=201, admin=201),
    ),
}

connue_du_partenaire_a(
    ENTREES,
    "actions:detail",
    "actions:modifier",
    "actions:dupliquer",
    "actions:deplacer",
    "actions:supprimer",
    "actions:partenaire_creer",
)
