"""The tasks queued before the dossier became an app name their function by its old module path:
they point to `dossier.taches` now, so a worker of the new code still runs them (an export queued
just before the upgrade is rendered, not failed with an import error)."""

from django.db import migrations

ANCIEN = "projets.dossier.taches."
NOUVEAU = "dossier.taches."
TACHES = ["exporter_dossier", "surveiller_exports"]


def renommer(apps, depuis, vers):
    Tache = apps.get_model("django_tasks_database", "DBTaskResult")
    for nom in TACHES:
        Tache.objects.filter(task_path=depuis + nom).update(task_path=vers + nom)


def vers_le_nouveau_chemin(apps, schema_editor):
    renommer(apps, ANCIEN, NOUVEAU)


def vers_l_ancien_chemin(apps, schema_editor):
    renommer(apps, NOUVEAU, ANCIEN)


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(vers_le_nouveau_chemin, vers_l_ancien_chemin)]
