import json
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import Count

from actions.concurrence import Difference, valeur_affichee, valeur_comparable
from actions.models import FicheAction, Indicateur
from centresocial.lib.nombres import MESSAGE_NOMBRE, ChampNombre, format_nombre

from .fichiers import verifier_fichier
from .models import (
    BilanAction,
    CategorieVentilation,
    Dimension,
    FichierBilan,
    Initiative,
    MotCle,
    Public,
    Resultat,
    StatutBilan,
    TerritoireConcerne,
    TypePartenaire,
    ValeurCategorie,
    Ventilation,
)
from .ventilation import (
    CATEGORIES_PAR_DEFAUT,
    TypeVentilation,
    enregistrer_repartition,
    etat_ventilation,
    ventilation_de,
)

MESSAGE_MESURE = (
    MESSAGE_NOMBRE + " Si la mesure manque, laissez ce champ vide et cochez « non renseigné »."
)
AIDE_FICHIER = "En cas d'erreur ailleurs dans le formulaire, choisissez à nouveau le fichier."


def champ_nombre(label, message=MESSAGE_NOMBRE, **options):
    return ChampNombre(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": message},
        **options,
    )


# --- Breakdown by category (evaluation/ventilation.py) ---

# Blank rows the targets page offers beyond the existing categories, and the most it reads.
LIGNES_EN_PLUS = 3
LIGNES_MAX = 40


