"""ExportDossier's content type follows the model from `projets` (centresocial/lib/migrations.py)."""

from django.db import migrations

from centresocial.lib.migrations import DEPENDANCES, deplacement_du_type_de_contenu


class Migration(migrations.Migration):
    dependencies = [("dossier", "0002_taches_deplacees"), *DEPENDANCES]

    operations = [deplacement_du_type_de_contenu("exportdossier", "projets", "dossier")]
