"""Forms of the projet's content: sections, territoires and chiffres clés, gouvernance, budget, sigles."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from projets.models import (
    ChiffreCle,
    InstanceGouvernance,
    LigneBudget,
    SectionProjet,
    Sigle,
    Territoire,
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
        help_texts = {"titre": "Laissé vide, le titre est celui du type de section."}


class TerritoireForm(ContenuForm):
    parent = "structure"
    champs_des_contraintes = {"territoire_nom_unique_par_structure": "nom"}

    class Meta:
        model = Territoire
        fields = ["nom", "quartiers", "qpv", "communes"]
        widgets = {"quartiers": forms.Textarea(attrs={"rows": 3})}

    def rattacher(self, instance):
        instance.structure = self.projet.structure


class ChiffreCleForm(ContenuForm):
    parent = None  # the territoire is chosen in the form, among the structure's

    class Meta:
        model = ChiffreCle
        fields = ["territoire", "libelle", "valeur", "unite", "source", "annee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].queryset = self.projet.structure.territoires.all()
        self.fields["territoire"].empty_label = None


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