class VentilationDesCibles:
    """The breakdown part of the targets page: how the indicator is broken down, whether its
    categories add up, and a grid of categories × targets (période, each year). A category that
    holds results' values cannot be removed (renaming it keeps them)."""

    categories_par_defaut = False  # the save creates the usual categories: show them next

    def ajouter_ventilation(self):
        self.ventilation = ventilation_de(self.indicateur)
        self.categories = (
            list(self.ventilation.categories.prefetch_related("cibles")) if self.ventilation else []
        )
        self.fields["ventilation"] = forms.ChoiceField(
            label="Ventiler l'indicateur",
            choices=[("", "Non ventilé"), *TypeVentilation.choices],
            required=False,
            initial=self.ventilation.type if self.ventilation else "",
            help_text="Pour suivre les résultats par sexe, par tranche d'âge, QPV / hors QPV ou "
            "par catégories que vous nommez. Sans catégorie nommée, les catégories habituelles "
            "sont proposées.",
        )
        self.fields["additive"] = forms.BooleanField(
            label=Ventilation._meta.get_field("additive").verbose_name.capitalize(),
            required=False,
            initial=self.ventilation.additive if self.ventilation else True,
            help_text=Ventilation._meta.get_field("additive").help_text,
        )
        minimum = max(len(c) for c in CATEGORIES_PAR_DEFAUT.values())
        nombre = max(len(self.categories) + LIGNES_EN_PLUS, minimum)
        if self.is_bound and str(self.data.get("lignes", "")).isdigit():
            nombre = min(int(self.data["lignes"]), LIGNES_MAX)
        self.nombre_lignes = nombre
        self.fields["lignes"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=nombre
        )
        for i in range(nombre):
            categorie = self.categories[i] if i < len(self.categories) else None
            cibles = {c.annee: c.valeur for c in categorie.cibles.all()} if categorie else {}
            self.fields[f"cat_{i}_id"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=categorie and categorie.pk
            )
            self.fields[f"cat_{i}_libelle"] = forms.CharField(
                label=f"Nom de la catégorie {i + 1}",
                required=False,
                max_length=CategorieVentilation._meta.get_field("libelle").max_length,
                initial=categorie and categorie.libelle,
            )
            self.fields[f"cat_{i}_cible"] = champ_nombre(
                f"Cible de la période, catégorie {i + 1}", initial=categorie and categorie.cible
            )
            for annee in self.annees:
                self.fields[f"cat_{i}_cible_{annee}"] = champ_nombre(
                    f"Cible {annee}, catégorie {i + 1}", initial=cibles.get(annee)
                )

    def categories_par_defaut_json(self):
        """For static/js/ventilation.js: the usual categories of each type of breakdown."""
        return json.dumps(CATEGORIES_PAR_DEFAUT)

    def champs_de_la_grille(self, i):
        return [
            f"cat_{i}_id",
            f"cat_{i}_libelle",
            f"cat_{i}_cible",
            *(f"cat_{i}_cible_{annee}" for annee in self.annees),
        ]

    @property
    def ventile(self):
        return "ventilation" in self.fields

    def champs_hors_ventilation(self):
        grille = {"ventilation", "additive", "lignes"}
        for i in range(self.nombre_lignes):
            grille.update(self.champs_de_la_grille(i))
        return [self[nom] for nom in self.fields if nom not in grille]

    def grille_ventilation(self):
        """The grid's rows for the template: id (hidden), libelle, cible, annees (bound fields
        marked invalid when they have an error)."""
        lignes = []
        for i in range(self.nombre_lignes):
            champs = [cellule(self[nom]) for nom in self.champs_de_la_grille(i)]
            lignes.append(
                {"id": champs[0], "libelle": champs[1], "cible": champs[2], "annees": champs[3:]}
            )
        return lignes

    def clean(self):
        donnees = super().clean()
        if self.ventile:
            self.lignes_ventilation = self.lire_ventilation(donnees)
        return donnees

    def lire_ventilation(self, donnees):
        """The categories as `enregistrer_ventilation` takes them, with the errors added."""
        type = donnees.get("ventilation") or ""
        connues = {c.pk: c for c in self.categories}
        lignes, noms, pris = [], {}, set()
        for i in range(self.nombre_lignes):
            libelle = (donnees.get(f"cat_{i}_libelle") or "").strip()
            pk = donnees.get(f"cat_{i}_id")
            pk = pk if pk in connues and pk not in pris else None
            cible = donnees.get(f"cat_{i}_cible")
            cibles = {a: donnees.get(f"cat_{i}_cible_{a}") for a in self.annees}
            if not libelle:
                if cible is not None or any(v is not None for v in cibles.values()):
                    self.add_error(
                        f"cat_{i}_libelle", "Nommez cette catégorie, ou videz ses cibles."
                    )
                continue
            if libelle.casefold() in noms:
                self.add_error(f"cat_{i}_libelle", "Une autre catégorie porte déjà ce nom.")
                continue
            noms[libelle.casefold()] = i
            pris.add(pk)
            lignes.append({"pk": pk, "libelle": libelle, "cible": cible, "cibles": cibles})
        self.verifier_retraits(donnees, connues, {ligne["pk"] for ligne in lignes})
        if not type:
            if lignes:
                self.add_error(
                    "ventilation",
                    "Vous avez nommé des catégories : choisissez comment l'indicateur est "
                    "ventilé, ou videz les catégories pour ne pas le ventiler.",
                )
            return []
        if not lignes and not self.categories and CATEGORIES_PAR_DEFAUT[type]:
            self.categories_par_defaut = True
            vides = dict.fromkeys(self.annees)
            return [
                {"pk": None, "libelle": nom, "cible": None, "cibles": vides}
                for nom in CATEGORIES_PAR_DEFAUT[type]
            ]
        if len(lignes) < 2 and not self.errors:
            self.add_error(
                "ventilation", "Nommez au moins deux catégories : une seule ne répartit rien."
            )
        if donnees.get("additive"):
            self.verifier_cibles(donnees, lignes)
        return lignes

    def verifier_retraits(self, donnees, connues, gardees):
        """A category removed from the grid must hold no result's value."""
        retirees = [c for pk, c in connues.items() if pk not in gardees]
        if not retirees:
            return
        comptes = dict(
            ValeurCategorie.objects.filter(categorie__in=retirees)
            .values_list("categorie")
            .annotate(n=Count("pk"))
        )
        lignes = {donnees.get(f"cat_{i}_id"): i for i in range(self.nombre_lignes)}
        for categorie in retirees:
            if n := comptes.get(categorie.pk):
                message = (
                    f"La catégorie « {categorie.libelle} » a des valeurs dans {n} résultat"
                    f"{'s' if n > 1 else ''} : elle ne peut pas être retirée (vous pouvez la "
                    "renommer)."
                )
                i = lignes.get(categorie.pk)
                self.add_error(f"cat_{i}_libelle" if i is not None else "ventilation", message)

    def verifier_cibles(self, donnees, lignes):
        """When the categories add up, their targets make the indicator's (next to it)."""
        if "cible" not in self.errors:
            message = self.ventilation_provisoire().erreur_cibles(
                donnees.get("cible"),
                [ligne["cible"] for ligne in lignes],
                "la cible de la période",
            )
            if message:
                self.add_error("cible", message)
        for annee in self.annees:
            nom = f"cible_{annee}"
            cibles = [ligne["cibles"][annee] for ligne in lignes]
            if nom in self.errors or all(v is None for v in cibles):
                continue
            total, libelle = donnees.get(nom), f"la cible {annee}"
            if total is None:
                total = donnees.get("cible")
                libelle = f"la cible de la période, qui vaut pour {annee}"
            message = self.ventilation_provisoire().erreur_cibles(total, cibles, libelle)
            if message:
                self.add_error(nom, message.replace("des cibles", f"des cibles {annee}", 1))

    def ventilation_provisoire(self):
        return Ventilation(indicateur=self.indicateur, additive=True)


