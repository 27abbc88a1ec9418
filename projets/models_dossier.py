"""The exported dossier PDF, kept with the content version it was made from.

A projet's content version is the id of the latest change recorded in its history
(django-auditlog: every content model names its projet in `additional_data`), plus a digest
of the print templates: an export is reused until one of them changes.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# Past this delay without news from the worker, a waiting or running export is shown as
# failed, so that the user can start it again.
DELAI_SANS_NOUVELLES = timedelta(minutes=10)


class ExportDossierQuerySet(models.QuerySet):
    def du_projet(self, projet):
        return self.filter(projet=projet)

    def sans_pdf(self):
        return self.defer("pdf")


class ExportDossier(models.Model):
    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec"

    projet = models.ForeignKey(
        "projets.ProjetSocial",
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="exports_dossier",
    )
    version = models.CharField("version du contenu", max_length=60)
    statut = models.CharField(
        "statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE
    )
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    etape = models.CharField("étape", max_length=200, blank=True)
    erreur = models.TextField("raison de l'échec", blank=True)
    pdf = models.BinaryField("PDF", null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField("pages", null=True, blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    demande_le = models.DateTimeField("demandé le", auto_now_add=True)
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ExportDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "export du dossier"
        verbose_name_plural = "exports du dossier"
        ordering = ["-demande_le", "-pk"]

    def __str__(self):
        return f"Dossier {self.projet_id} · {self.get_statut_display()} · {self.demande_le:%d/%m/%Y %H:%M}"

    @property
    def en_cours(self):
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)

    @property
    def sans_nouvelles(self):
        """A worker that died or was never started leaves an export waiting forever."""
        return self.en_cours and timezone.now() - self.mis_a_jour_le > DELAI_SANS_NOUVELLES

    @property
    def nom_fichier(self):
        projet = self.projet
        return (
            f"dossier-agrement-{projet.structure.slug}-{projet.annee_debut}-{projet.annee_fin}.pdf"
        )

    def avancer(self, progression, etape):
        """Record the progress; called often during the render, written at most once a second."""
        maintenant = timezone.now()
        if (
            self.statut == self.Statut.EN_COURS
            and progression < 100
            and maintenant - self.mis_a_jour_le < timedelta(seconds=1)
        ):
            return
        self.statut = self.Statut.EN_COURS
        self.progression = max(self.progression, min(int(progression), 99))
        self.etape = etape[:200]
        self.save(update_fields=["statut", "progression", "etape", "mis_a_jour_le"])

    def terminer(self, pdf, pages):
        self.statut = self.Statut.TERMINE
        self.pdf, self.pages = pdf, pages
        self.progression, self.etape, self.erreur = 100, "Terminé", ""
        self.termine_le = timezone.now()
        self.save()
        # Older files of this projet are no longer needed once a newer one exists.
        ExportDossier.objects.filter(projet_id=self.projet_id, pk__lt=self.pk).exclude(
            statut__in=[self.Statut.EN_ATTENTE, self.Statut.EN_COURS]
        ).delete()

    def echouer(self, raison):
        self.statut = self.Statut.ECHEC
        self.erreur = raison
        self.etape = "Échec"
        self.termine_le = timezone.now()
        self.save(update_fields=["statut", "erreur", "etape", "termine_le", "mis_a_jour_le"])
