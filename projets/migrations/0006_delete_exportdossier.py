from django.db import migrations


class Migration(migrations.Migration):
    """ExportDossier now belongs to the `dossier` app (dossier/migrations/0001), which keeps its
    table: only Django's state forgets the model here, no table is dropped."""

    dependencies = [
        ("projets", "0005_export_battement"),
        ("dossier", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportDossier")],
            database_operations=[],
        ),
    ]
