"""The partners of a structure (its directory), their contacts and their user accounts."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from projets.models import Structure


class PartenaireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their structures' directory; a partner account sees its own organisation."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(structure__in=Structure.objects.visible_to(user))
            | Q(pk__in=ComptePartenaire.objects.filter(user=user).values("partenaire"))
        )

    def du_user(self, user):
        """The organisations a partner account speaks for."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(comptes__user=user)

    def get_by_natural_key(self, structure_slug, nom):
        return self.get(structure__slug=structure_slug, nom=nom)


class Partenaire(models.Model):
    class Type(models.TextChoices):
        COMMUNE = "commune", "Commune"
        INTERCOMMUNALITE = "intercommunalite", "Intercommunalité"
        CAF = "caf", "CAF"
        DEPARTEMENT = "departement", "Conseil départemental"
        ETAT = "etat", "État / préfecture"
        EDUCATION_NATIONALE = "education_nationale", "Éducation nationale"
        BAILLEUR = "bailleur", "Bailleur social"
        ASSOCIATION_LOCALE = "association_locale", "Association locale"
        ASSOCIATION_NATIONALE = "association_nationale", "Association nationale"
        ENTREPRISE = "entreprise", "Entreprise"
        FONDATION = "fondation", "Fondation"
        AUTRE = "autre", "Autre"

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="partenaires"
    )
    nom = models.CharField("nom", max_length=200)
    sigle = models.CharField("sigle", max_length=30, blank=True)
    type = models.CharField("type", max_length=30, choices=Type.choices, default=Type.AUTRE)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    site_web = models.URLField("site web", blank=True)

    objects = PartenaireQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "nom"],
                name="partenaire_nom_unique_par_structure",
                violation_error_message="Un partenaire de ce nom existe déjà dans l'annuaire.",
            )
        ]

    def __str__(self):
        return f"{self.nom} ({self.sigle})" if self.sigle else self.nom

    def natural_key(self):
        return (self.structure.slug, self.nom)

    natural_key.dependencies = ["projets.structure"]


class ContactPartenaire(models.Model):
    partenaire = models.ForeignKey(
        Partenaire, verbose_name="partenaire", on_delete=models.CASCADE, related_name="contacts"
    )
    nom = models.CharField("nom", max_length=200)
    fonction = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom}, {self.fonction}" if self.fonction else self.nom


class ComptePartenaire(models.Model):
    """Ties a user account to a partner organisation: it then sees that partner's fiches only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="comptes_partenaire",
    )
    partenaire = models.ForeignKey(
        Partenaire, verbose_name="partenaire", on_delete=models.CASCADE, related_name="comptes"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "compte partenaire"
        verbose_name_plural = "comptes partenaires"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partenaire"],
                name="compte_partenaire_unique",
                violation_error_message="Ce compte est déjà rattaché à ce partenaire.",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.partenaire}"
