from django import forms

from .models import ReglagesDossier


class ReglagesForm(forms.ModelForm):
    class Meta:
        model = ReglagesDossier
        fields = ["chapitre_evaluation"]
        labels = {"chapitre_evaluation": "Ajouter le chapitre « Évaluation des actions »"}
