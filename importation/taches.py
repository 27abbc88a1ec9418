"""The background reading of an import (django-tasks, run by `manage.py db_worker`): a
120-page document takes some seconds, its progress is saved on the Importation row."""

import logging

from django_tasks import task

from .models import Importation

logger = logging.getLogger(__name__)


@task()
def lire_importation(importation_id):
    importation = Importation.objects.select_related("structure").get(pk=importation_id)
    if importation.statut not in (Importation.Statut.EN_ATTENTE, Importation.Statut.ECHEC):
        return importation.statut
    try:
        importation.lire()
    except Exception as erreur:
        logger.exception("La lecture de l'import %s a échoué", importation.pk)
        Importation.objects.filter(pk=importation.pk).update(
            statut=Importation.Statut.ECHEC,
            erreur="La lecture du document a échoué de façon inattendue ; l'administrateur est "
            f"prévenu. ({type(erreur).__name__})",
        )
        raise
    return importation.statut
