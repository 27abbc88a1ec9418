"""The fiche action and its children: what a centre plans to do, with whom, and how it is evaluated."""

import re
from dataclasses import dataclass

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from centresocial.lib.nombres import NombreDecimal, format_nombre
from centresocial.lib.portee import PorteeQuerySet
from partenaires.models import Partenaire
from projets.models import Axe, Membre, ObjectifGeneral, ProjetSocial, Structure


class FicheActionQuerySet(PorteeQuerySet):
    def visible_to(self, user):
        """The one rule of who reads a fiche.

        Staff (direction, équipe) read every fiche of their structures' projets; a partner
        account reads the fiches its organisation is a partner of; an admin reads all.
        """
        return self.portee(
            user,
            lambda fiches, u: fiches.filter(
                Q(projet__structure__in=Structure.objects.visible_to(u))
                | Q(pk__in=fiches.du_partenaire(u).values("pk"))
            ),
        )

    def du_partenaire(self, user):
        """The one rule of « a partner's fiches »: those one of the organisations the account
        speaks for takes part in, in every structure."""
        liens = PartenariatAction.objects.filter(partenaire__in=Partenaire.objects.du_user(user))
        return self.filter(pk__in=liens.values("fiche"))

    def editable_by(self, user):
        """Only the structure's staff (and admins) write fiches; partners only read theirs."""
        return self.filter(projet__in=ProjetSocial.objects.editable_by(user))

    def du_projet(self, projet):
        return self.filter(projet=projet)

    def avec_details(self):
        """Everything a fiche page or the dossier shows, in a fixed number of queries."""
        return self.select_related("projet__structure", "axe", "referent").prefetch_related(
            Prefetch(
                "liens_objectifs",
                queryset=FicheObjectif.objects.select_related("objectif__enjeu", "objectif__axe"),
            ),
            "annees",
            "objectifs_operationnels",
            "etapes",
            "moyens",
            Prefetch(
                "partenariats", queryset=PartenariatAction.objects.select_related("partenaire")
            ),
            "indicateurs",
        )


