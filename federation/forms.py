from django import forms

TOUTES = "toutes"


class AnneeForm(forms.Form):
    """Which year's bilans the figures count (the latest by default, or all of them)."""

    annee = forms.ChoiceField(
        label="Année des bilans",
        required=False,
        error_messages={"invalid_choice": "Choisissez une année parmi celles des bilans."},
    )

    def __init__(self, *args, annees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(str(a), str(a)) for a in annees] + [
            (TOUTES, "Toutes les années")
        ]
        self.annees = annees

    def annee_choisie(self):
        """The year asked for, None for all years; the latest year when none or a wrong one."""
        if self.is_valid() and self.cleaned_data["annee"]:
            choix = self.cleaned_data["annee"]
            return None if choix == TOUTES else int(choix)
        return self.annees[0] if self.annees else None
