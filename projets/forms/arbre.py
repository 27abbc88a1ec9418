"""The arbre d'objectifs: axes, enjeux (numbered across the projet) and objectifs généraux."""

from django import forms
from django.core.exceptions import ValidationError

from centresocial.lib.texte import AIDE_MARKDOWN
from projets.models import Axe, Constat, Enjeu, ObjectifGeneral


class AxeForm(forms.ModelForm):
    class Meta:
        model = Axe
        fields = ["titre", "transversal"]
        help_texts = {
            "transversal": "Un axe transversal se place après les axes numérotés (« Axe transversal »)."
        }


class EnjeuForm(forms.ModelForm):
    class Meta:
        model = Enjeu
        fields = ["numero", "titre", "description", "constats"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "constats": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "numero": "Les enjeux sont numérotés sur l'ensemble du projet social.",
            "description": AIDE_MARKDOWN,
            "constats": "Les constats du diagnostic auxquels cet enjeu répond (ils s'ajoutent "
            "dans « Contenu du projet », partie Diagnostic).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the findings of the enjeu's own projet.
        self.fields["constats"].queryset = Constat.objects.filter(
            projet=self.instance.projet_id
        ).order_by("ordre", "pk")
        self.fields["constats"].label_from_instance = lambda c: (
            f"{c.enonce} ({c.get_source_display()})"
        )

    def validate_unique(self):
        super().validate_unique()
        if "numero" in self.errors:
            return
        # The projet is set by the view, not a form field, so Django would skip the
        # (projet, numero) constraint: check it here and show its message by the field.
        try:
            self.instance.validate_constraints()
        except ValidationError as erreur:
            self.add_error("numero", erreur.messages)


class EnjeuChoix(forms.ModelChoiceField):
    def label_from_instance(self, enjeu):
        return f"Enjeu n° {enjeu.numero} : {enjeu.titre}"


class ObjectifForm(forms.ModelForm):
    enjeu = EnjeuChoix(
        label="Enjeu",
        queryset=Enjeu.objects.none(),
        required=False,
        empty_label="— Aucun enjeu (objectif rattaché à l'axe) —",
    )

    class Meta:
        model = ObjectifGeneral
        fields = ["enjeu", "titre", "objectifs_operationnels", "indicateurs_resultats", "exemples"]
        widgets = {
            "objectifs_operationnels": forms.Textarea(attrs={"rows": 3}),
            "indicateurs_resultats": forms.Textarea(attrs={"rows": 3}),
            "exemples": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "objectifs_operationnels": AIDE_MARKDOWN,
            "indicateurs_resultats": AIDE_MARKDOWN,
            "exemples": AIDE_MARKDOWN,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the enjeux of the objectif's own axe.
        self.fields["enjeu"].queryset = Enjeu.objects.filter(axe=self.instance.axe_id)