class FicheAction(models.Model):
    class StatutPlan(models.TextChoices):
        EVOLUTION = "E", "E : évolution d'une action existante"
        NOUVELLE = "NA", "NA : nouvelle action"
        EXISTANTE = "AE", "AE : action existante"

    class Statut(models.TextChoices):
        A_VENIR = "a_venir", "À venir"
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"

    class MotifFin(models.TextChoices):
        OBJECTIFS_ATTEINTS = "objectifs_atteints", "Objectifs atteints"
        FIN_FINANCEMENT = "fin_financement", "Fin du financement"
        MANQUE_PARTICIPATION = "manque_participation", "Manque de participation"
        RETRAIT_PARTENAIRE = "retrait_partenaire", "Retrait d'un partenaire"
        REORIENTATION = "reorientation", "Réorientation du projet"
        AUTRE = "autre", "Autre raison"

    class Participation(models.IntegerChoices):
        """The ladder of residents' participation, from being told to deciding together."""

        INFORMATION = 1, "Information"
        CONSULTATION = 2, "Consultation"
        CONCERTATION = 3, "Concertation"
        CO_CONSTRUCTION = 4, "Contribution / co-construction"
        CO_DECISION = 5, "Co-décision"

    projet = models.ForeignKey(
        ProjetSocial, verbose_name="projet social", on_delete=models.CASCADE, related_name="fiches"
    )
    # RESTRICT: an axe that still holds fiches cannot be deleted on its own, but deleting the
    # whole projet takes both.
    axe = models.ForeignKey(
        Axe, verbose_name="axe", on_delete=models.RESTRICT, related_name="fiches"
    )
    numero = models.PositiveSmallIntegerField("numéro dans l'axe")
    titre = models.CharField("titre", max_length=255)
    objectifs = models.ManyToManyField(
        ObjectifGeneral,
        through="FicheObjectif",
        verbose_name="objectifs généraux",
        related_name="fiches",
        blank=True,
    )
    # Left empty (« non renseigné ») when the projet does not say: never a code nobody chose.
    statut_plan = models.CharField(
        "statut dans le plan", max_length=2, choices=StatutPlan.choices, blank=True, default=""
    )
    projet_familles = models.BooleanField("Projet Animation Collective Familles", default=False)
    projet_jeunesse = models.BooleanField("Projet Jeunesse", default=False)
    statut = models.CharField(
        "statut de réalisation", max_length=20, choices=Statut.choices, default=Statut.A_VENIR
    )
    motif_fin = models.CharField(
        "motif de fin", max_length=30, choices=MotifFin.choices, blank=True
    )
    precision_fin = models.CharField("précision sur la fin de l'action", max_length=255, blank=True)
    contexte = models.TextField("contexte", blank=True)
    public_vise = models.TextField("public visé", blank=True)
    attention_particuliere = models.TextField("attention particulière", blank=True)
    presentation = models.TextField("présentation / modalités", blank=True)
    resultats_attendus = models.TextField("résultats attendus", blank=True)
    freins = models.TextField("freins à lever", blank=True)
    # Drafted at the renewal from the evaluation of the last période (evaluation/renouvellement.py),
    # then the team's to edit; empty on a fiche that was not renewed.
    acquis_periode_precedente = models.TextField(
        "acquis de la période précédente",
        blank=True,
        help_text="Rédigé au renouvellement à partir de l'évaluation de la période précédente "
        "(statut, participants, résultats des indicateurs, perspectives) : relisez-le et "
        "complétez-le.",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fiches_referent",
    )
    referent_libelle = models.CharField(
        "référent (rôle ou personne sans compte)",
        max_length=200,
        blank=True,
        help_text="Par exemple « Référente familles », ou le nom d'une personne qui n'a pas de compte.",
    )
    participation_actuelle = models.PositiveSmallIntegerField(
        "niveau de participation actuel", choices=Participation.choices, null=True, blank=True
    )
    participation_visee = models.PositiveSmallIntegerField(
        "niveau de participation visé", choices=Participation.choices, null=True, blank=True
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = FicheActionQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["axe__transversal", "axe__ordre", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["axe", "numero"],
                name="fiche_numero_unique_par_axe",
                violation_error_message="Ce numéro est déjà pris par une autre fiche de cet axe.",
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="fiche_numero_positif",
                violation_error_message="Le numéro d'une fiche commence à 1.",
            ),
            # A finished action may say why it ended; a one-off or yearly event needs no reason.
            models.CheckConstraint(
                condition=Q(statut="terminee") | Q(motif_fin=""),
                name="fiche_motif_fin_si_terminee",
                violation_error_message="Seule une action terminée a un motif de fin.",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.titre}"

    @property
    def code(self):
        return f"{self.numero:02d}" if self.numero else "—"

    @property
    def reference(self):
        """« Axe 2 – 03 », the way the dossier cross-references fiches."""
        return f"{self.axe.libelle} – {self.code}"

    @property
    def nom_referent(self):
        """« Nadia Saïdi », « Référente familles », or both: who answers for the fiche."""
        nom = ""
        if self.referent_id:
            nom = self.referent.get_full_name() or self.referent.get_username()
        return ", ".join(t for t in (nom, self.referent_libelle.strip()) if t)

    @property
    def objectif_principal(self):
        for lien in self.liens_objectifs.all():
            if lien.principal:
                return lien.objectif
        return None

    @property
    def liste_annees(self):
        return sorted(a.annee for a in self.annees.all())

    def clean(self):
        super().clean()
        errors = {}
        if self.axe_id and self.projet_id and self.axe.projet_id != self.projet_id:
            errors["axe"] = "Cet axe appartient à un autre projet social."
        if self.statut != self.Statut.TERMINEE and self.motif_fin:
            errors["motif_fin"] = "Seule une action terminée a un motif de fin."
        if self.referent_id and self.projet_id:
            est_membre = Membre.objects.filter(
                user_id=self.referent_id, structure_id=self.projet.structure_id
            ).exists()
            if not est_membre:
                errors["referent"] = "Le référent doit faire partie de l'équipe de la structure."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def numero_suivant(axe):
        """The next free number in an axe (« 01, 02, … »)."""
        dernier = axe.fiches.aggregate(m=models.Max("numero"))["m"] or 0
        return dernier + 1

    @classmethod
    def creer_dans(cls, axe, **champs):
        """Create a fiche with the next free number of its axe (the axe row is locked meanwhile)."""
        with transaction.atomic():
            axe = Axe.objects.select_for_update().get(pk=axe.pk)
            fiche = cls(projet_id=axe.projet_id, axe=axe, numero=cls.numero_suivant(axe), **champs)
            fiche.full_clean()
            fiche.save()
            return fiche

    def copier(self, axe=None, correspondance_objectifs=None, decalage_annees=0, **remplacements):
        """A copy of the fiche and all its rows, numbered next in `axe` (default: its own axe).

        `correspondance_objectifs` maps old objectif ids to new ones (when copying into another
        projet); years, dates and the years written in texts move by `decalage_annees`, as each
        kind of row says in `LIGNES_FICHE`, and years that fall outside the target période are
        dropped. `remplacements` sets fields of the copy (titre, statut…).
        """
        axe = axe or self.axe
        lignes = [(sorte, list(getattr(self, sorte.nom).all())) for sorte in LIGNES_FICHE]
        with transaction.atomic():
            axe = Axe.objects.select_for_update().select_related("projet").get(pk=axe.pk)
            copie = FicheAction.objects.get(pk=self.pk)
            copie.pk = None
            copie._state.adding = True
            copie.projet = axe.projet
            copie.axe = axe
            copie.numero = FicheAction.numero_suivant(axe)
            for champ, valeur in remplacements.items():
                setattr(copie, champ, valeur)
            copie.save()
            transfert = Transfert(
                source=self.projet,
                cible=axe.projet,
                decalage=decalage_annees,
                objectifs=correspondance_objectifs,
            )
            for sorte, rangees in lignes:
                for rangee in rangees:
                    # One by one (not in bulk, unlike a renewal): each row's creation is written
                    # in the copy's history.
                    if sorte.copie(rangee, copie, transfert) is not None:
                        rangee.save()
        return copie

    def deplacer_vers(self, axe):
        """Move to another axe of the projet: next free number there, and the numbers left
        behind close up so each axe stays numbered 01, 02, 03… Returns the renumbered fiches."""
        if axe.projet_id != self.projet_id:
            raise ValidationError({"axe": "Cet axe appartient à un autre projet social."})
        if axe.pk == self.axe_id:
            raise ValidationError({"axe": "La fiche est déjà dans cet axe."})
        with transaction.atomic():
            ancien_axe, ancien_numero = self.axe, self.numero
            Axe.objects.select_for_update().filter(pk__in=[axe.pk, ancien_axe.pk]).count()
            self.axe = axe
            self.numero = FicheAction.numero_suivant(axe)
            self.save(update_fields=["axe", "numero", "modifie_le"])
            return resserrer_numeros(ancien_axe, apres=ancien_numero)

    def supprimer(self):
        """Delete the fiche and its rows; the following fiches of its axe close up the gap."""
        with transaction.atomic():
            axe, numero = self.axe, self.numero
            Axe.objects.select_for_update().filter(pk=axe.pk).count()
            self.delete()
            return resserrer_numeros(axe, apres=numero)

    def get_additional_data(self):
        return {"projet": self.projet_id, "fiche": self.pk}


def resserrer_numeros(axe, apres):
    """Close the gap left at number `apres` in the axe: each following fiche moves down by one.

    Ascending order keeps (axe, numero) unique at every step; save() records each renumbering
    in the history."""
    renumerotees = []
    for fiche in axe.fiches.filter(numero__gt=apres).order_by("numero"):
        fiche.numero -= 1
        fiche.save(update_fields=["numero", "modifie_le"])
        renumerotees.append(fiche)
    return renumerotees


def decaler(date, annees):
    """`date` moved by `annees` years (29 February becomes the 28th); ValueError when the year
    would leave what a date can hold (1 to 9999)."""
    if date is None:
        return None
    annee = date.year + annees
    if not 1 <= annee <= 9999:
        raise ValueError(f"L'année {annee} ne peut pas être une date.")
    try:
        return date.replace(year=annee)
    except ValueError:  # 29 février
        return date.replace(year=annee, day=28)


def decaler_annees(texte, annees, decalage):
    """« Projet social 2021-2024 » → « Projet social 2025-2028 »: shift the years found in `annees`."""

    def remplacer(trouve):
        annee = int(trouve.group())
        return str(annee + decalage) if annee in annees else trouve.group()

    return re.sub(r"\b\d{4}\b", remplacer, texte)


class FicheObjectif(models.Model):
    """A fiche may serve several objectifs généraux, even of other axes; one is its primary one."""

    fiche = models.ForeignKey(
        FicheAction,
        verbose_name="fiche action",
        on_delete=models.CASCADE,
        related_name="liens_objectifs",
    )
    objectif = models.ForeignKey(
        ObjectifGeneral,
        verbose_name="objectif général",
        on_delete=models.CASCADE,
        related_name="liens_fiches",
    )
    principal = models.BooleanField("objectif principal", default=False)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "objectif de la fiche"
        verbose_name_plural = "objectifs de la fiche"
        ordering = ["-principal", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "objectif"],
                name="fiche_objectif_unique",
                violation_error_message="Cet objectif est déjà rattaché à la fiche.",
            ),
            models.UniqueConstraint(
                fields=["fiche"],
                condition=Q(principal=True),
                name="fiche_un_seul_objectif_principal",
                violation_error_message="Une fiche n'a qu'un seul objectif principal.",
            ),
        ]

    def __str__(self):
        return f"{self.fiche} → {self.objectif}"

    def clean(self):
        super().clean()
        if self.fiche_id and self.objectif_id and self.objectif.projet_id != self.fiche.projet_id:
            raise ValidationError({"objectif": "Cet objectif appartient à un autre projet social."})

    def get_additional_data(self):
        return {"projet": self.fiche.projet_id, "fiche": self.fiche_id}


