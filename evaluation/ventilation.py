"""An indicator broken down by category (« ventilation »): by sexe, tranche d'âge, QPV / hors QPV
or categories the team names itself.

Each category has its targets (for the période and per year) and each result its value per
category. When the categories add up (a count of people), a result's categories, once all given,
must make its value, and the targets of the categories the indicator's target; a rate or an
average is broken down without a total. Qualitative indicators (a level of a scale) are not
broken down. These models belong to the evaluation app (imported at the end of its models).
"""

from functools import partial

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from actions.models import Indicateur
from centresocial.lib.nombres import NombreDecimal, format_nombre


class TypeVentilation(models.TextChoices):
    SEXE = "sexe", "Par sexe"
    AGE = "age", "Par tranche d'âge"
    QPV = "qpv", "QPV / hors QPV"
    PERSONNALISEE = "personnalisee", "Catégories personnalisées"


# What a new breakdown starts with (the team renames, adds or removes categories). A « non
# précisé » category keeps the sum right when some people were not asked.
CATEGORIES_PAR_DEFAUT = {
    TypeVentilation.SEXE: ["Femmes", "Hommes", "Autre ou non précisé"],
    TypeVentilation.AGE: [
        "0 à 5 ans",
        "6 à 11 ans",
        "12 à 17 ans",
        "18 à 25 ans",
        "26 à 59 ans",
        "60 ans et plus",
        "Âge non précisé",
    ],
    TypeVentilation.QPV: ["Habitants d'un QPV", "Hors QPV", "Non précisé"],
    TypeVentilation.PERSONNALISEE: [],
}

TITRES = {
    TypeVentilation.SEXE: "Répartition par sexe",
    TypeVentilation.AGE: "Répartition par tranche d'âge",
    TypeVentilation.QPV: "Répartition QPV / hors QPV",
    TypeVentilation.PERSONNALISEE: "Répartition par catégorie",
}

MESSAGE_QUALITATIF = "Un indicateur qualitatif (un niveau d'une échelle) n'est pas ventilé."


class Ventilation(models.Model):
    """How one indicator is broken down (one breakdown an indicator)."""

    indicateur = models.OneToOneField(
        Indicateur,
        verbose_name="indicateur",
        on_delete=models.CASCADE,
        related_name="ventilation",
    )
    type = models.CharField("ventilation", max_length=20, choices=TypeVentilation.choices)
    additive = models.BooleanField(
        "les catégories s'additionnent",
        default=True,
        help_text="Pour un nombre de personnes : la somme des catégories fait le total. "
        "Décochez pour un taux ou une moyenne, où chaque catégorie a sa propre valeur.",
    )

    class Meta:
        verbose_name = "ventilation"
        verbose_name_plural = "ventilations"

    def __str__(self):
        return f"{self.indicateur} · {self.get_type_display().lower()}"

    @property
    def titre(self):
        return TITRES[self.type]

    def clean(self):
        super().clean()
        if self.indicateur_id and self.indicateur.nature == Indicateur.Nature.QUALITATIF:
            raise ValidationError({"type": MESSAGE_QUALITATIF})

    def erreurs_repartition(self, total, valeurs, non_renseigne=False):
        """What is wrong with a result's values per category, as (message for the total or
        None, {category: message}). `valeurs` maps each category to its Decimal or None.

        The categories are all given or all empty (the breakdown is not always known), never
        with « non renseigné », and when they add up their sum is the total."""
        donnees = {c: v for c, v in valeurs.items() if v is not None}
        if non_renseigne:
            message = "Le résultat est « non renseigné » : laissez les catégories vides."
            return None, dict.fromkeys(donnees, message)
        if not donnees:
            return None, {}
        if len(donnees) < len(valeurs):
            message = (
                "Saisissez une valeur pour chaque catégorie (0 s'il n'y a personne), "
                "ou laissez-les toutes vides si la répartition n'est pas connue."
            )
            return None, {c: message for c, v in valeurs.items() if v is None}
        if self.additive and total is not None:
            return message_somme(sum(donnees.values()), total), {}
        return None, {}

    def erreur_cibles(self, total, cibles, nom_total="la cible totale"):
        """The message for a target `total` (or None) that the categories' `cibles` (Decimal or
        None each) contradict: all given, they must make it; some given, they must not exceed
        it. Nothing to check when the categories do not add up or the total is not set."""
        donnees = [v for v in cibles if v is not None]
        if not self.additive or total is None or not donnees:
            return None
        somme = sum(donnees)
        if len(donnees) == len(cibles):
            return message_somme(somme, total, "des cibles par catégorie", nom_total)
        if somme > total:
            return (
                f"La somme des cibles déjà données par catégorie ({format_nombre(somme)}) "
                f"dépasse {nom_total} ({format_nombre(total)})."
            )
        return None


