"""factory_boy factories: one per model the tests create, with the fewest fields set.

A factory fills in only what the model requires (what `full_clean` asks for, and what keeps a row
unique), its parents created when not given; every other field keeps the model's default. Traits
name the usual variants (`MembreFactory(direction=True)`, `ResultatFactory(vide=True)`).
tests/test_factories.py checks that each gives a valid row.
"""

from datetime import date, timedelta

import factory
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import (
    AnneeAction,
    CommentairePartenaire,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    LectureFiche,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from dossier.models import (
    ArchiveDossier,
    ExportDossier,
    PartieRendue,
    RapportActivite,
    ReglagesDossier,
)
from evaluation.models import BilanAction, CibleAnnuelle, FichierBilan, Resultat, StatutBilan
from evaluation.ventilation import (
    CategorieVentilation,
    CibleCategorie,
    TypeVentilation,
    ValeurCategorie,
    Ventilation,
)
from importation.models import Importation
from partenaires.models import (
    ComptePartenaire,
    ContactPartenaire,
    Invitation,
    Partenaire,
)
from projets.invitations import DUREE_INVITATION
from projets.models import (
    Axe,
    ChiffreCle,
    ColonneChiffres,
    Constat,
    Enjeu,
    EtapeRenouvellement,
    Federation,
    ImageSection,
    InstanceGouvernance,
    InvitationMembre,
    LigneBudget,
    Membre,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Structure,
    Territoire,
    ValeurComparee,
)
from projets.models_journal import Consultation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Dupont{n}")
    password = factory.django.Password("motdepasse")

    class Params:
        admin = factory.Trait(is_superuser=True, is_staff=True)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Groupe {n}")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (two-factor authentication)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "app"
    confirmed = True


# projets


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    nom = factory.Sequence(lambda n: f"Centre social n° {n}")


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Membre.Role.EQUIPE

    class Params:
        direction = factory.Trait(role=Membre.Role.DIRECTION)


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire

    structure = factory.SubFactory(StructureFactory)
    nom = factory.Sequence(lambda n: f"Quartier n° {n}")


class ColonneChiffresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ColonneChiffres

    territoire = factory.SubFactory(TerritoireFactory)
    intitule = factory.Sequence(lambda n: f"Comparaison {n}")


class ChiffreCleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChiffreCle

    territoire = factory.SubFactory(TerritoireFactory)
    libelle = "Habitants"
    valeur = 1200


class ValeurCompareeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValeurComparee

    chiffre = factory.SubFactory(ChiffreCleFactory)
    colonne = factory.SubFactory(
        ColonneChiffresFactory, territoire=factory.SelfAttribute("..chiffre.territoire")
    )
    valeur = 30


class ProjetSocialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjetSocial

    structure = factory.SubFactory(StructureFactory)
    titre = "Projet social"
    annee_debut = 2025
    annee_fin = 2028


class SectionProjetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionProjet

    projet = factory.SubFactory(ProjetSocialFactory)
    type = SectionProjet.Type.PREAMBULE


class ImageSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageSection

    section = factory.SubFactory(SectionProjetFactory)
    image = factory.LazyFunction(lambda: image_png())
    texte_alternatif = "Une image"


class InstanceGouvernanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstanceGouvernance

    projet = factory.SubFactory(ProjetSocialFactory)
    nom = factory.Sequence(lambda n: f"Instance n° {n}")


class LigneBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneBudget

    projet = factory.SubFactory(ProjetSocialFactory)
    annee = factory.SelfAttribute("projet.annee_debut")
    sens = LigneBudget.Sens.CHARGE
    libelle = "Salaires"
    montant = 1000

    class Params:
        produit = factory.Trait(sens=LigneBudget.Sens.PRODUIT, libelle="Prestation de service")


class SigleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sigle

    projet = factory.SubFactory(ProjetSocialFactory)
    sigle = factory.Sequence(lambda n: f"S{n}")
    signification = "Un sigle"


class ConstatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constat

    projet = factory.SubFactory(ProjetSocialFactory)
    enonce = factory.Sequence(lambda n: f"Un constat du diagnostic n° {n}")
    source = Constat.Source.STATISTIQUE
    ordre = factory.Sequence(lambda n: n + 1)

    class Params:
        habitants = factory.Trait(source=Constat.Source.HABITANTS)
        partenaires = factory.Trait(source=Constat.Source.PARTENAIRES)


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    projet = factory.SubFactory(ProjetSocialFactory)
    ordre = factory.Sequence(lambda n: n + 1)
    titre = factory.Sequence(lambda n: f"Axe de travail {n}")


class EnjeuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enjeu

    axe = factory.SubFactory(AxeFactory)
    projet = factory.SelfAttribute("axe.projet")
    numero = factory.Sequence(lambda n: n + 1)
    titre = "Un enjeu"


class ObjectifGeneralFactory(factory.django.DjangoModelFactory):
    """An objectif of an enjeu; `enjeu=None, axe=…` for one set on the axe directly."""

    class Meta:
        model = ObjectifGeneral

    enjeu = factory.SubFactory(EnjeuFactory)
    axe = factory.SelfAttribute("enjeu.axe")
    titre = "Un objectif général"


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A line of the consultations log: `objet` someone opened (a fiche by default)."""

    class Meta:
        model = Consultation
        exclude = ["objet"]

    utilisateur = factory.SubFactory(UserFactory)
    page = "actions:detail"
    objet = factory.SubFactory("tests.factories.FicheActionFactory")
    content_type = factory.LazyAttribute(lambda c: ContentType.objects.get_for_model(c.objet))
    objet_id = factory.SelfAttribute("objet.pk")
    libelle = factory.LazyAttribute(lambda c: str(c.objet))


# partenaires


class PartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenaire

    structure = factory.SubFactory(StructureFactory)
    nom = factory.Sequence(lambda n: f"Association n° {n}")
    type = Partenaire.Type.ASSOCIATION_LOCALE


class ContactPartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPartenaire

    partenaire = factory.SubFactory(PartenaireFactory)
    nom = factory.Sequence(lambda n: f"Contact n° {n}")


class ComptePartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComptePartenaire

    user = factory.SubFactory(UserFactory)
    partenaire = factory.SubFactory(PartenaireFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation row; its token is `jeton` (tests that follow the link use
    `Invitation.creer`, which returns it)."""

    class Meta:
        model = Invitation
        exclude = ["jeton"]

    partenaire = factory.SubFactory(PartenaireFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    jeton = factory.Sequence(lambda n: f"jeton-{n}")
    empreinte = factory.LazyAttribute(lambda i: Invitation.empreinte_de(i.jeton))
    invite_par = factory.SubFactory(UserFactory)

    class Params:
        utilisee = factory.Trait(utilisee_le=factory.LazyFunction(timezone.now))
        expiree = factory.Trait(
            cree_le=factory.LazyFunction(lambda: timezone.now() - DUREE_INVITATION - timedelta(1))
        )


class InvitationMembreFactory(factory.django.DjangoModelFactory):
    """An invitation to a structure's team; its token is `jeton` (tests that follow the link
    use `InvitationMembre.creer`, which returns it)."""

    class Meta:
        model = InvitationMembre
        exclude = ["jeton"]

    structure = factory.SubFactory(StructureFactory)
    email = factory.Sequence(lambda n: f"arrivee{n}@exemple.fr")
    jeton = factory.Sequence(lambda n: f"jeton-equipe-{n}")
    empreinte = factory.LazyAttribute(lambda i: InvitationMembre.empreinte_de(i.jeton))
    invite_par = factory.SubFactory(UserFactory)


# actions


class FicheActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FicheAction

    axe = factory.SubFactory(AxeFactory)
    projet = factory.SelfAttribute("axe.projet")
    numero = factory.Sequence(lambda n: n + 1)
    titre = factory.Sequence(lambda n: f"Action {n}")

    class Params:
        terminee = factory.Trait(
            statut=FicheAction.Statut.TERMINEE, motif_fin=FicheAction.MotifFin.OBJECTIFS_ATTEINTS
        )


class FicheObjectifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FicheObjectif

    fiche = factory.SubFactory(FicheActionFactory)
    # An objectif of the fiche's own projet (its axe's).
    objectif = factory.SubFactory(
        ObjectifGeneralFactory, enjeu__axe=factory.SelfAttribute("...fiche.axe")
    )


class AnneeActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnneeAction

    fiche = factory.SubFactory(FicheActionFactory)
    annee = 2025


class ObjectifOperationnelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectifOperationnel

    fiche = factory.SubFactory(FicheActionFactory)
    libelle = "Accueillir"


class EtapeEcheancierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EtapeEcheancier

    fiche = factory.SubFactory(FicheActionFactory)
    libelle = "Lancement"


class MoyenFactory(factory.django.DjangoModelFactory):
    """A human means by default (`quantite`); `financier=True` (`montant`), `materiel=True`."""

    class Meta:
        model = Moyen

    fiche = factory.SubFactory(FicheActionFactory)
    type = Moyen.Type.HUMAIN
    libelle = "Une animatrice"

    class Params:
        financier = factory.Trait(type=Moyen.Type.FINANCIER, libelle="Subvention")
        materiel = factory.Trait(type=Moyen.Type.MATERIEL, libelle="Une salle")


class PartenariatActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartenariatAction

    fiche = factory.SubFactory(FicheActionFactory)
    partenaire = factory.SubFactory(
        PartenaireFactory, structure=factory.SelfAttribute("..fiche.projet.structure")
    )


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    fiche = factory.SubFactory(FicheActionFactory)
    objet = "Fréquentation"
    libelle = "Nombre de participants"
    outil = "Fiches de présence"

    class Params:
        qualitatif = factory.Trait(
            nature=Indicateur.Nature.QUALITATIF,
            libelle="Autonomie ressentie",
            outil="Questionnaire",
        )


class CommentairePartenaireFactory(factory.django.DjangoModelFactory):
    """A partner's comment on a fiche, by one of its accounts."""

    class Meta:
        model = CommentairePartenaire

    fiche = factory.SubFactory(FicheActionFactory)
    partenaire = factory.SubFactory(
        PartenaireFactory, structure=factory.SelfAttribute("..fiche.projet.structure")
    )
    auteur = factory.SubFactory(UserFactory)
    texte = "Nous y serons."


# evaluation


class CibleAnnuelleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CibleAnnuelle

    indicateur = factory.SubFactory(IndicateurFactory)
    annee = 2025
    valeur = 10


class ResultatFactory(factory.django.DjangoModelFactory):
    """A measured value for the whole year 2025; `vide=True` for one marked « non renseigné »."""

    class Meta:
        model = Resultat

    indicateur = factory.SubFactory(IndicateurFactory)
    annee = 2025
    valeur = 12

    class Params:
        vide = factory.Trait(valeur=None, non_renseigne=True)


class VentilationFactory(factory.django.DjangoModelFactory):
    """An indicator broken down by sexe (its categories are made with CategorieVentilationFactory)."""

    class Meta:
        model = Ventilation

    indicateur = factory.SubFactory(IndicateurFactory)
    type = TypeVentilation.SEXE

    class Params:
        taux = factory.Trait(additive=False)


class CategorieVentilationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategorieVentilation

    ventilation = factory.SubFactory(VentilationFactory)
    libelle = factory.Sequence(lambda n: f"Catégorie {n}")
    cible = 10


class CibleCategorieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CibleCategorie

    categorie = factory.SubFactory(CategorieVentilationFactory)
    annee = 2025
    valeur = 5


class ValeurCategorieFactory(factory.django.DjangoModelFactory):
    """A category's value in a result of the same indicator."""

    class Meta:
        model = ValeurCategorie

    categorie = factory.SubFactory(CategorieVentilationFactory)
    resultat = factory.SubFactory(
        ResultatFactory, indicateur=factory.SelfAttribute("..categorie.ventilation.indicateur")
    )
    valeur = 4


class BilanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BilanAction

    fiche = factory.SubFactory(FicheActionFactory)
    annee = 2025

    class Params:
        terminee = factory.Trait(
            statut=StatutBilan.TERMINEE, motif_fin=FicheAction.MotifFin.OBJECTIFS_ATTEINTS
        )
        # Every rubric of the observatory filled, « Autre » with what it stands for.
        observatoire = factory.Trait(
            dimension="citoyennete",
            mots_cles=["solidarite", "autre"],
            precision_mots_cles="Jardinage",
            initiatives=["groupe_habitants", "partenaires"],
            precision_initiative="Le conseil citoyen, avec la ludothèque",
            territoire="autre",
            precision_territoire="Deux quartiers et un hameau voisin",
            publics=["familles"],
            types_partenaires=["conseil_regional", "etat"],
            ressources_financieres="DRAC : 2 500 €",
            montant_ressources=2500,
            salaries=2,
            benevoles=5,
            participants=70,
            personnes_precision="60 à 80 participants",
            resultat_territoire="Un lieu repéré",
            limites="Peu de bénévoles",
            perspectives="Reconduire",
        )


class FichierBilanFactory(factory.django.DjangoModelFactory):
    """A file of a bilan, uploaded as a small PDF unless `fichier` is given."""

    class Meta:
        model = FichierBilan

    bilan = factory.SubFactory(BilanActionFactory)
    fichier = factory.LazyFunction(
        lambda: SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    )


# dossier


class ExportDossierFactory(factory.django.DjangoModelFactory):
    """A dossier export waiting for its worker; `termine=True` for one with its PDF."""

    class Meta:
        model = ExportDossier

    projet = factory.SubFactory(ProjetSocialFactory)
    version = "v1"

    class Params:
        termine = factory.Trait(statut=ExportDossier.Statut.TERMINE, pdf=b"%PDF-1.7\n")


class RapportActiviteFactory(factory.django.DjangoModelFactory):
    """A year's rapport d'activité waiting for its worker; `termine=True` for one with its PDF."""

    class Meta:
        model = RapportActivite

    projet = factory.SubFactory(ProjetSocialFactory)
    annee = factory.LazyAttribute(lambda r: r.projet.annee_debut)
    version = "v1"

    class Params:
        termine = factory.Trait(statut=RapportActivite.Statut.TERMINE, pdf=b"%PDF-1.7\n", pages=1)


class ArchiveDossierFactory(factory.django.DjangoModelFactory):
    """A dossier sent to the CAF, its PDF waiting for the worker; `termine=True` with its PDF."""

    class Meta:
        model = ArchiveDossier

    projet = factory.SubFactory(ProjetSocialFactory)
    statut_projet = ProjetSocial.Statut.SOUMIS
    html = "<html><body><h1>Dossier</h1></body></html>"
    plan = factory.LazyFunction(lambda: {"version": 1, "fiches": []})
    version = "v1"

    class Params:
        termine = factory.Trait(statut=ArchiveDossier.Statut.TERMINE, pdf=b"%PDF-1.7\n", pages=1)


class PartieRendueFactory(factory.django.DjangoModelFactory):
    """A part of a dossier rendered and kept by its digest (dossier/assemblage.py)."""

    class Meta:
        model = PartieRendue

    empreinte = factory.Sequence(lambda n: f"{n:064x}")
    pdf = PDF
    pages = 1
    octets = len(PDF)
    details = factory.LazyFunction(lambda: {"hauteurs": [842.0], "signets": [], "ancres": {}})


class ReglagesDossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReglagesDossier

    projet = factory.SubFactory(ProjetSocialFactory)

    class Params:
        avec_evaluation = factory.Trait(chapitre_evaluation=True)


# django-axes: the login traces


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    username = factory.Sequence(lambda n: f"personne{n}")
    ip_address = "192.0.2.1"


class AccessAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttempt

    username = factory.Sequence(lambda n: f"personne{n}")
    ip_address = "192.0.2.1"
    failures_since_start = 1


class AccessAttemptExpirationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessAttemptExpiration

    access_attempt = factory.SubFactory(AccessAttemptFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))


class AccessFailureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessFailureLog

    username = factory.Sequence(lambda n: f"personne{n}")
    ip_address = "192.0.2.1"


def image_png(nom="image.png", largeur=40, hauteur=30, couleur=(31, 78, 121), format_="PNG"):
    """An uploaded image of the given size (PNG, or JPEG with format_="JPEG")."""
    from io import BytesIO

    from PIL import Image

    tampon = BytesIO()
    Image.new("RGB", (largeur, hauteur), couleur).save(tampon, format=format_)
    type_mime = "image/png" if format_ == "PNG" else "image/jpeg"
    return SimpleUploadedFile(nom, tampon.getvalue(), content_type=type_mime)


# importation


class ImportationFactory(factory.django.DjangoModelFactory):
    """A document uploaded for import, not read yet (`importation.lire()` reads it)."""

    class Meta:
        model = Importation

    structure = factory.SubFactory(StructureFactory)
    auteur = factory.SubFactory(UserFactory)
    nom_fichier = "projet.md"
    contenu = b"# Projet social\n\n## Axe 1 : Accueillir\n"
    taille = factory.LazyAttribute(lambda i: len(i.contenu))


class EtapeRenouvellementFactory(factory.django.DjangoModelFactory):
    """A step of the renewal's timeline, dated by the direction."""

    class Meta:
        model = EtapeRenouvellement

    projet = factory.SubFactory(ProjetSocialFactory, statut=ProjetSocial.Statut.AGREE)
    etape = EtapeRenouvellement.Etape.ENJEUX
    date = factory.LazyAttribute(lambda o: date(o.projet.annee_fin, 6, 30))


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    nom = factory.Sequence(lambda n: f"Fédération {n}")


class LectureFicheFactory(factory.django.DjangoModelFactory):
    """When a person last opened a fiche (the partners' comments since are unread)."""

    class Meta:
        model = LectureFiche

    user = factory.SubFactory(UserFactory)
    fiche = factory.SubFactory(FicheActionFactory)
    lue_le = factory.LazyFunction(timezone.now)
