from django.db import migrations


class Migration(migrations.Migration):
    """CommentairePartenaire (a comment on a fiche) now belongs to the `actions` app
    (actions/migrations/0004), which keeps its table: only Django's state forgets it here."""

    dependencies = [
        ("partenaires", "0003_collectif"),
        ("actions", "0004_commentairepartenaire"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CommentairePartenaire")],
            database_operations=[],
        ),
    ]