class AnneeAction(models.Model):
    """One year of the période in which the fiche runs (the arbre's year grid)."""

    fiche = models.ForeignKey(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="annees"
    )
    annee = models.PositiveSmallIntegerField("année")

    class Meta:
        verbose_name = "année de réalisation"
        verbose_name_plural = "années de réalisation"
        ordering = ["annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "annee"],
                name="annee_action_unique",
                violation_error_message="Cette année est déjà cochée pour la fiche.",
            )
        ]

    def __str__(self):
        return str(self.annee)

    def clean(self):
        super().clean()
        if self.fiche_id and self.annee is not None:
            projet = self.fiche.projet
            if self.annee not in projet.annees:
                raise ValidationError(
                    {
                        "annee": f"L'année {self.annee} est en dehors de la période du projet ({projet.periode})."
                    }
                )

    def get_additional_data(self):
        return {"projet": self.fiche.projet_id, "fiche": self.fiche_id}


class ElementFiche(models.Model):
    """The ordered rows of a fiche (objectifs opérationnels, échéancier, moyens…)."""

    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["ordre", "pk"]

    def get_additional_data(self):
        return {"projet": self.fiche.projet_id, "fiche": self.fiche_id}


class ObjectifOperationnel(ElementFiche):
    fiche = models.ForeignKey(
        FicheAction,
        verbose_name="fiche action",
        on_delete=models.CASCADE,
        related_name="objectifs_operationnels",
    )
    libelle = models.CharField("objectif opérationnel", max_length=255)

    class Meta(ElementFiche.Meta):
        verbose_name = "objectif opérationnel"
        verbose_name_plural = "objectifs opérationnels"

    def __str__(self):
        return self.libelle


