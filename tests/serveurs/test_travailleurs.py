"""Two `manage.py db_worker` on one PostgreSQL (two machines' workers): django-tasks' database
backend hands each job to one of them (`SELECT … FOR UPDATE SKIP LOCKED`), so every export and
every import runs exactly once, and both workers take their share."""

import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dossier.exports import demander_export
from dossier.models import ExportDossier
from dossier.taches import exporter_dossier
from importation.mesure import ecrire, synthetique
from importation.models import Importation
from importation.taches import lire_importation
from tests.factories import FicheActionFactory, MembreFactory

from .processus import Processus

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="deux travailleurs sur une même base : PostgreSQL seulement (SQLite est une base "
    "d'un seul serveur ; la CI lance les tests sur PostgreSQL)",
)

EXPORTS = 4
IMPORTS = 4
TRAVAILLEURS = ("travailleur-a", "travailleur-b")


@pytest.fixture
def processus(transactional_db, tmp_path):
    lances = Processus(tmp_path)
    yield lances
    lances.arreter()


def taches():
    chemins = [exporter_dossier.module_path, lire_importation.module_path]
    return DBTaskResult.objects.filter(task_path__in=chemins)


def test_chaque_tache_est_faite_une_fois_par_l_un_des_deux_travailleurs(processus):
    for nom in TRAVAILLEURS:
        processus.travailleur(nom)
    processus.attendre(
        lambda: all("Starting worker" in processus.journal(nom) for nom in TRAVAILLEURS),
        "Les deux travailleurs démarrent",
    )

    exports = [demander_export(FicheActionFactory().projet, None)[0] for _ in range(EXPORTS)]
    direction = MembreFactory(direction=True)
    document = ecrire.ecrire(synthetique.projet_synthetique(2, "titres"), "docx")
    imports = []
    for numero in range(IMPORTS):
        importation = Importation.deposer(
            direction.structure, direction.user, f"projet-{numero}.docx", document
        )
        lire_importation.enqueue(importation.pk)
        imports.append(importation)
    assert taches().count() == EXPORTS + IMPORTS

    finies = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    processus.attendre(
        lambda: not taches().exclude(status__in=finies).exists(),
        "Toutes les tâches finissent",
    )
    resultats = list(taches().values_list("status", "worker_ids"))
    assert [statut for statut, _ in resultats] == [TaskResultStatus.SUCCESSFUL] * len(resultats)
    # Each job taken by one worker, once; and both workers worked.
    assert all(len(travailleurs) == 1 for _, travailleurs in resultats), resultats
    assert {travailleurs[0] for _, travailleurs in resultats} == set(TRAVAILLEURS), resultats

    for export in exports:
        export.refresh_from_db()
        assert (export.statut, export.tentatives) == (ExportDossier.Statut.TERMINE, 1)
    for importation in imports:
        importation.refresh_from_db()
        assert importation.statut == Importation.Statut.A_VERIFIER, importation.erreur