def message_somme(somme, total, objet="des catégories", nom_total="le total"):
    """« La somme des catégories (48) ne fait pas le total (50) : il manque 2. », or None."""
    if somme == total:
        return None
    ecart = total - somme
    if ecart > 0:
        detail = f"il manque {format_nombre(ecart)}"
    else:
        detail = f"{format_nombre(-ecart)} de trop"
    return (
        f"La somme {objet} ({format_nombre(somme)}) ne fait pas {nom_total} "
        f"({format_nombre(total)}) : {detail}."
    )


class CategorieVentilation(models.Model):
    ventilation = models.ForeignKey(
        Ventilation,
        verbose_name="ventilation",
        on_delete=models.CASCADE,
        related_name="categories",
    )
    libelle = models.CharField("catégorie", max_length=100)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    cible = NombreDecimal(
        "cible pour la période", max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "catégorie de ventilation"
        verbose_name_plural = "catégories de ventilation"
        ordering = ["ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ventilation", "libelle"],
                name="categorie_unique_par_ventilation",
                violation_error_message="Cet indicateur a déjà une catégorie de ce nom.",
            ),
            models.CheckConstraint(
                condition=~Q(libelle=""),
                name="categorie_nommee",
                violation_error_message="Une catégorie a un nom.",
            ),
        ]

    def __str__(self):
        return self.libelle

    def get_additional_data(self):
        fiche = self.ventilation.indicateur.fiche
        return {"projet": fiche.projet_id, "fiche": fiche.pk}


class CibleCategorie(models.Model):
    """The target of one category for one year (the période's target is `categorie.cible`)."""

    categorie = models.ForeignKey(
        CategorieVentilation,
        verbose_name="catégorie",
        on_delete=models.CASCADE,
        related_name="cibles",
    )
    annee = models.PositiveSmallIntegerField("année")
    valeur = NombreDecimal("cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "cible d'une catégorie"
        verbose_name_plural = "cibles des catégories"
        ordering = ["annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["categorie", "annee"],
                name="cible_categorie_unique_par_annee",
                violation_error_message="Cette catégorie a déjà une cible pour cette année.",
            )
        ]

    def __str__(self):
        return f"{self.categorie} · {self.annee} : {format_nombre(self.valeur)}"

    def get_additional_data(self):
        fiche = self.categorie.ventilation.indicateur.fiche
        return {"projet": fiche.projet_id, "fiche": fiche.pk}


class ValeurCategorie(models.Model):
    """What one category counted in one result."""

    resultat = models.ForeignKey(
        "evaluation.Resultat",
        verbose_name="résultat",
        on_delete=models.CASCADE,
        related_name="valeurs_categories",
    )
    # A category that holds measured values is not removed with them (renaming it keeps them);
    # deleting the indicator or the result takes them all.
    categorie = models.ForeignKey(
        CategorieVentilation,
        verbose_name="catégorie",
        on_delete=models.RESTRICT,
        related_name="valeurs",
    )
    valeur = NombreDecimal("valeur", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "valeur d'une catégorie"
        verbose_name_plural = "valeurs des catégories"
        ordering = ["categorie__ordre", "categorie__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resultat", "categorie"],
                name="valeur_categorie_unique_par_resultat",
                violation_error_message="Ce résultat a déjà une valeur pour cette catégorie.",
            )
        ]

    def __str__(self):
        return f"{self.categorie} : {format_nombre(self.valeur)}"

    def clean(self):
        super().clean()
        if (
            self.resultat_id
            and self.categorie_id
            and self.categorie.ventilation.indicateur_id != self.resultat.indicateur_id
        ):
            raise ValidationError({"categorie": "Cette catégorie est celle d'un autre indicateur."})

    def get_additional_data(self):
        fiche = self.resultat.indicateur.fiche
        return {"projet": fiche.projet_id, "fiche": fiche.pk}


