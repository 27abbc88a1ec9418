from decimal import Decimal

from django import forms

from actions.concurrence import Difference, valeur_affichee, valeur_comparable
from actions.models import FicheAction, Indicateur
from centresocial.lib.nombres import MESSAGE_NOMBRE, ChampNombre, format_nombre

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


# The targets page is safe against concurrent saves the way the fiche editor is: it receives the
# state of the indicator's targets, signed, when opened, and a save that finds another state
# is refused, with what changed and the user's input kept.
SEL_CIBLES = "evaluation.cibles.etat"
# What the page writes, and the nature that decides which of it the page shows.
CHAMPS_CIBLES = ["nature", "valeur_reference", "cible", "cible_precision", "echelle"]


def etat_cibles(indicateur):
    """The indicator's targets as plain, comparable data (read fresh from the database)."""
    indicateur = Indicateur.objects.prefetch_related("cibles").get(pk=indicateur.pk)
    return {
        "indicateur": {champ: valeur_comparable(indicateur, champ) for champ in CHAMPS_CIBLES},
        "cibles": [[cible.annee, str(cible.valeur)] for cible in indicateur.cibles.all()],
    }


def differences_cibles(avant, apres, form):
    """What changed between two states of the targets, named as the page names them, with the
    value now saved (`form` is built on the current indicator)."""
    if avant is None:
        return [
            Difference("Cibles", "Impossible de savoir dans quel état vous aviez ouvert la page.")
        ]
    indicateur = form.indicateur
    resultat = []
    for champ in CHAMPS_CIBLES:
        if avant["indicateur"].get(champ) != apres["indicateur"].get(champ):
            if champ in form.fields:
                libelle = form.fields[champ].label
            else:
                libelle = str(Indicateur._meta.get_field(champ).verbose_name).capitalize()
            valeur = valeur_affichee(indicateur, champ)
            resultat.append(Difference(libelle, f"maintenant « {valeur} »"))
    anciennes, nouvelles = dict(avant["cibles"]), dict(apres["cibles"])
    for annee in sorted(anciennes.keys() | nouvelles.keys()):
        if anciennes.get(annee) != nouvelles.get(annee):
            if annee in nouvelles:
                detail = f"maintenant « {format_nombre(Decimal(nouvelles[annee]))} »"
            else:
                detail = "retirée"
            resultat.append(Difference(f"Cible {annee}", detail))
    return resultat


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
