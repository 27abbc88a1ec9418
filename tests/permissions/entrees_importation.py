"""Importing a projet social from a document: the direction's (and admins')."""

from django.urls import reverse

from importation.models import Importation
from tests.importation.test_vues import DOCUMENT

from . import DIRECTION_1, DIRECTION_1_POST, statuts


def importation(o, lue=True):
    """An import of structure 1's direction: read (to review), or waiting for the worker."""
    importation = Importation.deposer(o.structure_1, o.direction_1, "projet.md", DOCUMENT.encode())
    if lue:
        importation.lire()
    return importation


def vers(nom, *, lue=True, morceau=False, post=False):
    def construire(o):
        importe = importation(o, lue)
        args = [importe.pk, importe.lire_proposition().morceaux[0].id] if morceau else [importe.pk]
        url = reverse(nom, args=args)
        return (url, "post", {}) if post else url

    return construire


ENTREES = {
    "importation:deposer": (
        lambda o: reverse("importation:deposer"),
        statuts(404, anonyme=302, equipe_1=403, equipe_2=403, direction_1=200, admin=200),
    ),
    "importation:suivre": (vers("importation:suivre", lue=False), DIRECTION_1),
    "importation:verifier": (vers("importation:verifier"), DIRECTION_1),
    "importation:morceau": (vers("importation:morceau", morceau=True), DIRECTION_1),
    "importation:ignorer": (
        vers("importation:ignorer", morceau=True, post=True),
        DIRECTION_1_POST,
    ),
    "importation:confirmer": (vers("importation:confirmer", post=True), DIRECTION_1_POST),
}
