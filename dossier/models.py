"""The exported PDFs (the dossier d'agrément, the yearly rapport d'activité), each kept with the
content version it was made from, and the projet's choices for its dossier.

A document's content version is a digest of its HTML (exactly what it prints) and of its layout
(`dossier.rendu.version_de`): an export is reused until one of them changes. A finished export
keeps the version of the HTML it rendered.

While a worker renders an export, it writes a heartbeat on the row every few seconds
(`battement_le`, see `dossier.taches`): a running export whose heartbeat is older than
`EXPORT_DOSSIER_DELAI_BATTEMENT` seconds lost its worker (killed, out of memory, server
restarted). It is shown as interrupted at once, and resumed by the next worker.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from projets.models import ProjetSocial

# Past this delay without progress, a waiting or running export is shown as stuck (no worker
# takes it, or its render hangs), so that the user can start it again. A dead worker is noticed
# sooner, by its heartbeat.
DELAI_SANS_NOUVELLES = timedelta(minutes=10)
# A dossier that kills its worker every time (out of memory) is not resumed forever.
TENTATIVES_MAX = 3


def delai_battement():
    """How long a running export may go without a heartbeat before its worker is taken as dead."""
    return timedelta(seconds=getattr(settings, "EXPORT_DOSSIER_DELAI_BATTEMENT", 30))


class TentativeRemplacee(Exception):
    """This render no longer owns its export: it was resumed elsewhere after its worker was
    taken as dead, replaced by a newer export, or deleted. Its results are dropped (a deleted
    export is not written back)."""


class ExportQuerySet(models.QuerySet):
    def du_projet(self, projet):
        return self.filter(projet=projet)

    def sans_pdf(self):
        return self.defer("pdf")

    def interrompus(self):
        """Started by a worker that has stopped writing its heartbeat."""
        limite = timezone.now() - delai_battement()
        return self.alias(signe=Coalesce("battement_le", "mis_a_jour_le")).filter(
            statut=StatutExport.EN_COURS, signe__lt=limite
        )


class StatutExport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec"


class ExportPDF(models.Model):
    """A PDF rendered by a worker, with its progress, its heartbeat and its file. What it prints
    (`meme_document`, `nom_fichier`) is its subclass's."""

    Statut = StatutExport

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
    battement_le = models.DateTimeField(
        "dernier signe de vie du travailleur", null=True, blank=True, editable=False
    )
    tentatives = models.PositiveSmallIntegerField("rendus commencés", default=0, editable=False)

    objects = ExportQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-demande_le", "-pk"]

    def meme_document(self):
        """The exports of the same document (older and newer files of it)."""
        raise NotImplementedError

    @property
    def en_cours(self):
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)

    @property
    def sans_nouvelles(self):
        """No news for too long: no worker takes the job, or the render is stuck (its heartbeat
        may still beat: the worker is alive)."""
        return self.en_cours and timezone.now() - self.mis_a_jour_le > DELAI_SANS_NOUVELLES

    @property
    def interrompu(self):
        """Its worker died during the render (the rule of `ExportQuerySet.interrompus()`)."""
        signe = self.battement_le or self.mis_a_jour_le
        return self.statut == self.Statut.EN_COURS and signe < timezone.now() - delai_battement()

    def commencer(self):
        """A worker takes the export: a new render, whose heartbeat starts now."""
        maintenant = timezone.now()
        self.statut = self.Statut.EN_COURS
        self.tentatives += 1
        self.progression, self.etape, self.erreur = 1, "Démarrage de l'export", ""
        self.battement_le = maintenant
        self.save(
            update_fields=[
                "statut",
                "tentatives",
                "progression",
                "etape",
                "erreur",
                "battement_le",
                "mis_a_jour_le",
            ]
        )

    def _ecrire(self, **champs):
        """Write the fields if this render still owns the export (it is running, and no other
        render started since this one: see `TentativeRemplacee`)."""
        champs.setdefault("mis_a_jour_le", timezone.now())
        ecrites = (
            type(self)
            .objects.filter(pk=self.pk, statut=self.Statut.EN_COURS, tentatives=self.tentatives)
            .update(**champs)
        )
        if not ecrites:
            raise TentativeRemplacee(f"L'export {self.pk} a été repris ou remplacé.")
        for nom, valeur in champs.items():
            setattr(self, nom, valeur)

    def battre(self):
        """The heartbeat: this render is alive. Written from the worker's heartbeat thread."""
        type(self).objects.filter(
            pk=self.pk, statut=self.Statut.EN_COURS, tentatives=self.tentatives
        ).update(battement_le=timezone.now())

    def avancer(self, progression, etape):
        """Record the progress; called often during the render, written at most once a second."""
        maintenant = timezone.now()
        if progression < 100 and maintenant - self.mis_a_jour_le < timedelta(seconds=1):
            return
        self._ecrire(
            progression=max(self.progression, min(int(progression), 99)),
            etape=etape[:200],
            battement_le=maintenant,
            mis_a_jour_le=maintenant,
        )

    def terminer(self, pdf, pages, version=""):
        """The file is made. `version`: that of the HTML rendered, which may be newer than the
        one asked for (an edit made while the export waited): the export says what it holds."""
        self._ecrire(
            **({"version": version} if version else {}),
            statut=self.Statut.TERMINE,
            pdf=pdf,
            pages=pages,
            progression=100,
            etape="Terminé",
            erreur="",
            termine_le=timezone.now(),
        )
        # Older files of this document are no longer needed once a newer one exists.
        self.meme_document().filter(pk__lt=self.pk).exclude(
            statut__in=[self.Statut.EN_ATTENTE, self.Statut.EN_COURS]
        ).delete()

    def echouer(self, raison):
        self._ecrire(
            statut=self.Statut.ECHEC, erreur=raison, etape="Échec", termine_le=timezone.now()
        )

    def reprendre(self):
        """Back in the queue after its worker died (the caller holds the row's lock)."""
        self.statut = self.Statut.EN_ATTENTE
        self.progression, self.etape = 0, "Reprise après l'arrêt du service d'export"
        self.save(update_fields=["statut", "progression", "etape", "mis_a_jour_le"])

    def abandonner(self, raison):
        """Failed for a reason outside the render (the caller holds the row's lock)."""
        self.statut = self.Statut.ECHEC
        self.erreur, self.etape, self.termine_le = raison, "Échec", timezone.now()
        self.save(update_fields=["statut", "erreur", "etape", "termine_le", "mis_a_jour_le"])


