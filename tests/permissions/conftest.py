"""The world `o` of the permission matrix: the world `monde` (tests/monde.py: two structures,
their projets and fiches, partners A and B with their contacts and accounts, one person of every
role, `utilisateurs` by role of the matrix) and a row of every kind its pages open.

Built once per module (and so once per xdist worker), in a transaction rolled back at the end:
each entry of the matrix is its own test, inside a savepoint (pytest-django's `db`), and each
cell of an entry in one more (test_matrice.repondre), so every cell sees the same world.

Added objects (tests.monde.completer_monde): enjeu_1, objectif_1 (of axe_1, in projet_1),
indicateur_1a (of fiche_1a, which also gets a year, an objectif, an objectif opérationnel, a
step, a means and a partner's comment), and one row of each kind of the projet's content
(section_1, territoire_1, chiffre_1, instance_1, ligne_budget_1, sigle_1, colonne_1 (a
comparison column of territoire_1), image_1 (a PNG of section_1), export_1: a finished dossier
export, its task queued).
"""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.monde import completer_monde, construire_monde


@pytest.fixture(scope="module")
def o(django_db_setup, django_db_blocker, tmp_path_factory):
    # The world's files (image_1) live as long as its rows, in a folder of the module's own.
    media = tmp_path_factory.mktemp("media-matrice")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield completer_monde(construire_monde())
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_jetable():
    """In place of tests/conftest.py's: the files stay in the folder of the world `o`."""