# --- Reading and writing a breakdown ---


def ventilation_de(indicateur):
    """The indicator's breakdown, or None (never for a qualitative indicator)."""
    if indicateur.nature == Indicateur.Nature.QUALITATIF:
        return None
    try:
        return indicateur.ventilation
    except Ventilation.DoesNotExist:
        return None


def etat_ventilation(indicateur):
    """The breakdown and its targets as plain, comparable data (for the targets page's check of
    concurrent saves), read fresh from the database."""
    ventilation = (
        Ventilation.objects.filter(indicateur_id=indicateur.pk)
        .prefetch_related("categories__cibles")
        .first()
    )
    if ventilation is None:
        return None
    return {
        "type": ventilation.type,
        "additive": ventilation.additive,
        "categories": [
            [
                c.pk,
                c.libelle,
                None if c.cible is None else str(c.cible),
                [[cible.annee, str(cible.valeur)] for cible in c.cibles.all()],
            ]
            for c in ventilation.categories.all()
        ],
    }


def enregistrer_ventilation(indicateur, type, additive, lignes):
    """Write the indicator's breakdown: `type` ("" for none), `additive`, and `lignes`, the
    categories in order as dicts (pk or None, libelle, cible, cibles {année: Decimal or None}).
    Existing categories missing from `lignes` are removed (the form has checked that they hold
    no value)."""
    with transaction.atomic():
        ventilation = Ventilation.objects.filter(indicateur=indicateur).first()
        if not type:
            if ventilation is not None:
                ventilation.delete()
            return None
        if ventilation is None:
            ventilation = Ventilation.objects.create(
                indicateur=indicateur, type=type, additive=additive
            )
        elif (ventilation.type, ventilation.additive) != (type, additive):
            ventilation.type, ventilation.additive = type, additive
            ventilation.save(update_fields=["type", "additive"])
        existantes = {c.pk: c for c in ventilation.categories.prefetch_related("cibles")}
        gardees = {ligne["pk"] for ligne in lignes if ligne["pk"] in existantes}
        ventilation.categories.exclude(pk__in=gardees).delete()
        # Renaming « A » to « B » and « B » to « A » in one save goes through temporary names,
        # so the uniqueness of names holds at every step.
        a_renommer = [
            existantes[ligne["pk"]]
            for ligne in lignes
            if ligne["pk"] in gardees and existantes[ligne["pk"]].libelle != ligne["libelle"]
        ]
        for categorie in a_renommer:
            categorie.libelle = f"⟨renommage {categorie.pk}⟩"
            categorie.save(update_fields=["libelle"])
        for ordre, ligne in enumerate(lignes):
            categorie = existantes.get(ligne["pk"]) if ligne["pk"] in gardees else None
            if categorie is None:
                categorie = CategorieVentilation.objects.create(
                    ventilation=ventilation,
                    libelle=ligne["libelle"],
                    ordre=ordre,
                    cible=ligne["cible"],
                )
                anciennes = {}
            else:
                champs = {"libelle": ligne["libelle"], "ordre": ordre, "cible": ligne["cible"]}
                if any(getattr(categorie, k) != v for k, v in champs.items()):
                    for k, v in champs.items():
                        setattr(categorie, k, v)
                    categorie.save(update_fields=list(champs))
                anciennes = {c.annee: c for c in categorie.cibles.all()}
            synchroniser_par_annee(
                anciennes,
                ligne["cibles"],
                partial(CibleCategorie.objects.create, categorie=categorie),
            )
        return ventilation


