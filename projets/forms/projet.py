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
            "date_fin_agrement",
            "date_dossier",
            "budget_mention",
        ]
        widgets = {
            # ISO format: what an <input type="date"> shows and sends back.
            "date_decision_caf": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_validation_instances": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_fin_agrement": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "budget_mention": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        donnees = super().clean()
        fin = donnees.get("date_fin_agrement")
        debut_annee, fin_annee = donnees.get("annee_debut"), donnees.get("annee_fin")
        if fin and debut_annee and fin_annee:
            # The période as typed: the timeline of the renewal starts from this date.
            periode = ProjetSocial(annee_debut=debut_annee, annee_fin=fin_annee)
            if fin.year < debut_annee:
                self.add_error(
                    "date_fin_agrement",
                    f"L'agrément ne peut pas finir avant le début du projet ({debut_annee}) : "
                    "indiquez le dernier jour de l'agrément accordé par la CAF.",
                )
            elif message := periode.erreur_date(fin):
                self.add_error("date_fin_agrement", message)
        return donnees


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
            # Not printed: whether the structure's fédération may read its fiches.
            "partage_federation",
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