def cellule(champ):
    """A bound field of a grid, rendered bare: Bootstrap's classes, and its error announced."""
    attrs = champ.field.widget.attrs
    if not isinstance(champ.field.widget, forms.HiddenInput):
        attrs["class"] = "form-control form-control-sm"
        attrs["aria-label"] = champ.label
        if champ.errors:
            attrs["class"] += " is-invalid"
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{champ.auto_id}_erreur"
    return champ


class RepartitionDuResultat:
    """The values of a result per category of its indicator's breakdown, in a group of fields
    after the value. They are all given or all empty, and when the categories add up their sum
    must make the value (the message says by how much it does not)."""

    champs_repartition = ()  # a qualitative indicator, or one not broken down

    def ajouter_repartition(self, indicateur):
        self.ventilation = ventilation_de(indicateur)
        self.categories = list(self.ventilation.categories.all()) if self.ventilation else []
        self.champs_repartition = []
        if not self.categories:
            return
        existantes = {}
        if self.instance.pk:
            existantes = {v.categorie_id: v.valeur for v in self.instance.valeurs_categories.all()}
        champs = {}
        for nom, champ in self.fields.items():
            champs[nom] = champ
            if nom == "valeur":
                for categorie in self.categories:
                    cle = f"categorie_{categorie.pk}"
                    champs[cle] = champ_nombre(
                        categorie.libelle,
                        message=MESSAGE_NOMBRE,
                        initial=existantes.get(categorie.pk),
                    )
                    self.champs_repartition.append(cle)
                champs["categories_ouvertes"] = forms.CharField(
                    widget=forms.HiddenInput, required=False, initial=self.liste_categories()
                )
        self.fields = champs
        self.titre_repartition = self.ventilation.titre
        if self.ventilation.additive:
            self.aide_repartition = (
                "Facultatif : laissez toutes les catégories vides si la répartition n'est pas "
                "connue. Sinon, remplissez-les toutes : leur somme doit faire la valeur."
            )
        else:
            self.aide_repartition = (
                "Facultatif : la valeur de chaque catégorie (un taux, une moyenne…), sans total à "
                "vérifier. Remplissez-les toutes, ou laissez-les toutes vides."
            )

    def champs_avant_repartition(self):
        noms = list(self.fields)
        return [self[nom] for nom in noms[: noms.index("valeur") + 1]]

    def champs_de_repartition(self):
        return [self[nom] for nom in self.champs_repartition]

    def champs_apres_repartition(self):
        noms = list(self.fields)
        return [self[nom] for nom in noms[noms.index("categories_ouvertes") :]]

    def liste_categories(self):
        return ",".join(str(c.pk) for c in self.categories)

    def clean(self):
        donnees = super().clean()
        if not self.champs_repartition:
            return donnees
        if donnees.get("categories_ouvertes", "") != self.liste_categories():
            # The form the user filled in had other categories: the page now shows the current
            # ones, with what was typed, and saving again is possible.
            self.data = self.data.copy()
            self.data["categories_ouvertes"] = self.liste_categories()
            self.add_error(
                None,
                "Les catégories de cet indicateur ont changé depuis que vous avez ouvert la "
                "page : vérifiez la répartition ci-dessous, puis enregistrez à nouveau.",
            )
            return donnees
        valeurs = {c: donnees.get(f"categorie_{c.pk}") for c in self.categories}
        if any(f"categorie_{c.pk}" in self.errors for c in self.categories):
            return donnees
        total = donnees.get("valeur")
        erreur_total, erreurs = self.ventilation.erreurs_repartition(
            total, valeurs, non_renseigne=donnees.get("non_renseigne")
        )
        if erreur_total and "valeur" not in self.errors:
            self.add_error("valeur", erreur_total)
            # add_error drops the value from cleaned_data, and the model's check would then say
            # it is missing: the value itself is right, only its breakdown is not.
            donnees["valeur"] = total
        for categorie, message in erreurs.items():
            self.add_error(f"categorie_{categorie.pk}", message)
        self.valeurs_reparties = valeurs
        return donnees

    def save(self, commit=True):
        with transaction.atomic():
            resultat = super().save(commit=commit)
            if commit and self.champs_repartition:
                enregistrer_repartition(resultat, self.valeurs_reparties)
        return resultat


