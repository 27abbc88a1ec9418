"""The world most tests start from (the `monde` fixture of tests/conftest.py)."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from dossier.taches import exporter_dossier
from partenaires.models import Invitation
from projets.models import SectionProjet
from tests.factories import (
    AccessAttemptFactory,
    AnneeActionFactory,
    ChiffreCleFactory,
    ColonneChiffresFactory,
    CommentairePartenaireFactory,
    ComptePartenaireFactory,
    ContactPartenaireFactory,
    EnjeuFactory,
    EtapeEcheancierFactory,
    ExportDossierFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    GroupFactory,
    ImageSectionFactory,
    IndicateurFactory,
    InstanceGouvernanceFactory,
    LigneBudgetFactory,
    MembreFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
    ObjectifOperationnelFactory,
    PartenariatActionFactory,
    ResultatFactory,
    SectionProjetFactory,
    SigleFactory,
    TerritoireFactory,
    UserFactory,
    image_png,
)


def construire_monde():
    """The world most tests start from: two structures, and one person of every role.

    Objects: structure_1 and its projet_1, with axe_1 holding fiche_1a and fiche_1b; structure_2
    and its projet_2 with fiche_2a. Partner A (`partenaire_a`, « Mission locale », of structure 1)
    takes part in fiche 1a only, partner B (`partenaire_b`, « Bailleur B », of structure 2) in
    fiche 2a only; each has a contact (`contact_a` Claire Martin, `contact_b` Bruno Secret) and
    an account (`compte_partenaire_a` is partner A's ComptePartenaire row).

    Users: direction_1, equipe_1 (structure 1), equipe_2 (structure 2), user_partenaire_a,
    user_partenaire_b (the partners' accounts: `partenaire_a` is the organisation), admin (the
    instance's superuser), sans_role (logged in, member of nothing), anonyme. `utilisateurs`
    maps each role of the permission matrix to its user.

    The permission matrix's world `o` (tests/permissions/conftest.py) adds a row of every kind
    its pages open.
    """
    m = SimpleNamespace()
    m.fiche_1a = FicheActionFactory(titre="Fiche 1a")
    m.axe_1 = m.fiche_1a.axe
    m.projet_1 = m.fiche_1a.projet
    m.structure_1 = m.projet_1.structure
    m.fiche_1b = FicheActionFactory(axe=m.axe_1, titre="Fiche 1b")
    m.fiche_2a = FicheActionFactory(titre="Fiche 2a")
    m.projet_2 = m.fiche_2a.projet
    m.structure_2 = m.projet_2.structure

    m.partenaire_a = PartenariatActionFactory(
        fiche=m.fiche_1a, partenaire__nom="Mission locale"
    ).partenaire
    m.partenaire_b = PartenariatActionFactory(
        fiche=m.fiche_2a, partenaire__nom="Bailleur B"
    ).partenaire
    m.contact_a = ContactPartenaireFactory(
        partenaire=m.partenaire_a, nom="Claire Martin", email="claire@mission-locale.fr"
    )
    m.contact_b = ContactPartenaireFactory(
        partenaire=m.partenaire_b, nom="Bruno Secret", email="bruno@bailleur-b.fr"
    )

    m.direction_1 = MembreFactory(structure=m.structure_1, direction=True).user
    m.equipe_1 = MembreFactory(structure=m.structure_1).user
    m.equipe_2 = MembreFactory(structure=m.structure_2).user
    m.compte_partenaire_a = ComptePartenaireFactory(partenaire=m.partenaire_a)
    m.user_partenaire_a = m.compte_partenaire_a.user
    m.user_partenaire_b = ComptePartenaireFactory(partenaire=m.partenaire_b).user
    m.admin = UserFactory(username="admin-instance", admin=True)
    m.sans_role = UserFactory(username="sans-role")
    m.anonyme = AnonymousUser()
    m.utilisateurs = {
        "anonyme": m.anonyme,
        "partenaire_a": m.user_partenaire_a,
        "partenaire_b": m.user_partenaire_b,
        "equipe_1": m.equipe_1,
        "equipe_2": m.equipe_2,
        "direction_1": m.direction_1,
        "admin": m.admin,
    }
    return m


def completer_monde(o):
    """The world `monde`, with a row of every kind the permission matrix's pages open (see
    tests/permissions/conftest.py), and that the migrations must keep (tests/test_migrations.py)."""
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
