"""The projet's life: statut changes and the renewal into a new période."""

from django import forms

from actions.models import EtapeEcheancier, decaler
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

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        nouveau = ProjetSocial(annee_debut=donnees["annee_debut"], annee_fin=donnees["annee_fin"])
        decalage = nouveau.annee_debut - self.ancien.annee_debut
        bloquantes = [
            etape
            for etape in etapes_du_projet(self.ancien)
            if not decalable(etape, decalage, nouveau)
        ]
        if bloquantes:
            liste = " ; ".join(
                f"« {e.libelle} » (fiche {e.fiche.reference}, "
                + ", ".join(f"{d:%d/%m/%Y}" for d in (e.date_debut, e.date_fin) if d)
                + ")"
                for e in bloquantes[:10]
            )
            raise forms.ValidationError(
                "Rien n'a été créé : des étapes ont des dates trop loin de la période pour être "
                f"décalées de {decalage} an{'s' if abs(decalage) > 1 else ''} : {liste}. "
                "Corrigez-les dans leur fiche, puis renouvelez."
            )
        return donnees


def etapes_du_projet(projet):
    return EtapeEcheancier.objects.filter(fiche__projet=projet).select_related("fiche__axe")


def decalable(etape, decalage, nouveau):
    """Whether the étape's dates, moved with the projet, are dates of the new projet."""
    for date in (etape.date_debut, etape.date_fin):
        try:
            decalee = decaler(date, decalage)
        except ValueError:
            return False
        if nouveau.erreur_date(decalee):
            return False
    return True
