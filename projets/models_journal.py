"""The access log: who viewed which fiche and which partner's data, kept 12 months.

Written by `projets.journal.noter_consultation`, purged by `manage.py
purger_consultations`; only shown in the Django admin.
"""

import calendar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

DUREE_CONSERVATION_MOIS = 12


class ConsultationQuerySet(models.QuerySet):
    def anterieures_a(self, mois):
        """Entries older than `mois` calendar months."""
        return self.filter(le__lt=il_y_a(mois))


def il_y_a(mois):
    """Now minus `mois` calendar months (the 31st falls back to the month's last day)."""
    maintenant = timezone.now()
    annees, index = divmod(maintenant.month - 1 - mois, 12)
    annee, mois_cible = maintenant.year + annees, index + 1
    jour = min(maintenant.day, calendar.monthrange(annee, mois_cible)[1])
    return maintenant.replace(year=annee, month=mois_cible, day=jour)


class Consultation(models.Model):
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    le = models.DateTimeField("consulté le", default=timezone.now, db_index=True)
    page = models.CharField("page", max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name="type d'objet", on_delete=models.CASCADE, related_name="+"
    )
    objet_id = models.PositiveBigIntegerField("identifiant de l'objet")
    objet = GenericForeignKey("content_type", "objet_id")
    libelle = models.CharField("objet consulté", max_length=255)
    structure = models.ForeignKey(
        "projets.Structure",
        verbose_name="structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation"
        verbose_name_plural = "journal des consultations"
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["content_type", "objet_id"], name="consultation_objet")]

    def __str__(self):
        return f"{self.utilisateur} · {self.libelle} · {self.le:%d/%m/%Y %H:%M}"
