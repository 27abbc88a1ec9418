"""The partners of a structure (its directory), their contacts, their user accounts (given by
invitation), and the comments partner accounts leave on their fiches."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from centresocial.lib.portee import PorteeQuerySet
from projets.invitations import Invitation as JetonInvitation
from projets.models import Structure


class PartenaireQuerySet(PorteeQuerySet):
    def visible_to(self, user):
        """Staff see their structures' directory; a partner account sees its own organisation."""
        return self.portee(
            user,
            lambda partenaires, u: partenaires.filter(
                Q(structure__in=Structure.objects.visible_to(u))
                | Q(pk__in=ComptePartenaire.objects.filter(user=u).values("partenaire"))
            ),
        )

    def de_l_annuaire(self, user):
        """The directory a staff member works with: the partners of their own structures."""
        return self.filter(structure__in=Structure.objects.visible_to(user))

    def geres_par(self, user):
        """Partners whose accounts the user manages: direction of the structure, or an admin."""
        return self.filter(structure__in=Structure.objects.dirigees_par(user))

    def du_user(self, user):
        """The organisations a partner account speaks for (an admin speaks for none)."""
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
        # « Les parents », « les habitants du quartier »: people taking part as a group.
        COLLECTIF = "collectif", "Collectif d'habitants, groupe de personnes"
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

    def fusionner_dans(self, garde):
        """Merge this duplicate into `garde` (same structure) and delete it.

        Its links to fiches, contacts, accounts, invitations and comments move to `garde`. On a
        fiche where both were partners, `garde`'s link stays (the duplicate's contribution is
        appended to it), since a fiche names a partner only once.
        """
        if garde.pk == self.pk:
            raise ValidationError("Choisissez un autre partenaire que celui-ci.")
        if garde.structure_id != self.structure_id:
            raise ValidationError("Les deux partenaires doivent être dans le même annuaire.")
        with transaction.atomic():
            liens_garde = {lien.fiche_id: lien for lien in garde.partenariats.all()}
            for lien in self.partenariats.all():
                existant = liens_garde.get(lien.fiche_id)
                if existant is None:
                    lien.partenaire = garde
                    lien.save()
                    continue
                if lien.contribution and lien.contribution not in existant.contribution:
                    existant.contribution = "\n".join(
                        t for t in [existant.contribution, lien.contribution] if t
                    )
                    existant.save()
                lien.delete()
            self.contacts.update(partenaire=garde)
            deja = garde.comptes.values("user")
            self.comptes.filter(user__in=deja).delete()
            self.comptes.update(partenaire=garde)
            self.invitations.update(partenaire=garde)
            for commentaire in self.commentaires.all():
                commentaire.partenaire = garde
                commentaire.save()
            self.delete()
        return garde


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
    # The account's last login before this one: « ce qui a changé depuis votre dernière
    # visite » reads from it (set at each login, the previous value kept in the session).
    derniere_visite = models.DateTimeField("dernière visite", null=True, blank=True)
    resume_hebdo = models.BooleanField(
        "recevoir le résumé de la semaine par e-mail",
        default=False,
        help_text="Chaque lundi, ce qui a changé dans les actions de ce partenaire.",
    )
    resume_envoye_le = models.DateTimeField("dernier résumé envoyé le", null=True, blank=True)

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


class Invitation(JetonInvitation):
    """An e-mailed link that turns a partner's contact into a partner account
    (projets/invitations.py)."""

    partenaire = models.ForeignKey(
        Partenaire, verbose_name="partenaire", on_delete=models.CASCADE, related_name="invitations"
    )

    class Meta(JetonInvitation.Meta):
        verbose_name = "invitation"
        verbose_name_plural = "invitations"

    def __str__(self):
        return f"{self.email} → {self.partenaire}"

    @classmethod
    def creer(cls, partenaire, email, invite_par):
        """A new invitation and its token (to put in the link; it is not stored)."""
        return cls.nouvelle(email, invite_par, partenaire=partenaire)

    def rattacher(self, user):
        ComptePartenaire.objects.get_or_create(user=user, partenaire=self.partenaire)
