"""Indicator results, yearly targets and yearly bilans in the national observatory's format.

The indicators themselves (objet, indicateur, outil, baseline, target for the période) belong to
the fiche, in `actions.models.Indicateur`; this app records what happened over the période.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible

from actions.models import FicheAction, Indicateur, Moyen
from centresocial.lib.nombres import EntierPositif, NombreDecimal, format_montant, format_nombre

from .fichiers import TypeFichier, type_a_l_envoi, verifier_fichier
from .observatoire import (
    TYPE_OBSERVATOIRE,
    Dimension,
    Initiative,
    MotCle,
    Public,
    StatutBilan,
    TerritoireConcerne,
    TypePartenaire,
    publics_du_texte,
    sans_accents,
)


class CibleAnnuelle(models.Model):
    """The target of one year of the période (the période's target is `Indicateur.cible`)."""

    indicateur = models.ForeignKey(
        Indicateur, verbose_name="indicateur", on_delete=models.CASCADE, related_name="cibles"
    )
    annee = models.PositiveSmallIntegerField("année")
    valeur = NombreDecimal("cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "cible annuelle"
        verbose_name_plural = "cibles annuelles"
        ordering = ["annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicateur", "annee"],
                name="cible_unique_par_annee",
                violation_error_message="Cet indicateur a déjà une cible pour cette année.",
            )
        ]

    def __str__(self):
        return f"{self.indicateur} · {self.annee} : {self.valeur}"

    def get_additional_data(self):
        return {"projet": self.indicateur.fiche.projet_id, "fiche": self.indicateur.fiche_id}


class ResultatQuerySet(models.QuerySet):
    def du_projet(self, projet):
        return self.filter(indicateur__fiche__projet=projet)