class ExportDossier(ExportPDF):
    """The dossier de demande d'agrément of a projet."""

    document = "dossier"  # how its messages and its watchdog name it
    projet = models.ForeignKey(
        "projets.ProjetSocial",
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="exports_dossier",
    )

    class Meta(ExportPDF.Meta):
        # The table of the days when exports were part of `projets` (moved without copying rows).
        db_table = "projets_exportdossier"
        verbose_name = "export du dossier"
        verbose_name_plural = "exports du dossier"

    def __str__(self):
        return f"Dossier {self.projet_id} · {self.get_statut_display()} · {self.demande_le:%d/%m/%Y %H:%M}"

    def meme_document(self):
        return ExportDossier.objects.filter(projet_id=self.projet_id)

    @property
    def nom_fichier(self):
        projet = self.projet
        return (
            f"dossier-agrement-{projet.structure.slug}-{projet.annee_debut}-{projet.annee_fin}.pdf"
        )


class RapportActiviteQuerySet(ExportQuerySet):
    def de_l_annee(self, annee):
        return self.filter(annee=annee)


class RapportActivite(ExportPDF):
    """The rapport d'activité of one year of a projet, presented to the assemblée générale: per
    axe, the actions with their statut, participants, indicators against targets and bilans."""

    document = "rapport"
    projet = models.ForeignKey(
        "projets.ProjetSocial",
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="rapports_activite",
    )
    annee = models.PositiveSmallIntegerField("année")

    objects = RapportActiviteQuerySet.as_manager()

    class Meta(ExportPDF.Meta):
        verbose_name = "rapport d'activité"
        verbose_name_plural = "rapports d'activité"

    def __str__(self):
        return (
            f"Rapport {self.annee} du projet {self.projet_id} · {self.get_statut_display()} · "
            f"{self.demande_le:%d/%m/%Y %H:%M}"
        )

    def meme_document(self):
        return RapportActivite.objects.filter(projet_id=self.projet_id, annee=self.annee)

    @property
    def nom_fichier(self):
        return f"rapport-activite-{self.projet.structure.slug}-{self.annee}.pdf"


