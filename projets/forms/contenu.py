"""Forms of the projet's content: sections, territoires and chiffres clés, gouvernance, budget, sigles."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from centresocial.lib.images import nom_honnete
from centresocial.lib.nombres import ChampNombre
from centresocial.lib.texte import AIDE_MARKDOWN
from projets.models import (
    ChiffreCle,
    ColonneChiffres,
    Constat,
    ImageSection,
    InstanceGouvernance,
    LigneBudget,
    SectionProjet,
    Sigle,
    Territoire,
    ValeurComparee,
)


class ContenuForm(forms.ModelForm):
    """A row of a projet's content; the view gives the projet, never the user.

    `parent` names the field tying the row to the projet (or its structure). It is set before
    validation and kept in the model's checks, so `clean()` can compare with the période and the
    named constraints (one sigle per projet…) answer with their own French message.
    """

    parent = "projet"
    # Constraint name → the field its message is shown next to (instead of the top of the form).
    champs_des_contraintes = {}

    def __init__(self, *args, projet, **kwargs):
        super().__init__(*args, **kwargs)
        self.projet = projet
        if self.instance.pk is None and self.parent:
            self.rattacher(self.instance)

    def rattacher(self, instance):
        instance.projet = self.projet

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {self.parent}

    def _post_clean(self):
        super()._post_clean()
        en_tete = list(self.non_field_errors())
        for contrainte in self._meta.model._meta.constraints:
            champ = self.champs_des_contraintes.get(contrainte.name)
            message = str(contrainte.get_violation_error_message())
            if champ and message in en_tete:
                en_tete.remove(message)
                self._errors.pop(NON_FIELD_ERRORS)
                if en_tete:
                    self.add_error(None, en_tete)
                self.add_error(champ, message)


class SectionForm(ContenuForm):
    class Meta:
        model = SectionProjet
        fields = ["type", "titre", "contenu"]
        widgets = {"contenu": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "contenu": AIDE_MARKDOWN + " Titres : « ### ».",
            "titre": "Laissé vide, le titre est celui du type de section ; un chapitre libre "
            "s'imprime sous le titre donné ici.",
        }


class ConstatForm(ContenuForm):
    class Meta:
        model = Constat
        fields = ["enonce", "source"]
        help_texts = {
            "enonce": "En une phrase, ce que le diagnostic a montré, par exemple « Un tiers des "
            "familles du quartier sont monoparentales ». Les enjeux du projet y renvoient.",
        }


class ImageSectionForm(ContenuForm):
    parent = None  # the section is chosen in the form, among the projet's

    class Meta:
        model = ImageSection
        fields = ["section", "image", "legende", "texte_alternatif", "largeur"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = self.projet.sections.all()
        self.fields["section"].empty_label = None
        # The type is read from the content (verifier_image) and the name follows it: a PNG
        # called « carte.png.exe » is kept as « carte.png », not refused for its name.
        self.fields["image"].validators = []

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload: named by its real type
            image.name = nom_honnete(image.name, image)
        return image


class TerritoireForm(ContenuForm):
    parent = "structure"
    champs_des_contraintes = {"territoire_nom_unique_par_structure": "nom"}

    class Meta:
        model = Territoire
        fields = ["nom", "quartiers", "qpv", "communes"]
        widgets = {"quartiers": forms.Textarea(attrs={"rows": 3})}

    def rattacher(self, instance):
        instance.structure = self.projet.structure


class ColonneForm(ContenuForm):
    parent = None
    champs_des_contraintes = {"colonne_chiffres_unique_par_territoire": "intitule"}

    class Meta:
        model = ColonneChiffres
        fields = ["territoire", "intitule"]
        help_texts = {"intitule": "Par exemple « Ville », « Département », « France »."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = self.projet.structure.territoires.all()
        self.fields["territoire"].empty_label = None


class ChiffreCleForm(ContenuForm):
    """A chiffre clé: the territoire's value, and one field per comparison column of its
    territoire (« Ville », « France »…)."""

    parent = None  # the territoire is chosen in the form, among the structure's

    class Meta:
        model = ChiffreCle
        fields = ["territoire", "libelle", "valeur", "unite", "source", "annee"]
        help_texts = {"valeur": "Celle du territoire ; laissez vide si elle n'est pas connue."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = self.projet.structure.territoires.all()
        self.fields["territoire"].empty_label = None
        # Compared as text: whatever was sent never reaches a query.
        choisi = str(self._territoire())
        self.colonnes = [
            colonne
            for colonne in ColonneChiffres.objects.filter(
                territoire__structure_id=self.projet.structure_id
            )
            if str(colonne.territoire_id) == choisi
        ]
        valeurs = {}
        if self.instance.pk:
            valeurs = {v.colonne_id: v.valeur for v in self.instance.valeurs.all()}
        champ_valeur = self.fields["valeur"]
        for colonne in self.colonnes:
            self.fields[self.nom_colonne(colonne)] = ChampNombre(
                label=f"Valeur : {colonne.intitule}",
                required=False,
                max_digits=champ_valeur.max_digits,
                decimal_places=champ_valeur.decimal_places,
                initial=valeurs.get(colonne.pk),
            )

    @staticmethod
    def nom_colonne(colonne):
        return f"colonne_{colonne.pk}"

    def _territoire(self):
        """The territoire whose columns the form shows: the one sent, else the row's own."""
        if self.is_bound:
            return self.data.get(self.add_prefix("territoire")) or None
        return self.instance.territoire_id or self.initial.get("territoire")

    def clean(self):
        donnees = super().clean()
        attendus = {self.add_prefix(self.nom_colonne(c)) for c in self.colonnes}
        envoyes = {
            nom for nom, valeur in self.data.items() if nom.startswith(self.add_prefix("colonne_"))
        }
        if any(self.data.get(nom, "").strip() for nom in envoyes - attendus):
            # Values typed under another territoire's columns: say so rather than drop them.
            raise forms.ValidationError(
                "Ce territoire n'a pas les mêmes colonnes de comparaison que celui affiché : "
                "rien n'a été enregistré. Saisissez les valeurs dans les colonnes ci-dessous."
            )
        return donnees

    @transaction.atomic
    def save(self, commit=True):
        chiffre = super().save(commit=commit)
        if commit:
            existantes = {v.colonne_id: v for v in chiffre.valeurs.all()}
            for colonne in self.colonnes:
                valeur = self.cleaned_data.get(self.nom_colonne(colonne))
                ligne = existantes.get(colonne.pk)
                if valeur is None and ligne:
                    ligne.delete()
                elif valeur is not None and ligne is None:
                    ValeurComparee.objects.create(chiffre=chiffre, colonne=colonne, valeur=valeur)
                elif valeur is not None and ligne.valeur != valeur:
                    ligne.valeur = valeur
                    ligne.save(update_fields=["valeur"])
        return chiffre


class InstanceForm(ContenuForm):
    class Meta:
        model = InstanceGouvernance
        fields = ["nom", "role", "composition", "frequence"]
        widgets = {
            "role": forms.Textarea(attrs={"rows": 4}),
            "composition": forms.Textarea(attrs={"rows": 4}),
        }


class LigneBudgetForm(ContenuForm):
    class Meta:
        model = LigneBudget
        fields = ["annee", "sens", "libelle", "montant"]
        widgets = {"sens": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        periode = self.projet.periode
        self.fields["annee"].help_text = f"Une année de la période du projet ({periode})."
        self.fields["sens"].choices = LigneBudget.Sens.choices  # radios need no empty choice


class SigleForm(ContenuForm):
    champs_des_contraintes = {"sigle_unique_par_projet": "sigle"}

    class Meta:
        model = Sigle
        fields = ["sigle", "signification"]