def synchroniser_par_annee(existantes, valeurs, creer):
    """Bring rows of one value per year (`existantes`: annee -> row with a `valeur`) to what was
    typed (`valeurs`: annee -> value or None): an emptied year is deleted, a new one created by
    `creer(annee=…, valeur=…)`, a changed one saved; the others are not touched."""
    for annee, valeur in valeurs.items():
        ligne = existantes.get(annee)
        if valeur is None and ligne:
            ligne.delete()
        elif valeur is not None and ligne is None:
            creer(annee=annee, valeur=valeur)
        elif valeur is not None and ligne.valeur != valeur:
            ligne.valeur = valeur
            ligne.save(update_fields=["valeur"])


def enregistrer_repartition(resultat, valeurs):
    """Write a result's values per category ({category: Decimal or None}); None removes one."""
    existantes = {v.categorie_id: v for v in resultat.valeurs_categories.all()}
    for categorie, valeur in valeurs.items():
        ligne = existantes.get(categorie.pk)
        if valeur is None and ligne:
            ligne.delete()
        elif valeur is not None and ligne is None:
            ValeurCategorie.objects.create(resultat=resultat, categorie=categorie, valeur=valeur)
        elif valeur is not None and ligne.valeur != valeur:
            ligne.valeur = valeur
            ligne.save(update_fields=["valeur"])


# --- Showing a breakdown ---


def joindre_repartitions(indicateurs):
    """Give each indicator (with its results prefetched) `repartition`: the table of its
    breakdown as the fiche's evaluation page shows it, or None. Three queries in all."""
    models.prefetch_related_objects(indicateurs, "ventilation__categories__cibles")
    resultats = [r for i in indicateurs for r in i.resultats.all()]
    models.prefetch_related_objects(resultats, "valeurs_categories")
    for indicateur in indicateurs:
        indicateur.repartition = None
        ventilation = ventilation_de(indicateur)
        if ventilation is None or not ventilation.categories.all():
            continue
        indicateur.repartition = tableau_repartition(ventilation, indicateur.resultats.all())


def tableau_repartition(ventilation, resultats):
    """{titre, additive, periodes, lignes: [{categorie, cible, cellules: [{valeur, cible}]}],
    total}: one row a category, one column a result's period."""
    resultats = [r for r in resultats if not r.non_renseigne]
    lignes = []
    for categorie in ventilation.categories.all():
        cibles = {c.annee: c.valeur for c in categorie.cibles.all()}
        cellules = []
        for resultat in resultats:
            valeur = next(
                (
                    v.valeur
                    for v in resultat.valeurs_categories.all()
                    if v.categorie_id == categorie.pk
                ),
                None,
            )
            cellules.append(
                {"valeur": valeur, "cible": cibles.get(resultat.annee, categorie.cible)}
            )
        lignes.append({"categorie": categorie, "cible": categorie.cible, "cellules": cellules})
    total = [{"valeur": r.valeur, "reparti": bool(r.valeurs_categories.all())} for r in resultats]
    return {
        "titre": ventilation.titre,
        "additive": ventilation.additive,
        "periodes": [r.periode for r in resultats],
        "lignes": lignes,
        "total": total,
    }


def repartition_en_texte(resultat):
    """For the indicators export: the result's breakdown in one cell, « Femmes : 30 ; Hommes :
    18 ; Autre ou non précisé : 2 » (empty when it is not broken down). `resultat` comes with
    `valeurs_categories__categorie` prefetched."""
    return " ; ".join(
        f"{v.categorie.libelle} : {format_nombre(v.valeur)}"
        for v in resultat.valeurs_categories.all()
    )


for modele in [Ventilation, CategorieVentilation, CibleCategorie, ValeurCategorie]:
    auditlog.register(modele)
