from django import forms

from actions.models import FicheAction, Indicateur
from centresocial.lib.nombres import MESSAGE_NOMBRE, ChampNombre

from .fichiers import verifier_fichier
from .models import (
    BilanAction,
    Dimension,
    FichierBilan,
    Initiative,
    MotCle,
    Public,
    Resultat,
    StatutBilan,
    TerritoireConcerne,
    TypePartenaire,
)

MESSAGE_MESURE = (
    MESSAGE_NOMBRE + " Si la mesure manque, laissez ce champ vide et cochez « non renseigné »."
)
AIDE_FICHIER = "En cas d'erreur ailleurs dans le formulaire, choisissez à nouveau le fichier."


def champ_nombre(label, message=MESSAGE_NOMBRE, **options):
    return ChampNombre(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": message},
        **options,
    )


class ResultatForm(forms.ModelForm):
    """A result: a number (quantitative) or a level of the scale (qualitative), or « non
    renseigné »; the model says which combinations are allowed."""

    class Meta:
        model = Resultat
        fields = [
            "annee",
            "semestre",
            "valeur",
            "niveau",
            "non_renseigne",
            "date_mesure",
            "source",
            "commentaire",
            "justificatif",
        ]
        widgets = {
            "date_mesure": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commentaire": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicateur = indicateur
        annees = indicateur.fiche.projet.annees
        self.fields["annee"] = forms.TypedChoiceField(
            label="Année", choices=[(a, a) for a in annees], coerce=int
        )
        if indicateur.nature == Indicateur.Nature.QUALITATIF:
            del self.fields["valeur"]
            self.fields["niveau"] = forms.TypedChoiceField(
                label="Niveau atteint",
                choices=[("", "—"), *indicateur.niveaux],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields["commentaire"].label = "Ce qui a été observé"
        else:
            del self.fields["niveau"]
            unite = f" ({indicateur.unite})" if indicateur.unite else ""
            self.fields["valeur"] = champ_nombre(f"Valeur{unite}", message=MESSAGE_MESURE)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("source", indicateur.outil)
        self.fields["justificatif"].help_text += " " + AIDE_FICHIER


class CiblesForm(forms.Form):
    """The indicator's baseline, its target for the période or per year, and its scale."""

    def __init__(self, *args, indicateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicateur = indicateur
        self.annees = indicateur.fiche.projet.annees
        if indicateur.nature == Indicateur.Nature.QUALITATIF:
            self.fields["echelle"] = forms.CharField(
                label="Échelle des niveaux",
                required=False,
                max_length=255,
                initial=indicateur.echelle,
                help_text=Indicateur._meta.get_field("echelle").help_text,
            )
            return
        self.fields["valeur_reference"] = champ_nombre(
            "Valeur de référence (point de départ)", initial=indicateur.valeur_reference
        )
        self.fields["cible"] = champ_nombre(
            f"Cible pour toute la période ({indicateur.fiche.projet.periode})",
            initial=indicateur.cible,
            help_text="Utilisée pour les années qui n'ont pas de cible propre.",
            precision="Cible en clair",
        )
        champ = Indicateur._meta.get_field("cible_precision")
        self.fields["cible_precision"] = forms.CharField(
            label="Cible en clair",
            required=False,
            max_length=champ.max_length,
            initial=indicateur.cible_precision,
            help_text=champ.help_text,
        )
        existantes = {c.annee: c.valeur for c in indicateur.cibles.all()}
        for annee in self.annees:
            self.fields[f"cible_{annee}"] = champ_nombre(
                f"Cible {annee}", initial=existantes.get(annee)
            )

    def cibles_annuelles(self):
        return {a: self.cleaned_data.get(f"cible_{a}") for a in self.annees}


class ChoixMultiples(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, choix, **kwargs):
        super().__init__(choices=choix.choices, required=False, **kwargs)


class BilanForm(forms.ModelForm):
    statut = forms.ChoiceField(label="Statut de l'action", choices=StatutBilan.choices)
    mots_cles = ChoixMultiples(MotCle, label="Mots clés")
    publics = ChoixMultiples(Public, label="Public")
    types_partenaires = ChoixMultiples(TypePartenaire, label="Partenaires d'action (types)")
    montant_ressources = champ_nombre("Montant total des ressources (€)")
    fichier = forms.FileField(
        label="Ajouter un fichier associé",
        required=False,
        validators=[verifier_fichier],
        help_text="Compte rendu, questionnaire, photos… PDF, PNG, JPEG ou document bureautique, "
        "5 Mo au plus. " + AIDE_FICHIER,
    )
    titre_fichier = forms.CharField(label="Titre du fichier", required=False, max_length=200)

    class Meta:
        model = BilanAction
        fields = [
            "statut",
            "motif_fin",
            "precision_fin",
            "dimension",
            "mots_cles",
            "initiative",
            "territoire",
            "publics",
            "types_partenaires",
            "ressources_financieres",
            "montant_ressources",
            "salaries",
            "benevoles",
            "participants",
            "personnes_precision",
            "resultat_territoire",
            "resultat_centre",
            "resultat_habitants",
            "limites",
            "perspectives",
        ]
        widgets = {
            nom: forms.Textarea(attrs={"rows": 3})
            for nom in [
                "ressources_financieres",
                "personnes_precision",
                "resultat_territoire",
                "resultat_centre",
                "resultat_habitants",
                "limites",
                "perspectives",
            ]
        }
        labels = {"motif_fin": "Raison de la fin (si terminée, facultatif)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choice lists start with an explicit « non précisé » rather than Django's dashes.
        for nom, choix in [
            ("dimension", Dimension),
            ("initiative", Initiative),
            ("territoire", TerritoireConcerne),
            ("motif_fin", FicheAction.MotifFin),
        ]:
            self.fields[nom].choices = [("", "Non précisé"), *choix.choices]
        for nom in ("salaries", "benevoles", "participants"):
            self.fields[nom].precision = "Personnes mobilisées, en clair"

    def save(self, commit=True):
        bilan = super().save(commit=commit)
        fichier = self.cleaned_data.get("fichier")
        if commit and fichier:
            FichierBilan.objects.create(
                bilan=bilan, fichier=fichier, titre=self.cleaned_data.get("titre_fichier", "")
            )
        return bilan
