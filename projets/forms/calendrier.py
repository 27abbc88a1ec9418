"""The direction's form of the renewal's timeline: one small form per step (its date, the day it
was done), prefixed by the step."""

from django import forms
from django.utils import timezone

from projets.calendrier import dater_etape

ENTREE_DATE = {"type": "date"}


class EtapeForm(forms.Form):
    date = forms.DateField(
        label="Date prévue",
        widget=forms.DateInput(attrs=ENTREE_DATE, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date prévue de cette étape.",
            "invalid": "Cette date n'existe pas : saisissez-la au format jj/mm/aaaa.",
        },
    )
    faite_le = forms.DateField(
        label="Faite le",
        required=False,
        widget=forms.DateInput(attrs=ENTREE_DATE, format="%Y-%m-%d"),
        error_messages={"invalid": "Cette date n'existe pas : saisissez-la au format jj/mm/aaaa."},
    )

    def __init__(self, *args, etape_datee, **kwargs):
        self.etape_datee = etape_datee
        initial = {"date": etape_datee.date, "faite_le": etape_datee.faite_le}
        super().__init__(*args, prefix=etape_datee.etape, initial=initial, **kwargs)

    @property
    def projet(self):
        return self.etape_datee.projet

    def clean_date(self):
        jour = self.cleaned_data["date"]
        if message := self.projet.erreur_date(jour):
            raise forms.ValidationError(message)
        return jour

    def clean_faite_le(self):
        jour = self.cleaned_data["faite_le"]
        if jour is None:
            return jour
        if jour > timezone.localdate():
            raise forms.ValidationError(
                "Cette date est dans le futur : une étape se marque faite le jour où elle l'est "
                "(laissez vide d'ici là)."
            )
        if message := self.projet.erreur_date(jour):
            raise forms.ValidationError(message)
        return jour

    def enregistrer(self):
        """Store the step when the direction changed it, or when it was already stored; a
        proposed step left as is stays proposed (it follows the agrément's end date)."""
        if self.etape_datee.enregistree or self.has_changed():
            dater_etape(
                self.projet,
                self.etape_datee.etape,
                self.cleaned_data["date"],
                self.cleaned_data["faite_le"],
            )


class CalendrierForm:
    """The six steps' forms, saved together."""

    def __init__(self, etapes, data=None):
        self.formulaires = [EtapeForm(data, etape_datee=etape) for etape in etapes]

    def __iter__(self):
        return iter(self.formulaires)

    def is_valid(self):
        return all(form.is_valid() for form in self.formulaires)

    def enregistrer(self):
        for form in self.formulaires:
            form.enregistrer()
