"""The migrations that moved models between apps (ExportDossier to `dossier`, CommentairePartenaire
to `actions`), numbered ranks from 1 and renamed queued tasks lose no row: rows written, the
database taken back to the schema before the move, then forward again, every table holds the
same rows (as the restore test compares a backup with what it restores)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import ADDITION
from django.contrib.admin.models import LogEntry as ActionAdmin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from actions.models import CommentairePartenaire
from dossier.taches import exporter_dossier
from tests.factories import ExportDossierFactory, GroupFactory
from tests.monde import completer_monde, construire_monde

# The schema before the layers were set (issue 13): ExportDossier in `projets`,
# CommentairePartenaire in `partenaires`, ranks from 0 in some groups.
AVANT_LES_COUCHES = [
    ("projets", "0005_export_battement"),
    ("actions", "0003_fidelite"),
    ("partenaires", "0003_collectif"),
    ("dossier", None),
]

# Written by `migrate` itself: which migrations ran. (The content types follow the models they
# name, with the permissions: compared too.)
HORS_COMPARAISON = {"django_migrations"}

pytestmark = pytest.mark.django_db(transaction=True)


def migrer(cibles):
    executeur = MigrationExecutor(connection)
    executeur.loader.build_graph()
    executeur.migrate(cibles)
    # The models as these migrations leave them (an app taken back to zero has none).
    return executeur.loader.project_state([c for c in cibles if c[1]]).apps


def derniere_version():
    executeur = MigrationExecutor(connection)
    return executeur.loader.graph.leaf_nodes()


def lignes_des_tables():
    """Every row of every table (but those `migrate` writes), ordered."""
    with connection.cursor() as curseur:
        tables = sorted(set(connection.introspection.table_names(curseur)) - HORS_COMPARAISON)
        contenu = {}
        for table in tables:
            curseur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            # By column name: SQLite rebuilds a table when a migration going back drops a
            # column, and may put its columns in another order.
            colonnes = [c[0] for c in curseur.description]
            contenu[table] = sorted(
                (tuple(sorted(zip(colonnes, ligne, strict=True))) for ligne in curseur.fetchall()),
                key=repr,
            )
    return contenu


@pytest.fixture
def apres_le_test():
    """Whatever happens, the database is left at the latest migrations for the next tests."""
    yield
    migrer(derniere_version())


def test_aller_retour_des_migrations_garde_chaque_ligne(apres_le_test):
    completer_monde(construire_monde())
    avant = lignes_des_tables()
    assert avant["projets_exportdossier"] and avant["partenaires_commentairepartenaire"]

    migrer(AVANT_LES_COUCHES)
    migrer(derniere_version())

    apres = lignes_des_tables()
    assert apres.keys() == avant.keys()
    differentes = [table for table in avant if apres[table] != avant[table]]
    assert not differentes, f"tables changées par l'aller-retour : {differentes}"


def test_les_rangs_comptes_depuis_zero_le_sont_depuis_un_dans_le_meme_ordre(apres_le_test):
    monde = construire_monde()
    anciennes = migrer(AVANT_LES_COUCHES)
    Section = anciennes.get_model("projets", "SectionProjet")
    # Three sections numbered from 0 as the old code did, given out of order.
    for ordre, titre in [(2, "Troisième"), (0, "Première"), (1, "Deuxième")]:
        Section.objects.create(projet_id=monde.projet_1.pk, type="autre", titre=titre, ordre=ordre)
    Section.objects.create(projet_id=monde.projet_2.pk, type="autre", titre="Seule", ordre=4)

    nouvelles = migrer(derniere_version())
    Section = nouvelles.get_model("projets", "SectionProjet")
    du_projet_1 = Section.objects.filter(projet_id=monde.projet_1.pk).order_by("ordre")
    assert [(s.ordre, s.titre) for s in du_projet_1] == [
        (1, "Première"),
        (2, "Deuxième"),
        (3, "Troisième"),
    ]
    # A group that did not start at 0 keeps its numbers.
    assert Section.objects.get(projet_id=monde.projet_2.pk).ordre == 4


def test_une_tache_en_attente_sous_l_ancien_chemin_est_celle_du_dossier(apres_le_test):
    monde = construire_monde()
    export = ExportDossierFactory(projet=monde.projet_1)
    exporter_dossier.enqueue(export.pk)
    # Queued by the code before the move, under the module path of that time.
    DBTaskResult.objects.update(task_path="projets.dossier.taches.exporter_dossier")

    migrer([("dossier", "0001_initial")])
    migrer(derniere_version())

    tache = DBTaskResult.objects.get()
    assert tache.task_path == "dossier.taches.exporter_dossier"
    assert tache.task.func is exporter_dossier.func


def test_l_historique_d_un_modele_deplace_le_suit(apres_le_test, django_user_model):
    """An instance where `migrate` had already created the new content type beside the old one
    (the move landed before its content type did): the history written under the old one, the
    admin's journal and a group's permission move to the new one; the old one is gone."""
    monde = completer_monde(construire_monde())
    commentaire = CommentairePartenaire.objects.get()
    nouveau = ContentType.objects.get_for_model(CommentairePartenaire)
    ancien = ContentType.objects.create(app_label="partenaires", model="commentairepartenaire")
    permission = Permission.objects.create(
        content_type=ancien, codename="change_commentairepartenaire", name="Modifier"
    )
    groupe = GroupFactory(name="Modération")
    groupe.permissions.add(permission)
    historique = LogEntry.objects.get_for_object(commentaire)
    entrees = historique.count()
    assert entrees
    historique.update(content_type=ancien)
    ActionAdmin.objects.create(
        user=monde.admin,
        content_type=ancien,
        object_id=str(commentaire.pk),
        object_repr=str(commentaire),
        action_flag=ADDITION,
    )

    migrer([("actions", "0004_commentairepartenaire")])
    # Back there the old content type is the one (the new one's rows moved to it).
    assert not ContentType.objects.filter(app_label="actions", model="commentairepartenaire")
    ContentType.objects.get_or_create(app_label="actions", model="commentairepartenaire")
    migrer(derniere_version())
    ContentType.objects.clear_cache()

    assert not ContentType.objects.filter(app_label="partenaires", model="commentairepartenaire")
    nouveau = ContentType.objects.get_for_model(CommentairePartenaire)
    assert LogEntry.objects.get_for_object(commentaire).count() == entrees
    assert ActionAdmin.objects.get(object_id=str(commentaire.pk)).content_type == nouveau
    assert groupe.permissions.get().content_type == nouveau
    assert groupe.permissions.get().codename == "change_commentairepartenaire"
