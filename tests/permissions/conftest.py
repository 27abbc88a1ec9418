"""The world `o` of the permission matrix: the world `monde` (tests/monde.py: two structures,
their projets and fiches, partners A and B with their contacts and accounts, one person of every
role, `utilisateurs` by role of the matrix) and a row of every kind its pages open.

Built once per module (and so once per xdist worker), in a transaction rolled back at the end:
each entry of the matrix is its own test, inside a savepoint (pytest-django's `db`), and each
cell of an entry in one more (test_matrice.repondre), so every cell sees the same world.

Added objects: enjeu_1, objectif_1 (of axe_1, in projet_1), indicateur_1a (of fiche_1a, which
also gets a year, an objectif, an objectif opérationnel, a step, a means and a partner's comment),
and one row of each kind of the projet's content (section_1, territoire_1, chiffre_1, instance_1,
ligne_budget_1, sigle_1, colonne_1 (a comparison column of territoire_1), image_1 (a PNG of
section_1), export_1: a finished dossier export, its task queued).
"""

import pytest
from django.db import transaction
from django.test import override_settings

from dossier.taches import exporter_dossier
from partenaires.models import Invitation
from projets.models import SectionProjet
from tests.factories import (
    AccessAttemptFactory,
    AnneeActionFactory,
    ChiffreCleFactory,
    ColonneChiffresFactory,
    CommentairePartenaireFactory,
    EnjeuFactory,
    EtapeEcheancierFactory,
    ExportDossierFactory,
    FicheObjectifFactory,
    GroupFactory,
    ImageSectionFactory,
    IndicateurFactory,
    InstanceGouvernanceFactory,
    LigneBudgetFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    ObjectifOperationnelFactory,
    ResultatFactory,
    SectionProjetFactory,
    SigleFactory,
    TerritoireFactory,
    image_png,
)
from tests.monde import construire_monde


@pytest.fixture(scope="module")
def o(django_db_setup, django_db_blocker, tmp_path_factory):
    # The world's files (image_1) live as long as its rows, in a folder of the module's own.
    media = tmp_path_factory.mktemp("media-matrice")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield completer(construire_monde())
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_jetable():
    """In place of tests/conftest.py's: the files stay in the folder of the world `o`."""


def completer(o):
    """The world `monde`, with a row of every kind the matrix's pages open."""
    o.enjeu_1 = EnjeuFactory(axe=o.axe_1)
    o.objectif_1 = ObjectifGeneralFactory(enjeu=o.enjeu_1)
    o.indicateur_1a = IndicateurFactory(fiche=o.fiche_1a)
    AnneeActionFactory(fiche=o.fiche_1a, annee=2025)
    FicheObjectifFactory(fiche=o.fiche_1a, objectif=o.objectif_1, principal=True)
    ObjectifOperationnelFactory(fiche=o.fiche_1a, libelle="Accueillir")
    EtapeEcheancierFactory(fiche=o.fiche_1a, libelle="Lancement", periode="Rentrée")
    MoyenFactory(fiche=o.fiche_1a, libelle="Animatrice")

    # One row of each kind of the projet's content, for their pages.
    o.section_1 = SectionProjetFactory(
        projet=o.projet_1, type=SectionProjet.Type.PREAMBULE, titre="Préambule"
    )
    o.territoire_1 = TerritoireFactory(structure=o.structure_1, nom="Quartier Nord")
    o.chiffre_1 = ChiffreCleFactory(territoire=o.territoire_1, libelle="Habitants", valeur=1200)
    o.colonne_1 = ColonneChiffresFactory(territoire=o.territoire_1, intitule="Ville")
    o.image_1 = ImageSectionFactory(
        section=o.section_1, image=image_png("carte.png"), texte_alternatif="Carte du quartier"
    )
    o.instance_1 = InstanceGouvernanceFactory(projet=o.projet_1, nom="Conseil de maison")
    o.ligne_budget_1 = LigneBudgetFactory(projet=o.projet_1, annee=2025, montant=1000)
    o.sigle_1 = SigleFactory(projet=o.projet_1, sigle="QPV", signification="Quartier prioritaire")
    o.export_1 = ExportDossierFactory(projet=o.projet_1, version="v1", termine=True)
    # Rows the Django admin lists too (its change pages are in the matrix).
    GroupFactory(name="Relecteurs")
    # A failed login from elsewhere (a login of the matrix would clear one from its own address).
    AccessAttemptFactory(
        username="intrus",
        ip_address="192.0.2.1",
        user_agent="robot",
        path_info="/comptes/login/",
        failures_since_start=2,
    )
    # (on fiche 1b, so the evaluation entries stay free to create indicateur_1a's results)
    ResultatFactory(indicateur=IndicateurFactory(fiche=o.fiche_1b), annee=2026, valeur=3)
    exporter_dossier.enqueue(o.export_1.pk)
    Invitation.creer(o.partenaire_a, o.contact_a.email, o.direction_1)
    CommentairePartenaireFactory(
        fiche=o.fiche_1a, partenaire=o.partenaire_a, auteur=o.user_partenaire_a, texte="Présents."
    )
    return o
