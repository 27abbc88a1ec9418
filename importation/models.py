"""An import in progress: the uploaded file, its reading (in the background for a large one),
the proposition to review, and the projet it became once confirmed.

Its life: `EN_ATTENTE` (uploaded) → `EN_COURS` (being read, `progression` and `etape` say how
far) → `A_VERIFIER` (the proposition is ready: the review page edits it with the functions of
`importation.proposition` and saves it with `enregistrer`) → `CREE` (`confirmer` wrote the
brouillon projet); or `ECHEC` with the French reason in `erreur`.
"""

from django.conf import settings
from django.db import models, transaction

from projets.models import ProjetSocial, Structure

from .erreurs import ImportImpossible


class ImportationQuerySet(models.QuerySet):
    def pilotables_par(self, user):
        """The imports a user may follow, review and confirm: those of the structures they
        direct (every one for an admin) — the one rule of « creates a projet »."""
        return self.filter(structure__in=Structure.objects.dirigees_par(user))


class Importation(models.Model):
    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente de lecture"
        EN_COURS = "en_cours", "Lecture en cours"
        A_VERIFIER = "a_verifier", "À vérifier"
        CREE = "cree", "Projet créé"
        ECHEC = "echec", "Échec"

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="importations"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nom_fichier = models.CharField("fichier", max_length=255)
    contenu = models.BinaryField("contenu du fichier", null=True, blank=True, editable=False)
    taille = models.PositiveIntegerField("taille (octets)", default=0)
    statut = models.CharField(
        "statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE
    )
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    etape = models.CharField("étape", max_length=200, blank=True)
    erreur = models.TextField("raison de l'échec", blank=True)
    proposition = models.JSONField("proposition", null=True, blank=True, editable=False)
    projet = models.ForeignKey(
        ProjetSocial,
        verbose_name="projet créé",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField("déposé le", auto_now_add=True)
    mis_a_jour_le = models.DateTimeField("mis à jour le", auto_now=True)

    objects = ImportationQuerySet.as_manager()

    class Meta:
        verbose_name = "import d'un projet social"
        verbose_name_plural = "imports de projets sociaux"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"{self.nom_fichier} · {self.get_statut_display()}"

    @classmethod
    def deposer(cls, structure, auteur, nom_fichier, contenu):
        """A new import of `contenu` (bytes), waiting to be read. Too big a file is refused
        at once (ImportImpossible), before anything is stored."""
        from .erreurs import TAILLE_MAX, FichierTropGros

        if len(contenu) > TAILLE_MAX:
            raise FichierTropGros()
        return cls.objects.create(
            structure=structure,
            auteur=auteur,
            nom_fichier=nom_fichier,
            contenu=contenu,
            taille=len(contenu),
        )

    def lancer(self):
        """Read it in the background (`importation.taches.lire_importation`)."""
        from .taches import lire_importation

        lire_importation.enqueue(self.pk)

    def avancer(self, progression, etape):
        Importation.objects.filter(pk=self.pk).update(progression=progression, etape=etape)
        self.progression, self.etape = progression, etape

    def lire(self):
        """Read the file and store its proposition (or the reason it cannot be read)."""
        from .analyse import analyser

        self.statut, self.progression, self.etape, self.erreur = self.Statut.EN_COURS, 1, "", ""
        self.save(update_fields=["statut", "progression", "etape", "erreur", "mis_a_jour_le"])
        try:
            proposition = analyser(
                bytes(self.contenu or b""), self.nom_fichier, self.structure, self.avancer
            )
        except ImportImpossible as erreur:
            self.statut, self.erreur = self.Statut.ECHEC, str(erreur)
            self.save(update_fields=["statut", "erreur", "mis_a_jour_le"])
            return None
        self.proposition = proposition.en_dict()
        self.statut, self.progression = self.Statut.A_VERIFIER, 100
        self.save(update_fields=["proposition", "statut", "progression", "mis_a_jour_le"])
        return proposition

    def lire_proposition(self):
        from .proposition import Proposition

        return Proposition.depuis(self.proposition) if self.proposition else None

    def enregistrer(self, proposition):
        """Keep the reviewed proposition (after `reassigner`, `fusionner_fiches`…)."""
        self.proposition = proposition.en_dict()
        self.save(update_fields=["proposition", "mis_a_jour_le"])

    def confirmer(self, auteur):
        """Create the brouillon projet from the reviewed proposition (ProjetNonCree while
        blocking problems remain); the uploaded file is then let go."""
        from .ecriture import creer_projet

        with transaction.atomic():
            importation = Importation.objects.select_for_update().get(pk=self.pk)
            if importation.statut == self.Statut.CREE:
                return importation.projet
            projet = creer_projet(self.lire_proposition(), self.structure, auteur, self.nom_fichier)
            self.projet, self.statut, self.contenu = projet, self.Statut.CREE, None
            self.save(update_fields=["projet", "statut", "contenu", "mis_a_jour_le"])
        return projet