class Resultat(models.Model):
    """What an indicator measured over one period (a year, or a semester of it)."""

    class Semestre(models.IntegerChoices):
        # 0 rather than NULL for the whole year, so (indicateur, annee, semestre) stays unique.
        ANNEE = 0, "Année entière"
        PREMIER = 1, "1er semestre"
        SECOND = 2, "2d semestre"

    indicateur = models.ForeignKey(
        Indicateur, verbose_name="indicateur", on_delete=models.CASCADE, related_name="resultats"
    )
    annee = models.PositiveSmallIntegerField("année")
    semestre = models.PositiveSmallIntegerField(
        "période", choices=Semestre.choices, default=Semestre.ANNEE
    )
    valeur = NombreDecimal("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    niveau = models.PositiveSmallIntegerField("niveau atteint", null=True, blank=True)
    non_renseigne = models.BooleanField(
        "non renseigné",
        default=False,
        help_text="La mesure n'a pas pu être faite pour cette période.",
    )
    date_mesure = models.DateField("date du relevé", null=True, blank=True)
    source = models.CharField("source / outil", max_length=255, blank=True)
    commentaire = models.TextField("commentaire", blank=True)
    justificatif = models.FileField(
        "justificatif",
        upload_to="evaluation/justificatifs/%Y/",
        blank=True,
        validators=[verifier_fichier],
        help_text="Facultatif. PDF, PNG, JPEG ou document bureautique, 5 Mo au plus.",
    )
    type_mime = models.CharField(
        "type du justificatif",
        max_length=100,
        choices=TypeFichier.choices,
        default=TypeFichier.INCONNU,
        editable=False,
    )
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ResultatQuerySet.as_manager()

    class Meta:
        verbose_name = "résultat"
        verbose_name_plural = "résultats"
        ordering = ["annee", "semestre"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicateur", "annee", "semestre"],
                name="resultat_unique_par_periode",
                violation_error_message="Cet indicateur a déjà un résultat pour cette période.",
            ),
            models.CheckConstraint(
                condition=Q(non_renseigne=True, valeur__isnull=True, niveau__isnull=True)
                | Q(non_renseigne=False, valeur__isnull=False, niveau__isnull=True)
                | Q(non_renseigne=False, valeur__isnull=True, niveau__isnull=False),
                name="resultat_valeur_ou_non_renseigne",
                violation_error_message=(
                    "Un résultat est soit une valeur (ou un niveau), soit marqué « non renseigné »."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicateur} · {self.periode} : {self.affichage}"

    def save(self, *args, **kwargs):
        self.type_mime = type_a_l_envoi(self.justificatif, self.type_mime)
        super().save(*args, **kwargs)

    @property
    def periode(self):
        if self.semestre == self.Semestre.ANNEE:
            return str(self.annee)
        return f"{self.annee}, {self.get_semestre_display()}"

    @property
    def affichage(self):
        """The value as people read it: « 950 », « 3 – Plutôt », « non renseigné »."""
        if self.non_renseigne:
            return "non renseigné"
        if self.niveau is not None:
            libelles = dict(self.indicateur.niveaux)
            return f"{self.niveau} – {libelles.get(self.niveau, '?')}"
        return format_nombre(self.valeur)

    def clean(self):
        super().clean()
        if not self.indicateur_id:
            return
        indicateur = self.indicateur
        projet = indicateur.fiche.projet
        errors = {}
        if self.annee is not None and self.annee not in projet.annees:
            errors["annee"] = f"L'année doit être dans la période du projet ({projet.periode})."
        if message := projet.erreur_date(self.date_mesure):
            errors["date_mesure"] = message
        qualitatif = indicateur.nature == Indicateur.Nature.QUALITATIF
        champ = "niveau" if qualitatif else "valeur"
        mesure = self.niveau if qualitatif else self.valeur
        if qualitatif and self.valeur is not None:
            errors["valeur"] = "Un indicateur qualitatif se mesure par un niveau, pas un nombre."
        if not qualitatif and self.niveau is not None:
            errors["niveau"] = "Un indicateur quantitatif se mesure par un nombre."
        if self.non_renseigne and mesure is not None:
            errors[champ] = (
                "Vous avez à la fois saisi une valeur et coché « non renseigné » : "
                "gardez l'un ou l'autre."
            )
        elif not self.non_renseigne and mesure is None:
            errors[champ] = "Saisissez une valeur, ou cochez « non renseigné »."
        if qualitatif and self.niveau is not None and self.niveau not in dict(indicateur.niveaux):
            errors["niveau"] = "Choisissez un niveau de l'échelle."
        if self.annee is not None and "annee" not in errors:
            errors.update(self._verifier_periode())
        if errors:
            raise ValidationError(errors)

    def _verifier_periode(self):
        """One result per period, and a year is followed either as a whole or by semester."""
        voisins = Resultat.objects.filter(indicateur_id=self.indicateur_id, annee=self.annee)
        if self.pk:
            voisins = voisins.exclude(pk=self.pk)
        semestres = set(voisins.values_list("semestre", flat=True))
        if self.semestre in semestres:
            return {"semestre": "Cet indicateur a déjà un résultat pour cette période."}
        entiere = self.semestre == self.Semestre.ANNEE
        if semestres and (entiere or self.Semestre.ANNEE in semestres):
            return {
                "semestre": f"En {self.annee}, cet indicateur est suivi "
                + ("par semestre" if entiere else "sur l'année entière")
                + " : gardez la même période que les autres résultats de l'année."
            }
        return {}

    def get_additional_data(self):
        return {"projet": self.indicateur.fiche.projet_id, "fiche": self.indicateur.fiche_id}


# --- The yearly bilan, field for field as the national observatory collects an action ---


@deconstructible
class ChoixValides:
    """Validator for the multiple-choice fields stored as a JSON list."""

    def __init__(self, choix):
        self.choix = choix

    def __call__(self, valeurs):
        if not isinstance(valeurs, list) or not set(valeurs) <= set(self.choix.values):
            raise ValidationError("Choisissez parmi les valeurs proposées.")

    def __eq__(self, autre):
        return isinstance(autre, ChoixValides) and autre.choix is self.choix


class BilanActionQuerySet(models.QuerySet):
    def du_projet(self, projet):
        return self.filter(fiche__projet=projet)


class BilanAction(models.Model):
    """One fiche's bilan for one year, with the observatory's fields in its order."""

    fiche = models.ForeignKey(
        FicheAction, verbose_name="fiche action", on_delete=models.CASCADE, related_name="bilans"
    )
    annee = models.PositiveSmallIntegerField("année")
    statut = models.CharField(
        "statut de l'action", max_length=20, choices=StatutBilan.choices, default="en_cours"
    )
    motif_fin = models.CharField(
        "raison de la fin", max_length=30, choices=FicheAction.MotifFin.choices, blank=True
    )
    precision_fin = models.CharField("précision sur la fin", max_length=255, blank=True)
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices, blank=True)
    mots_cles = models.JSONField(
        "mots clés", default=list, blank=True, validators=[ChoixValides(MotCle)]
    )
    precision_mots_cles = models.CharField(
        "précision sur les mots clés",
        max_length=255,
        blank=True,
        help_text="Ce que recouvre « Autre ».",
    )
    initiatives = models.JSONField(
        "qui est à l'initiative", default=list, blank=True, validators=[ChoixValides(Initiative)]
    )
    precision_initiative = models.CharField(
        "précision sur l'initiative",
        max_length=255,
        blank=True,
        help_text="Quel habitant, quel partenaire, ou ce que recouvre « Autre ».",
    )
    territoire = models.CharField(
        "territoire concerné", max_length=20, choices=TerritoireConcerne.choices, blank=True
    )
    precision_territoire = models.CharField(
        "précision sur le territoire",
        max_length=255,
        blank=True,
        help_text="Le nom des quartiers ou des communes, ou ce que recouvre « Autre ».",
    )
    publics = models.JSONField(
        "public", default=list, blank=True, validators=[ChoixValides(Public)]
    )
    types_partenaires = models.JSONField(
        "partenaires d'action (types)",
        default=list,
        blank=True,
        validators=[ChoixValides(TypePartenaire)],
    )
    ressources_financieres = models.TextField("ressources financières mobilisées", blank=True)
    montant_ressources = NombreDecimal(
        "montant total (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    salaries = EntierPositif("salariés mobilisés", null=True, blank=True)
    benevoles = EntierPositif("bénévoles mobilisés", null=True, blank=True)
    participants = EntierPositif("participants", null=True, blank=True)
    personnes_precision = models.TextField(
        "personnes mobilisées, en clair",
        blank=True,
        help_text="Une fourchette ou une précision : « 60 à 80 participants, dont un salarié en "
        "service civique ».",
    )
    resultat_territoire = models.TextField("résultat sur le territoire", blank=True)
    resultat_centre = models.TextField("résultat pour le centre social", blank=True)
    resultat_habitants = models.TextField("résultat pour les habitants", blank=True)
    limites = models.TextField("limites", blank=True)
    perspectives = models.TextField("perspectives", blank=True)
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = BilanActionQuerySet.as_manager()

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiche", "annee"],
                name="bilan_unique_par_fiche_et_annee",
                violation_error_message="Cette fiche a déjà un bilan pour cette année.",
            ),
            models.CheckConstraint(
                condition=Q(statut="terminee") | Q(motif_fin=""),
                name="bilan_motif_fin_si_terminee",
                violation_error_message="Seule une action terminée a une raison de fin.",
            ),
        ]

    def __str__(self):
        return f"Bilan {self.annee} · {self.fiche}"

    def clean(self):
        super().clean()
        errors = {}
        if self.statut != StatutBilan.TERMINEE and self.motif_fin:
            errors["motif_fin"] = "Seule une action terminée a une raison de fin."
        # The questionnaire asks what « Autre » stands for.
        for choisis, precision, quoi in [
            (self.mots_cles, "precision_mots_cles", "quel mot clé"),
            (self.initiatives, "precision_initiative", "qui est à l'initiative"),
            ([self.territoire], "precision_territoire", "quel territoire"),
        ]:
            if isinstance(choisis, list) and "autre" in choisis and not getattr(self, precision):
                errors[precision] = f"Vous avez choisi « Autre » : précisez {quoi}."
        if self.fiche_id and self.annee is not None:
            projet = self.fiche.projet
            if self.annee not in projet.annees:
                errors["annee"] = f"L'année doit être dans la période du projet ({projet.periode})."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def prerempli(cls, fiche, annee):
        """A new bilan holding what the fiche already knows (statut, partners, public, means).

        `fiche` comes with its partenariats (and their partenaire) and moyens prefetched."""
        terminee = fiche.statut == FicheAction.Statut.TERMINEE
        types = {TYPE_OBSERVATOIRE[p.partenaire.type] for p in fiche.partenariats.all()}
        publics = publics_du_texte(fiche.public_vise)
        if fiche.projet_jeunesse and Public.JEUNESSE not in publics:
            publics.append(Public.JEUNESSE.value)
        financiers = [m for m in fiche.moyens.all() if m.type == Moyen.Type.FINANCIER]
        montants = [m.montant for m in financiers if m.montant is not None]
        humains = [m for m in fiche.moyens.all() if m.type == Moyen.Type.HUMAIN and m.quantite]
        benevoles = [m for m in humains if "benevole" in sans_accents(m.libelle)]
        salaries = [m for m in humains if m not in benevoles]
        return cls(
            fiche=fiche,
            annee=annee,
            statut=StatutBilan.TERMINEE if terminee else StatutBilan.EN_COURS,
            motif_fin=fiche.motif_fin if terminee else "",
            precision_fin=fiche.precision_fin if terminee else "",
            mots_cles=[MotCle.PARENTALITE.value] if fiche.projet_familles else [],
            publics=[p for p in Public.values if p in publics],
            types_partenaires=[t for t in TypePartenaire.values if t in types],
            ressources_financieres="\n".join(
                f"{m.libelle} : {format_montant(m.montant)} €" if m.montant else m.libelle
                for m in financiers
            ),
            montant_ressources=sum(montants) if montants else None,
            salaries=int(sum(m.quantite for m in salaries)) if salaries else None,
            benevoles=int(sum(m.quantite for m in benevoles)) if benevoles else None,
        )

    def get_additional_data(self):
        return {"projet": self.fiche.projet_id, "fiche": self.fiche_id}