class EtapeEcheancier(ElementFiche):
    fiche = models.ForeignKey(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="etapes"
    )
    libelle = models.CharField("étape", max_length=255)
    periode = models.CharField(
        "période", max_length=120, blank=True, help_text="Par exemple « Rentrée 2025/2026 »."
    )
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)

    class Meta(ElementFiche.Meta):
        verbose_name = "étape de l'échéancier"
        verbose_name_plural = "échéancier"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_debut__isnull=True)
                | Q(date_fin__isnull=True)
                | Q(date_fin__gte=F("date_debut")),
                name="etape_fin_apres_debut",
                violation_error_message="La fin d'une étape ne peut pas précéder son début.",
            )
        ]

    def __str__(self):
        return f"{self.libelle} ({self.periode})" if self.periode else self.libelle

    def clean(self):
        super().clean()
        errors = {}
        if self.fiche_id:
            projet = self.fiche.projet
            for champ in ("date_debut", "date_fin"):
                if message := projet.erreur_date(getattr(self, champ)):
                    errors[champ] = message
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            errors.setdefault("date_fin", "La fin d'une étape ne peut pas précéder son début.")
        if errors:
            raise ValidationError(errors)


class Moyen(ElementFiche):
    class Type(models.TextChoices):
        HUMAIN = "humain", "Humain"
        MATERIEL = "materiel", "Matériel"
        FINANCIER = "financier", "Financier"

    fiche = models.ForeignKey(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="moyens"
    )
    type = models.CharField("type de moyen", max_length=20, choices=Type.choices)
    libelle = models.CharField("libellé", max_length=255)
    quantite = NombreDecimal("quantité", max_digits=10, decimal_places=2, null=True, blank=True)
    montant = NombreDecimal("montant (€)", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta(ElementFiche.Meta):
        verbose_name = "moyen"
        verbose_name_plural = "moyens"
        constraints = [
            models.CheckConstraint(
                condition=Q(quantite__isnull=True) | Q(quantite__gte=0),
                name="moyen_quantite_positive",
                violation_error_message="La quantité ne peut pas être négative.",
            ),
            models.CheckConstraint(
                condition=Q(montant__isnull=True) | Q(montant__gte=0),
                name="moyen_montant_positif",
                violation_error_message="Le montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} : {self.libelle}"

    def clean(self):
        super().clean()
        errors = {}
        if self.quantite is not None and self.quantite < 0:
            errors["quantite"] = "La quantité ne peut pas être négative."
        if self.montant is not None and self.montant < 0:
            errors["montant"] = "Le montant ne peut pas être négatif."
        if errors:
            raise ValidationError(errors)


class PartenariatAction(ElementFiche):
    class Role(models.TextChoices):
        PILOTE = "pilote", "Pilote"
        CO_PORTEUR = "co_porteur", "Co-porteur"
        FINANCEUR = "financeur", "Financeur"
        INTERVENANT = "intervenant", "Intervenant"
        RELAIS = "relais", "Relais / orientation"
        RESSOURCE = "ressource", "Ressource / expertise"
        AUTRE = "autre", "Autre"

    fiche = models.ForeignKey(
        FicheAction,
        verbose_name="fiche action",
        on_delete=models.CASCADE,
        related_name="partenariats",
    )
    # RESTRICT: a partner still named in a fiche leaves the directory only by a merge.
    partenaire = models.ForeignKey(
        Partenaire,
        verbose_name="partenaire",
        on_delete=models.RESTRICT,
        related_name="partenariats",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, blank=True, default="")
    contribution = models.TextField("contribution", blank=True)
    # « Je confirme »: the partner's account says its organisation commits to this action.
    confirme_le = models.DateTimeField(
        "engagement confirmé le", null=True, blank=True, editable=False
    )
    confirme_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="engagement confirmé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta(ElementFiche.Meta):
        verbose_name = "partenariat"
        verbose_name_plural = "partenariats"
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "partenaire"],
                name="partenariat_unique_par_fiche",
                violation_error_message="Ce partenaire figure déjà sur la fiche.",
            )
        ]

    def __str__(self):
        return (
            f"{self.partenaire} ({self.get_role_display()})" if self.role else str(self.partenaire)
        )

    def confirmer(self, user):
        """The partner confirms its commitment, dated; confirming again keeps the first date."""
        if self.confirme_le is None:
            self.confirme_le, self.confirme_par = timezone.now(), user
            self.save(update_fields=["confirme_le", "confirme_par"])

    def clean(self):
        super().clean()
        if (
            self.fiche_id
            and self.partenaire_id
            and self.partenaire.structure_id != self.fiche.projet.structure_id
        ):
            raise ValidationError(
                {"partenaire": "Ce partenaire n'est pas dans l'annuaire de la structure."}
            )


