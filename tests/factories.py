import factory
from django.contrib.auth import get_user_model

from actions.models import AnneeAction, FicheAction, FicheObjectif, Indicateur, PartenariatAction
from partenaires.models import ComptePartenaire, Partenaire
from projets.models import Axe, Enjeu, Membre, ObjectifGeneral, ProjetSocial, Structure


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"personne{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Dupont{n}")
    password = factory.django.Password("motdepasse")


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


class ProjetSocialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjetSocial

    structure = factory.SubFactory(StructureFactory)
    titre = "Projet social"
    annee_debut = 2025
    annee_fin = 2028


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
    class Meta:
        model = ObjectifGeneral

    enjeu = factory.SubFactory(EnjeuFactory)
    axe = factory.SelfAttribute("enjeu.axe")
    titre = "Un objectif général"


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
    objectif = factory.SubFactory(ObjectifGeneralFactory)


class AnneeActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnneeAction

    fiche = factory.SubFactory(FicheActionFactory)
    annee = 2025


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur

    fiche = factory.SubFactory(FicheActionFactory)
    objet = "Fréquentation"
    libelle = "Nombre de participants"
    outil = "Fiches de présence"


class PartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partenaire

    structure = factory.SubFactory(StructureFactory)
    nom = factory.Sequence(lambda n: f"Association n° {n}")
    type = Partenaire.Type.ASSOCIATION_LOCALE


class PartenariatActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartenariatAction

    fiche = factory.SubFactory(FicheActionFactory)
    partenaire = factory.SubFactory(
        PartenaireFactory, structure=factory.SelfAttribute("..fiche.projet.structure")
    )


class ComptePartenaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComptePartenaire

    user = factory.SubFactory(UserFactory)
    partenaire = factory.SubFactory(PartenaireFactory)


def image_png(nom="image.png", largeur=40, hauteur=30, couleur=(31, 78, 121), format_="PNG"):
    """An uploaded image of the given size (PNG, or JPEG with format_="JPEG")."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    tampon = BytesIO()
    Image.new("RGB", (largeur, hauteur), couleur).save(tampon, format=format_)
    type_mime = "image/png" if format_ == "PNG" else "image/jpeg"
    return SimpleUploadedFile(nom, tampon.getvalue(), content_type=type_mime)
