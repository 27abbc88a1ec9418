"""The upload of a document, and the corrections of the review page."""

from django import forms

from .erreurs import TAILLE_MAX, FichierTropGros, FormatNonPris
from .lecture import EXTENSIONS
from .proposition import CHAMPS_FICHE, CHAMPS_OBJECTIF, CHAMPS_SECTION, IGNORE


class DepotForm(forms.Form):
    structure = forms.ModelChoiceField(label="Structure", queryset=None, empty_label=None)
    fichier = forms.FileField(
        label="Votre projet social actuel",
        help_text="Word (.docx), LibreOffice (.odt), PDF avec du texte (.pdf), Markdown (.md) ou "
        f"texte (.txt), {TAILLE_MAX // (1024 * 1024)} Mo au plus. Rien n'est créé avant que vous "
        "ayez tout relu.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.seule = structures[0] if len(structures) == 1 else None
        if self.seule:  # nothing to choose: the structure is not a field
            del self.fields["structure"]

    def clean(self):
        donnees = super().clean()
        if self.seule:
            donnees["structure"] = self.seule
        return donnees

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if not fichier.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(FormatNonPris.message)
        if fichier.size > TAILLE_MAX:
            raise forms.ValidationError(FichierTropGros.message)
        if fichier.size == 0:
            raise forms.ValidationError("Ce fichier est vide.")
        return fichier


class ProjetImporteForm(forms.Form):
    """What the projet itself takes: its titre and période (never guessed when not found)."""

    titre = forms.CharField(label="Titre du projet", max_length=200)
    annee_debut = forms.IntegerField(label="Année de début", min_value=1990, max_value=2100)
    annee_fin = forms.IntegerField(label="Année de fin", min_value=1990, max_value=2100)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("annee_debut"), donnees.get("annee_fin")
        if debut and fin and not 0 <= fin - debut < 6:
            self.add_error("annee_fin", "Un projet social couvre de 1 à 6 années.")
        return donnees


def choix_des_cibles(proposition):
    """The places a piece of text may go: (value « objet|champ », label), grouped."""
    groupes = [("Ne pas placer", [("|", "Non placé (à décider)"), (f"|{IGNORE}", "Ignorer")])]
    for section in proposition.sections:
        groupes.append(
            (
                f"Chapitre « {section.titre[:60]} »",
                [(f"{section.id}|{c}", libelle) for c, libelle in CHAMPS_SECTION.items()],
            )
        )
    for objectif in proposition.objectifs:
        groupes.append(
            (
                f"Objectif « {objectif.titre[:60]} »",
                [(f"{objectif.id}|{c}", libelle) for c, libelle in CHAMPS_OBJECTIF.items()],
            )
        )
    for fiche in proposition.fiches:
        champs = [(f"{fiche.id}|titre", "Titre de la fiche")]
        champs += [(f"{fiche.id}|{c}", libelle) for c, libelle in CHAMPS_FICHE.items()]
        groupes.append((f"Fiche « {fiche.titre[:60] or fiche.id} »", champs))
    return groupes


class DeplacementForm(forms.Form):
    cible = forms.ChoiceField(label="Placer ce texte dans")

    def __init__(self, *args, proposition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cible"].choices = choix_des_cibles(proposition)


class FusionForm(forms.Form):
    autre = forms.ChoiceField(label="Réunir avec la fiche")

    def __init__(self, *args, proposition, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autre"].choices = [
            (f.id, f.titre[:80] or f.id) for f in proposition.fiches if f.id != fiche.id
        ]
