"""The projet's life: its statut changes (the renewal, which copies fiches, is in actions)."""

from django import forms

from projets.models import ProjetSocial


class ChangementStatutForm(forms.Form):
    statut = forms.ChoiceField(label="Nouveau statut", choices=ProjetSocial.Statut.choices)
    date_decision_caf = forms.DateField(
        label="Date de décision de la CAF",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
