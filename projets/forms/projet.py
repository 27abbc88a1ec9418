from django import forms

from centresocial.lib.images import nom_honnete
from projets.models import ProjetSocial, Structure


class ProjetForm(forms.ModelForm):
    """The projet's identity; its statut and structure change elsewhere (cycle, admin)."""

    class Meta:
        model = ProjetSocial
        fields = [
            "titre",
            "annee_debut",
            "annee_fin",
            "agrement_acf",
            "date_decision_caf",
            "date_validation_instances",
            "date_dossier",
            "budget_mention",
        ]
        widgets = {
            # ISO format: what an <input type="date"> shows and sends back.
            "date_decision_caf": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_validation_instances": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "budget_mention": forms.Textarea(attrs={"rows": 3}),
        }


class StructureForm(forms.ModelForm):
    """What the dossier says of the structure (the direction edits it; the admin creates it)."""

    class Meta:
        model = Structure
        fields = [
            "nom",
            "type",
            "gestionnaire",
            "porteur",
            "service",
            "caf",
            "adresse",
            "code_postal",
            "ville",
            "telephone",
            "email",
            "nombre_agents",
            "equipe",
            "logo",
        ]
        widgets = {"equipe": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].validators = []  # typed by its content, named after it (clean_logo)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            logo.name = nom_honnete(logo.name, logo)
        return logo