class ResultatForm(RepartitionDuResultat, forms.ModelForm):
    """A result: a number (quantitative) or a level of the scale (qualitative), or « non
    renseigné »; the model says which combinations are allowed."""

    class Meta:
        model = Resultat
        fields = [
            "annee",
            "semestre",
            "valeur",
            "niveau",
            "non_renseigne",
            "date_mesure",
            "source",
            "commentaire",
            "justificatif",
        ]
        widgets = {
            "date_mesure": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commentaire": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicateur = indicateur
        annees = indicateur.fiche.projet.annees
        self.fields["annee"] = forms.TypedChoiceField(
            label="Année", choices=[(a, a) for a in annees], coerce=int
        )
        if indicateur.nature == Indicateur.Nature.QUALITATIF:
            del self.fields["valeur"]
            self.fields["niveau"] = forms.TypedChoiceField(
                label="Niveau atteint",
                choices=[("", "—"), *indicateur.niveaux],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields["commentaire"].label = "Ce qui a été observé"
        else:
            del self.fields["niveau"]
            unite = f" ({indicateur.unite})" if indicateur.unite else ""
            self.fields["valeur"] = champ_nombre(f"Valeur{unite}", message=MESSAGE_MESURE)
            self.ajouter_repartition(indicateur)
        if not self.instance.pk and not self.is_bound and not self.initial.get("source"):
            # A new result's source starts as the indicator's outil de recueil (the instance's
            # empty source is already in `initial`, so setdefault would keep it empty).
            self.initial["source"] = indicateur.outil
        self.fields["justificatif"].help_text += " " + AIDE_FICHIER


class CiblesForm(VentilationDesCibles, forms.Form):
    """The indicator's baseline, its target for the période or per year, and its scale."""

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicateur = indicateur
        self.annees = indicateur.fiche.projet.annees
        if indicateur.nature == Indicateur.Nature.QUALITATIF:
            self.fields["echelle"] = forms.CharField(
                label="Échelle des niveaux",
                required=False,
                max_length=255,
                initial=indicateur.echelle,
                help_text=Indicateur._meta.get_field("echelle").help_text,
            )
            return
        self.fields["valeur_reference"] = champ_nombre(
            "Valeur de référence (point de départ)", initial=indicateur.valeur_reference
        )
        self.fields["cible"] = champ_nombre(
            f"Cible pour toute la période ({indicateur.fiche.projet.periode})",
            initial=indicateur.cible,
            help_text="Utilisée pour les années qui n'ont pas de cible propre.",
            precision="Cible en clair",
        )
        champ = Indicateur._meta.get_field("cible_precision")
        self.fields["cible_precision"] = forms.CharField(
            label="Cible en clair",
            required=False,
            max_length=champ.max_length,
            initial=indicateur.cible_precision,
            help_text=champ.help_text,
        )
        existantes = {c.annee: c.valeur for c in indicateur.cibles.all()}
        for annee in self.annees:
            self.fields[f"cible_{annee}"] = champ_nombre(
                f"Cible {annee}", initial=existantes.get(annee)
            )
        self.ajouter_ventilation()

    def cibles_annuelles(self):
        return {a: self.cleaned_data.get(f"cible_{a}") for a in self.annees}


# The targets page is safe against concurrent saves the way the fiche editor is: it receives the
# state of the indicator's targets, signed, when opened, and a save that finds another state
# is refused, with what changed and the user's input kept.
SEL_CIBLES = "evaluation.cibles.etat"
# What the page writes, and the nature that decides which of it the page shows.
CHAMPS_CIBLES = ["nature", "valeur_reference", "cible", "cible_precision", "echelle"]


def etat_cibles(indicateur):
    """The indicator's targets as plain, comparable data (read fresh from the database)."""
    indicateur = Indicateur.objects.prefetch_related("cibles").get(pk=indicateur.pk)
    return {
        "indicateur": {champ: valeur_comparable(indicateur, champ) for champ in CHAMPS_CIBLES},
        "cibles": [[cible.annee, str(cible.valeur)] for cible in indicateur.cibles.all()],
        "ventilation": etat_ventilation(indicateur),
    }


def differences_cibles(avant, apres, form):
    """What changed between two states of the targets, named as the page names them, with the
    value now saved (`form` is built on the current indicator)."""
    if avant is None:
        return [
            Difference("Cibles", "Impossible de savoir dans quel état vous aviez ouvert la page.")
        ]
    indicateur = form.indicateur
    resultat = []
    for champ in CHAMPS_CIBLES:
        if avant["indicateur"].get(champ) != apres["indicateur"].get(champ):
            if champ in form.fields:
                libelle = form.fields[champ].label
            else:
                libelle = str(Indicateur._meta.get_field(champ).verbose_name).capitalize()
            valeur = valeur_affichee(indicateur, champ)
            resultat.append(Difference(libelle, f"maintenant « {valeur} »"))
    anciennes, nouvelles = dict(avant["cibles"]), dict(apres["cibles"])
    for annee in sorted(anciennes.keys() | nouvelles.keys()):
        if anciennes.get(annee) != nouvelles.get(annee):
            if annee in nouvelles:
                detail = f"maintenant « {format_nombre(Decimal(nouvelles[annee]))} »"
            else:
                detail = "retirée"
            resultat.append(Difference(f"Cible {annee}", detail))
    resultat += differences_ventilation(avant.get("ventilation"), apres.get("ventilation"))
    return resultat


def differences_ventilation(avant, apres):
    """What changed in the breakdown between two states (`etat_ventilation`)."""
    if avant == apres:
        return []
    if apres is None:
        return [Difference("Ventilation", "retirée : l'indicateur n'est plus ventilé")]
    resultat = []
    if avant is None or (avant["type"], avant["additive"]) != (apres["type"], apres["additive"]):
        detail = TypeVentilation(apres["type"]).label.lower()
        if not apres["additive"]:
            detail += ", sans total (les catégories ne s'additionnent pas)"
        resultat.append(Difference("Ventilation", f"maintenant « {detail} »"))
    noms = [c[1] for c in apres["categories"]]
    if avant is None or [c[1] for c in avant["categories"]] != noms:
        resultat.append(Difference("Catégories", f"maintenant « {', '.join(noms)} »"))
    anciennes = {c[0]: c for c in avant["categories"]} if avant else {}
    for pk, libelle, cible, cibles in apres["categories"]:
        ancienne = anciennes.get(pk)
        if ancienne is None and not cible and not cibles:
            continue  # a new category without target: named in « Catégories » already
        if ancienne is None or (ancienne[2], ancienne[3]) != (cible, cibles):
            chiffres = [f"période : {format_nombre(Decimal(cible))}"] if cible else []
            chiffres += [f"{annee} : {format_nombre(Decimal(v))}" for annee, v in cibles]
            detail = f"maintenant « {' ; '.join(chiffres)} »" if chiffres else "sans cible"
            resultat.append(Difference(f"Cibles « {libelle} »", detail))
    return resultat


class ChoixMultiples(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, choix, **kwargs):
        super().__init__(choices=choix.choices, required=False, **kwargs)


class BilanForm(forms.ModelForm):
    statut = forms.ChoiceField(label="Statut de l'action", choices=StatutBilan.choices)
    mots_cles = ChoixMultiples(MotCle, label="Mots clés")
    initiatives = ChoixMultiples(
        Initiative, label="Qui est à l'initiative", help_text="Plusieurs réponses possibles."
    )
    publics = ChoixMultiples(Public, label="Public")
    types_partenaires = ChoixMultiples(TypePartenaire, label="Partenaires d'action (types)")
    montant_ressources = champ_nombre("Montant total des ressources (€)")
    fichier = forms.FileField(
        label="Ajouter un fichier associé",
        required=False,
        validators=[verifier_fichier],
        help_text="Compte rendu, questionnaire, photos… PDF, PNG, JPEG ou document bureautique, "
        "5 Mo au plus. " + AIDE_FICHIER,
    )
    titre_fichier = forms.CharField(label="Titre du fichier", required=False, max_length=200)

    class Meta:
        model = BilanAction
        fields = [
            "statut",
            "motif_fin",
            "precision_fin",
            "dimension",
            "mots_cles",
            "precision_mots_cles",
            "initiatives",
            "precision_initiative",
            "territoire",
            "precision_territoire",
            "publics",
            "types_partenaires",
            "ressources_financieres",
            "montant_ressources",
            "salaries",
            "benevoles",
            "participants",
            "personnes_precision",
            "resultat_territoire",
            "resultat_centre",
            "resultat_habitants",
            "limites",
            "perspectives",
        ]
        widgets = {
            nom: forms.Textarea(attrs={"rows": 3})
            for nom in [
                "ressources_financieres",
                "personnes_precision",
                "resultat_territoire",
                "resultat_centre",
                "resultat_habitants",
                "limites",
                "perspectives",
            ]
        }
        labels = {"motif_fin": "Raison de la fin (si terminée, facultatif)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choice lists start with an explicit « non précisé » rather than Django's dashes.
        for nom, choix in [
            ("dimension", Dimension),
            ("territoire", TerritoireConcerne),
            ("motif_fin", FicheAction.MotifFin),
        ]:
            self.fields[nom].choices = [("", "Non précisé"), *choix.choices]
        for nom in ("salaries", "benevoles", "participants"):
            self.fields[nom].precision = "Personnes mobilisées, en clair"

    def save(self, commit=True):
        bilan = super().save(commit=commit)
        fichier = self.cleaned_data.get("fichier")
        if commit and fichier:
            FichierBilan.objects.create(
                bilan=bilan, fichier=fichier, titre=self.cleaned_data.get("titre_fichier", "")
            )
        return bilan
