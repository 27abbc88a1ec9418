"""The background job that renders the dossier (django-tasks, run by `manage.py db_worker`)."""

import logging

from django_tasks import task

from projets.models_dossier import ExportDossier

from .rendu import produire_dossier

logger = logging.getLogger(__name__)


@task()
def exporter_dossier(export_id):
    export = ExportDossier.objects.select_related("projet__structure").get(pk=export_id)
    if export.statut == ExportDossier.Statut.TERMINE:
        return export.pages
    precedent = (
        ExportDossier.objects.du_projet(export.projet)
        .sans_pdf()
        .filter(statut=ExportDossier.Statut.TERMINE)
        .exclude(pk=export.pk)
        .first()
    )
    export.avancer(1, "Démarrage de l'export")
    try:
        rendu = produire_dossier(
            export.projet,
            progression=export.avancer,
            pages_estimees=precedent.pages if precedent else None,
        )
    except Exception as erreur:
        logger.exception("L'export du dossier %s a échoué", export.pk)
        export.echouer(f"{type(erreur).__name__} : {erreur}")
        raise
    export.terminer(rendu.pdf, rendu.pages)
    return rendu.pages
