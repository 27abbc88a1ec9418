from django import forms

from projets.models import ProjetSocial


class ProjetForm(forms.ModelForm):
    """The projet's identity; its statut and structure change elsewhere (cycle, admin)."""

    class Meta:
        model = ProjetSocial
        fields = ["titre", "annee_debut", "annee_fin", "agrement_acf", "date_decision_caf"]
        widgets = {
            # ISO format: what an <input type="date"> shows and sends back.
            "date_decision_caf": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
