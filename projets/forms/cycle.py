"""The projet's life: statut changes and the renewal into a new période."""

from django import forms

from projets.models import ProjetSocial
from projets.renouvellement import decaler_annees


class ChangementStatutForm(forms.Form):
    statut = forms.ChoiceField(label="Nouveau statut", choices=ProjetSocial.Statut.choices)
    date_decision_caf = forms.DateField(
        label="Date de décision de la CAF",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RenouvellementForm(forms.ModelForm):
    """The new projet's title and période; by default the next période of the same length."""

    class Meta:
        model = ProjetSocial
        fields = ["titre", "annee_debut", "annee_fin"]

    def __init__(self, *args, ancien, **kwargs):
        self.ancien = ancien
        duree = ancien.annee_fin - ancien.annee_debut + 1
        debut = ancien.annee_fin + 1
        kwargs["instance"] = ProjetSocial(structure=ancien.structure)
        kwargs["initial"] = {
            "titre": decaler_annees(ancien.titre, ancien.annees, debut - ancien.annee_debut),
            "annee_debut": debut,
            "annee_fin": debut + duree - 1,
        }
        super().__init__(*args, **kwargs)

    def clean_annee_debut(self):
        debut = self.cleaned_data["annee_debut"]
        if debut <= self.ancien.annee_debut:
            raise forms.ValidationError(
                f"La nouvelle période doit commencer après {self.ancien.annee_debut}, "
                "début du projet renouvelé."
            )
        return debut