class FichierBilan(models.Model):
    """A file attached to a bilan (compte rendu, photos, questionnaire…)."""

    bilan = models.ForeignKey(
        BilanAction, verbose_name="bilan", on_delete=models.CASCADE, related_name="fichiers"
    )
    fichier = models.FileField(
        "fichier", upload_to="evaluation/bilans/%Y/", validators=[verifier_fichier]
    )
    type_mime = models.CharField(
        "type du fichier",
        max_length=100,
        choices=TypeFichier.choices,
        default=TypeFichier.INCONNU,
        editable=False,
    )
    titre = models.CharField("titre", max_length=200, blank=True)
    ajoute_le = models.DateTimeField("ajouté le", auto_now_add=True)

    class Meta:
        verbose_name = "fichier du bilan"
        verbose_name_plural = "fichiers du bilan"
        ordering = ["ajoute_le", "pk"]

    def __str__(self):
        return self.titre or self.fichier.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        self.type_mime = type_a_l_envoi(self.fichier, self.type_mime)
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"projet": self.bilan.fiche.projet_id, "fiche": self.bilan.fiche_id}


for modele in [CibleAnnuelle, Resultat, BilanAction, FichierBilan]:
    auditlog.register(modele)

from .ventilation import CategorieVentilation, CibleCategorie, ValeurCategorie, Ventilation  # noqa: E402, F401, I001
