"""The world `o` of the permission matrix: two structures, their projets and fiches, a partner
of each with its account, and one person of every role.

Objects: structure_1, structure_2, projet_1 (of structure_1), projet_2, axe_1, enjeu_1,
objectif_1 (in projet_1), fiche_1a, fiche_1b (projet_1), fiche_2a (projet_2), partenaire_a (a
partner of structure_1, on fiche_1a only), partenaire_b (structure_2, on fiche_2a only),
contact_a, compte_partenaire_a (its ComptePartenaire row), indicateur_1a (of fiche_1a), and one
row of each kind of the projet's content (section_1, territoire_1, chiffre_1, instance_1,
ligne_budget_1, sigle_1, colonne_1 (a comparison column of territoire_1), image_1 (a PNG of
section_1), export_1: a finished dossier export).

Users: anonyme, partenaire_a / partenaire_b (partner accounts; as attributes `user_partenaire_a`
and `user_partenaire_b`, since `partenaire_a` is the organisation), equipe_1, equipe_2,
direction_1, admin; `o.utilisateurs` maps each role of the matrix to its user.
"""

from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser, Group

from actions.models import (
    AnneeAction,
    CommentairePartenaire,
    EtapeEcheancier,
    FicheObjectif,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from dossier.models import ExportDossier
from dossier.taches import exporter_dossier
from evaluation.models import Resultat
from partenaires.models import ContactPartenaire, Invitation
from projets.models import (
    ChiffreCle,
    ColonneChiffres,
    ImageSection,
    InstanceGouvernance,
    LigneBudget,
    SectionProjet,
    Sigle,
    Territoire,
)
from tests.factories import (
    ComptePartenaireFactory,
    EnjeuFactory,
    FicheActionFactory,
    IndicateurFactory,
    MembreFactory,
    ObjectifGeneralFactory,
    PartenaireFactory,
    UserFactory,
    image_png,
)


@pytest.fixture
def o(db):
    o = SimpleNamespace()
    o.fiche_1a = FicheActionFactory(titre="Fiche 1a")
    o.projet_1 = o.fiche_1a.projet
    o.structure_1 = o.projet_1.structure
    o.axe_1 = o.fiche_1a.axe
    o.enjeu_1 = EnjeuFactory(axe=o.axe_1)
    o.objectif_1 = ObjectifGeneralFactory(enjeu=o.enjeu_1)
    o.fiche_1b = FicheActionFactory(axe=o.axe_1, titre="Fiche 1b")
    o.fiche_2a = FicheActionFactory(titre="Fiche 2a")
    o.projet_2 = o.fiche_2a.projet
    o.structure_2 = o.projet_2.structure
    o.indicateur_1a = IndicateurFactory(fiche=o.fiche_1a)
    AnneeAction.objects.create(fiche=o.fiche_1a, annee=2025)
    FicheObjectif.objects.create(fiche=o.fiche_1a, objectif=o.objectif_1, principal=True)
    ObjectifOperationnel.objects.create(fiche=o.fiche_1a, libelle="Accueillir")
    EtapeEcheancier.objects.create(fiche=o.fiche_1a, libelle="Lancement", periode="Rentrée")
    Moyen.objects.create(fiche=o.fiche_1a, type=Moyen.Type.HUMAIN, libelle="Animatrice")

    o.partenaire_a = PartenaireFactory(structure=o.structure_1, nom="Partenaire A")
    o.partenaire_b = PartenaireFactory(structure=o.structure_2, nom="Partenaire B")
    PartenariatAction.objects.create(fiche=o.fiche_1a, partenaire=o.partenaire_a)
    PartenariatAction.objects.create(fiche=o.fiche_2a, partenaire=o.partenaire_b)
    o.contact_a = ContactPartenaire.objects.create(
        partenaire=o.partenaire_a, nom="Claire Contact", email="claire@partenaire-a.fr"
    )

    o.direction_1 = MembreFactory(structure=o.structure_1, direction=True).user
    o.equipe_1 = MembreFactory(structure=o.structure_1).user
    o.equipe_2 = MembreFactory(structure=o.structure_2).user
    o.compte_partenaire_a = ComptePartenaireFactory(partenaire=o.partenaire_a)
    o.user_partenaire_a = o.compte_partenaire_a.user
    o.user_partenaire_b = ComptePartenaireFactory(partenaire=o.partenaire_b).user
    o.admin = UserFactory(username="admin-instance", is_superuser=True, is_staff=True)
    o.anonyme = AnonymousUser()
    o.utilisateurs = {
        "anonyme": o.anonyme,
        "partenaire_a": o.user_partenaire_a,
        "partenaire_b": o.user_partenaire_b,
        "equipe_1": o.equipe_1,
        "equipe_2": o.equipe_2,
        "direction_1": o.direction_1,
        "admin": o.admin,
    }

    # One row of each kind of the projet's content, for their pages.
    o.section_1 = SectionProjet.objects.create(
        projet=o.projet_1, type=SectionProjet.Type.PREAMBULE, titre="Préambule"
    )
    o.territoire_1 = Territoire.objects.create(structure=o.structure_1, nom="Quartier Nord")
    o.chiffre_1 = ChiffreCle.objects.create(
        territoire=o.territoire_1, libelle="Habitants", valeur=1200
    )
    o.colonne_1 = ColonneChiffres.objects.create(territoire=o.territoire_1, intitule="Ville")
    o.image_1 = ImageSection.objects.create(
        section=o.section_1, image=image_png("carte.png"), texte_alternatif="Carte du quartier"
    )
    o.instance_1 = InstanceGouvernance.objects.create(projet=o.projet_1, nom="Conseil de maison")
    o.ligne_budget_1 = LigneBudget.objects.create(
        projet=o.projet_1,
        annee=2025,
        sens=LigneBudget.Sens.CHARGE,
        libelle="Salaires",
        montant=1000,
    )
    o.sigle_1 = Sigle.objects.create(
        projet=o.projet_1, sigle="QPV", signification="Quartier prioritaire"
    )
    o.export_1 = ExportDossier.objects.create(
        projet=o.projet_1, version="v1", statut=ExportDossier.Statut.TERMINE, pdf=b"%PDF-1.7\n"
    )
    # Rows the Django admin lists too (its change pages are in the matrix).
    Group.objects.create(name="Relecteurs")
    # A failed login from elsewhere (a login of the matrix would clear one from its own address).
    AccessAttempt.objects.create(
        username="intrus",
        ip_address="192.0.2.1",
        user_agent="robot",
        path_info="/comptes/login/",
        failures_since_start=2,
    )
    # (on fiche 1b, so the evaluation entries stay free to create indicateur_1a's results)
    Resultat.objects.create(indicateur=IndicateurFactory(fiche=o.fiche_1b), annee=2026, valeur=3)
    exporter_dossier.enqueue(o.export_1.pk)
    Invitation.creer(o.partenaire_a, o.contact_a.email, o.direction_1)
    CommentairePartenaire.objects.create(
        fiche=o.fiche_1a, partenaire=o.partenaire_a, auteur=o.user_partenaire_a, texte="Présents."
    )
    return o
