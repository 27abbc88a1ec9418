"""CommentairePartenaire's content type follows the model from `partenaires`, with the history of
the comments written before the move (centresocial/lib/migrations.py)."""

from django.db import migrations

from centresocial.lib.migrations import DEPENDANCES, deplacement_du_type_de_contenu


class Migration(migrations.Migration):
    dependencies = [("actions", "0004_commentairepartenaire"), *DEPENDANCES]

    operations = [deplacement_du_type_de_contenu("commentairepartenaire", "partenaires", "actions")]