ECHELLE_PAR_DEFAUT = ["Pas du tout", "Un peu", "Plutôt", "Tout à fait"]


class Indicateur(ElementFiche):
    class Nature(models.TextChoices):
        QUANTITATIF = "quantitatif", "Quantitatif"
        QUALITATIF = "qualitatif", "Qualitatif"

    fiche = models.ForeignKey(
        FicheAction,
        verbose_name="fiche action",
        on_delete=models.CASCADE,
        related_name="indicateurs",
    )
    objet = models.CharField("objet évalué", max_length=255, blank=True)
    libelle = models.CharField("indicateur", max_length=255)
    outil = models.CharField("outil de recueil", max_length=255, blank=True)
    nature = models.CharField(
        "nature", max_length=20, choices=Nature.choices, default=Nature.QUANTITATIF
    )
    unite = models.CharField("unité", max_length=60, blank=True)
    valeur_reference = NombreDecimal(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    cible = NombreDecimal("cible", max_digits=14, decimal_places=2, null=True, blank=True)
    cible_precision = models.CharField(
        "cible en clair",
        max_length=255,
        blank=True,
        help_text="Une fourchette ou une estimation (« 60 à 80 personnes »), seule ou avec la cible.",
    )
    echelle = models.CharField(
        "échelle (qualitatif)",
        max_length=255,
        blank=True,
        help_text="Les niveaux du plus bas au plus haut, séparés par « ; ». "
        f"Vide : « {' ; '.join(ECHELLE_PAR_DEFAUT)} ».",
    )

    class Meta(ElementFiche.Meta):
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"

    def __str__(self):
        return self.libelle

    @property
    def reperes(self):
        """« aujourd'hui 12 → cible 20 personnes », « cible : 60 à 80 personnes »: the figures
        of an indicator as the fiche and the dossier print them, without the missing ones."""
        unite = f"\u00a0{self.unite}" if self.unite else ""  # never alone on its line
        depart = cible = ""
        if self.valeur_reference is not None:
            depart = f"aujourd'hui {format_nombre(self.valeur_reference)}"
        if self.cible is not None:
            cible = f"cible {format_nombre(self.cible)}{unite}"
            if self.cible_precision:
                cible += f" ({self.cible_precision})"
        elif self.cible_precision:
            cible = f"cible : {self.cible_precision}"
        elif depart:
            depart += unite
        return " → ".join(t for t in (depart, cible) if t)

    @property
    def niveaux(self):
        """The qualitative scale as [(1, « Pas du tout »), …], numbered from 1."""
        libelles = [n.strip() for n in self.echelle.split(";") if n.strip()] or ECHELLE_PAR_DEFAUT
        return list(enumerate(libelles, start=1))

    def clean(self):
        super().clean()
        if self.nature == self.Nature.QUALITATIF and (
            self.valeur_reference is not None or self.cible is not None
        ):
            raise ValidationError(
                {
                    "cible": "Un indicateur qualitatif n'a ni valeur de référence ni cible chiffrée : "
                    "décrivez le niveau attendu dans les résultats."
                }
            )


@dataclass(frozen=True)
class Transfert:
    """Where copied rows go: from the projet `source` to the projet `cible` (the same one for a
    duplicated fiche), the période moved by `decalage` years, objectifs mapped old id → new id
    by `objectifs` (None: the objectifs stay the same)."""

    source: ProjetSocial
    cible: ProjetSocial
    decalage: int = 0
    objectifs: dict | None = None

    def date(self, valeur):
        return decaler(valeur, self.decalage)

    def texte(self, texte):
        # Years written in a text (« Rentrée 2025/2026 ») move with the projet; the years just
        # around the période count too (school years « 2024/2025 », « 2028/2029 »).
        if not self.decalage:
            return texte
        annees = range(self.source.annee_debut - 1, self.source.annee_fin + 2)
        return decaler_annees(texte, annees, self.decalage)

    def annee(self, annee):
        """The year moved with the période, or None when it falls outside the target one."""
        annee += self.decalage
        return annee if annee in self.cible.annees else None

    def objectif(self, objectif_id):
        """The objectif's counterpart in the target projet, or None when it has none."""
        if self.objectifs is None:
            return objectif_id
        return self.objectifs.get(objectif_id)


@dataclass(frozen=True)
class SorteDeLigne:
    """One kind of row hanging from a fiche, as everything that handles rows reads it: the
    editor (its formsets and its concurrency token), the copy of a fiche and the renewal of a
    projet."""

    nom: str  # the related name from FicheAction
    modele: type
    # What the editor edits row by row (its formset), so what its concurrency token compares.
    # Empty for the links to objectifs and years, edited as the fiche form's checkboxes.
    champs: tuple = ()
    dates: tuple = ()  # dates that move with the période
    textes_dates: tuple = ()  # texts whose years move with the période
    annee: str = ""  # a year of the période: moves, and is dropped outside the new période
    objectif: str = ""  # an objectif général: its counterpart in the new projet, or dropped
    oublies: tuple = ()  # what a copy starts without (a partner confirms each fiche anew)

    @property
    def verbose_name_plural(self):
        return self.modele._meta.verbose_name_plural

    def copie(self, ligne, fiche, transfert):
        """`ligne` itself turned into an unsaved copy under `fiche`, moved by `transfert`; None
        when it has no place there."""
        ligne.pk = None
        ligne._state.adding = True
        ligne.fiche = fiche
        for champ in self.oublies:
            setattr(ligne, champ, None)
        for champ in self.dates:
            setattr(ligne, champ, transfert.date(getattr(ligne, champ)))
        for champ in self.textes_dates:
            setattr(ligne, champ, transfert.texte(getattr(ligne, champ)))
        if self.annee:
            annee = transfert.annee(getattr(ligne, self.annee))
            if annee is None:
                return None
            setattr(ligne, self.annee, annee)
        if self.objectif:
            attname = self.modele._meta.get_field(self.objectif).attname
            objectif_id = transfert.objectif(getattr(ligne, attname))
            if objectif_id is None:
                return None
            setattr(ligne, attname, objectif_id)
        return ligne


# Every kind of row of a fiche: what a copy or a renewal carries.
LIGNES_FICHE = (
    SorteDeLigne("liens_objectifs", FicheObjectif, objectif="objectif"),
    SorteDeLigne("annees", AnneeAction, annee="annee"),
    SorteDeLigne("objectifs_operationnels", ObjectifOperationnel, champs=("libelle",)),
    SorteDeLigne(
        "etapes",
        EtapeEcheancier,
        champs=("libelle", "periode", "date_debut", "date_fin"),
        dates=("date_debut", "date_fin"),
        textes_dates=("periode",),
    ),
    SorteDeLigne("moyens", Moyen, champs=("type", "libelle", "quantite", "montant")),
    SorteDeLigne(
        "partenariats",
        PartenariatAction,
        champs=("partenaire", "role", "contribution"),
        oublies=("confirme_le", "confirme_par"),
    ),
    SorteDeLigne(
        "indicateurs",
        Indicateur,
        champs=(
            "objet",
            "libelle",
            "outil",
            "nature",
            "unite",
            "valeur_reference",
            "cible",
            "cible_precision",
        ),
    ),
)
# The rows the editor edits in its formsets, in the order of the page.
LIGNES_EDITEUR = tuple(sorte for sorte in LIGNES_FICHE if sorte.champs)


class CommentairePartenaire(models.Model):
    """What a partner account says about a fiche: its commitment, a figure, a correction."""

    class Nature(models.TextChoices):
        ENGAGEMENT = "engagement", "Engagement"
        CHIFFRE = "chiffre", "Chiffre"
        CORRECTION = "correction", "Correction"
        AUTRE = "autre", "Autre remarque"

    fiche = models.ForeignKey(
        FicheAction,
        verbose_name="fiche action",
        on_delete=models.CASCADE,
        related_name="commentaires_partenaires",
    )
    partenaire = models.ForeignKey(
        Partenaire, verbose_name="partenaire", on_delete=models.CASCADE, related_name="commentaires"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    nature = models.CharField("nature", max_length=20, choices=Nature.choices, default=Nature.AUTRE)
    texte = models.TextField("commentaire")
    cree_le = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        # The table of the days when comments were part of `partenaires` (moved with their rows).
        db_table = "partenaires_commentairepartenaire"
        verbose_name = "commentaire de partenaire"
        verbose_name_plural = "commentaires de partenaires"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"{self.partenaire} : {self.texte[:60]}"

    def get_additional_data(self):
        return {"projet": self.fiche.projet_id, "fiche": self.fiche_id}


class LectureFiche(models.Model):
    """When a person last opened a fiche: the partners' comments written since are unread for
    them (the home page counts them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="lectures_fiches",
    )
    fiche = models.ForeignKey(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="lectures"
    )
    lue_le = models.DateTimeField("lue le")

    class Meta:
        verbose_name = "lecture d'une fiche"
        verbose_name_plural = "lectures des fiches"
        constraints = [
            models.UniqueConstraint(fields=["user", "fiche"], name="lecture_fiche_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.fiche} ({self.lue_le:%d/%m/%Y %H:%M})"


auditlog.register(FicheAction, exclude_fields=["cree_le", "modifie_le"])
for modele in [
    FicheObjectif,
    AnneeAction,
    ObjectifOperationnel,
    EtapeEcheancier,
    Moyen,
    PartenariatAction,
    Indicateur,
]:
    auditlog.register(modele)
auditlog.register(CommentairePartenaire, exclude_fields=["cree_le"])