class ReglagesDossier(models.Model):
    """What the direction chose to put in the dossier beyond what the CAF asks for."""

    projet = models.OneToOneField(
        "projets.ProjetSocial",
        verbose_name="projet social",
        on_delete=models.CASCADE,
        related_name="reglages_dossier",
    )
    chapitre_evaluation = models.BooleanField(
        "chapitre d'évaluation",
        default=False,
        help_text="Les résultats des indicateurs face à leurs cibles et les bilans annuels, "
        "par axe.",
    )

    class Meta:
        verbose_name = "réglages du dossier"
        verbose_name_plural = "réglages des dossiers"

    def __str__(self):
        return f"Réglages du dossier du projet {self.projet_id}"

    @classmethod
    def du_projet(cls, projet):
        """The projet's choices, the defaults when it never made any (nothing is written)."""
        return cls.objects.filter(projet=projet).first() or cls(projet=projet)


class ArchiveDossierQuerySet(ExportQuerySet):
    def plans_figes(self):
        """The archives that carry the plan of their moment, the latest first."""
        return self.sans_pdf().defer("html").exclude(plan={})


class ArchiveDossier(ExportPDF):
    """The dossier as it was when the projet went to « soumis à la CAF » or « agréé », kept for
    good: a later export never deletes it (each archive is a document of its own).

    What it prints (`html`) and the plan of that moment (`plan`, see `dossier.instantane`) are
    frozen in the transaction of the statut change; the PDF is rendered from `html` in the
    background, and a failed render is started again from it, nothing lost.

    A legal record (what the CAF received): listed in a person's GDPR export when they asked
    for it, but not deleted when the person is anonymised (`centresocial.exploitation.rgpd`);
    `demande_par` is the account, anonymised with the rest. Its projet cannot be deleted while
    it exists (PROTECT): the administrator deletes the archives first, knowingly."""

    document = "archive"
    projet = models.ForeignKey(
        "projets.ProjetSocial",
        verbose_name="projet social",
        on_delete=models.PROTECT,
        related_name="archives_dossier",
    )
    statut_projet = models.CharField(
        "statut du projet", max_length=20, choices=ProjetSocial.Statut.choices
    )
    html = models.TextField("HTML du dossier", editable=False)
    plan = models.JSONField("plan du projet à ce moment", default=dict, editable=False)

    objects = ArchiveDossierQuerySet.as_manager()

    class Meta(ExportPDF.Meta):
        verbose_name = "dossier transmis"
        verbose_name_plural = "dossiers transmis"

    def __str__(self):
        return f"Dossier {self.projet_id} transmis · {self.statut_projet} · {self.demande_le:%d/%m/%Y %H:%M}"

    def meme_document(self):
        return ArchiveDossier.objects.filter(pk=self.pk)

    @property
    def nom_fichier(self):
        projet = self.projet
        return (
            f"dossier-agrement-{projet.structure.slug}-{projet.annee_debut}-{projet.annee_fin}"
            f"-{self.statut_projet}-{self.demande_le:%Y-%m-%d}.pdf"
        )


class PartieRendueQuerySet(models.QuerySet):
    def inutilisees(self, depuis):
        """The parts no export used since `depuis` (their dossier changed, or is gone)."""
        return self.filter(utilisee_le__lt=depuis)


class PartieRendue(models.Model):
    """The PDF of one part of a dossier (the cover and sommaire, a chapter, a fiche, the page
    numbers), kept by a digest of exactly what it prints (`dossier.assemblage`): a dossier is
    assembled from these, and only the parts whose digest changed are rendered again. In the
    database, so that every server and worker shares them."""

    empreinte = models.CharField("empreinte", max_length=64, unique=True)
    # The digest of the part's HTML without its page numbers: the parts that print page numbers
    # (the sommaire…) start from the layout of their previous render.
    gabarit = models.CharField("gabarit", max_length=64, db_index=True, blank=True)
    pdf = models.BinaryField("PDF")
    pages = models.PositiveIntegerField("pages")
    octets = models.PositiveIntegerField("octets")
    # What the assembly needs without opening the PDF: the pages' heights, bookmarks and anchors.
    details = models.JSONField("détails", default=dict)
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    utilisee_le = models.DateTimeField("utilisée le", default=timezone.now, db_index=True)

    objects = PartieRendueQuerySet.as_manager()

    class Meta:
        verbose_name = "partie rendue du dossier"
        verbose_name_plural = "parties rendues du dossier"

    def __str__(self):
        return f"{self.empreinte[:12]} ({self.pages} p.)"
