"""The fiche editor: the fiche's own fields, its objectifs and years, and one formset per kind of row."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction

from partenaires.models import Partenaire
from projets.models import Axe, ObjectifGeneral

from .models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)

AIDE_MARKDOWN = "Mise en forme possible : **gras**, listes en commençant les lignes par « - »."
TEXTES = [
    "contexte",
    "public_vise",
    "attention_particuliere",
    "presentation",
    "resultats_attendus",
    "freins",
]


class ObjectifChoix(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # An id beyond 64 bits would overflow the database's integer before Django could say
        # « Sélectionnez un choix valide »: refuse it here with that same message.
        for pk in value:
            try:
                valide = -(2**63) <= int(pk) < 2**63
            except (TypeError, ValueError):
                valide = True  # left to Django's own check and message
            if not valide:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, objectif):
        enjeu = f" · Enjeu n° {objectif.enjeu.numero}" if objectif.enjeu_id else ""
        return f"{objectif.axe.libelle}{enjeu} · {objectif.titre}"


class ObjectifPrincipalChoix(forms.ModelChoiceField):
    def label_from_instance(self, objectif):
        return f"{objectif.axe.libelle} · {objectif.titre}"


class ReferentChoix(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class FicheForm(forms.ModelForm):
    objectifs = ObjectifChoix(
        label="Objectifs généraux servis",
        queryset=ObjectifGeneral.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Une fiche peut servir des objectifs d'autres axes.",
    )
    objectif_principal = ObjectifPrincipalChoix(
        label="Objectif général principal",
        queryset=ObjectifGeneral.objects.none(),
        required=False,
        empty_label="— Choisir —",
    )
    annees = forms.TypedMultipleChoiceField(
        label="Années de réalisation",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FicheAction
        fields = [
            "titre",
            "statut_plan",
            "projet_familles",
            "projet_jeunesse",
            "statut",
            "motif_fin",
            "precision_fin",
            "referent",
            *TEXTES,
            "participation_actuelle",
            "participation_visee",
        ]
        widgets = {champ: forms.Textarea(attrs={"rows": 4}) for champ in TEXTES}
        field_classes = {"referent": ReferentChoix}

    def __init__(self, *args, projet, **kwargs):
        super().__init__(*args, **kwargs)
        objectifs = ObjectifGeneral.objects.filter(axe__projet=projet).select_related(
            "axe", "enjeu"
        )
        objectifs = objectifs.order_by(
            "axe__transversal", "axe__ordre", "enjeu__numero", "ordre", "pk"
        )
        self.fields["objectifs"].queryset = objectifs
        self.fields["objectif_principal"].queryset = objectifs
        self.fields["annees"].choices = [(annee, str(annee)) for annee in projet.annees]
        self.fields["referent"].queryset = (
            get_user_model()
            .objects.filter(adhesions__structure_id=projet.structure_id, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["motif_fin"].help_text = "Seulement pour une action terminée."
        for champ in TEXTES:
            self.fields[champ].help_text = AIDE_MARKDOWN
        if self.instance.pk and not self.is_bound:
            liens = list(self.instance.liens_objectifs.all())
            self.initial["objectifs"] = [lien.objectif_id for lien in liens]
            self.initial["objectif_principal"] = next(
                (lien.objectif_id for lien in liens if lien.principal), None
            )
            self.initial["annees"] = [a.annee for a in self.instance.annees.all()]

    def clean(self):
        donnees = super().clean()
        objectifs = list(donnees.get("objectifs") or [])
        principal = donnees.get("objectif_principal")
        if principal and principal not in objectifs:
            objectifs.append(principal)
        if objectifs and not principal:
            if len(objectifs) == 1:
                principal = objectifs[0]
            else:
                self.add_error(
                    "objectif_principal",
                    "Choisissez l'objectif principal parmi les objectifs cochés.",
                )
        donnees["objectifs"], donnees["objectif_principal"] = objectifs, principal
        return donnees

    def save_liens(self, fiche):
        """Bring the fiche's objectifs (one primary) and years in line with the form."""
        objectifs = self.cleaned_data["objectifs"]
        principal = self.cleaned_data["objectif_principal"]
        existants = {lien.objectif_id: lien for lien in fiche.liens_objectifs.all()}
        voulus = {objectif.pk for objectif in objectifs}
        for objectif_id, lien in existants.items():
            if objectif_id not in voulus:
                lien.delete()
            elif lien.principal and objectif_id != principal.pk:
                # Free the « one primary objectif » slot before another link takes it.
                lien.principal = False
                lien.save(update_fields=["principal"])
        for ordre, objectif in enumerate(objectifs):
            lien = existants.get(objectif.pk)
            est_principal = objectif.pk == principal.pk
            if lien is None:
                FicheObjectif.objects.create(
                    fiche=fiche, objectif=objectif, principal=est_principal, ordre=ordre
                )
            elif lien.principal != est_principal or lien.ordre != ordre:
                lien.principal, lien.ordre = est_principal, ordre
                lien.save(update_fields=["principal", "ordre"])

        annees = set(self.cleaned_data["annees"])
        for annee in fiche.annees.all():
            if annee.annee not in annees:
                annee.delete()
        deja = {a.annee for a in fiche.annees.all()}
        for annee in sorted(annees - deja):
            AnneeAction.objects.create(fiche=fiche, annee=annee)


# Column widths (out of 12) of a row's fields in the editor.
LARGEURS = {
    "objectifs_operationnels": {"libelle": 12},
    "etapes": {"libelle": 5, "periode": 3, "date_debut": 2, "date_fin": 2},
    "moyens": {"type": 2, "libelle": 6, "quantite": 2, "montant": 2},
    "partenariats": {"partenaire": 4, "role": 3, "contribution": 5},
    "indicateurs": {"objet": 4, "libelle": 4, "outil": 4, "nature": 3, "unite": 3},
}


class LignesFormSet(forms.BaseInlineFormSet):
    """Rows are kept in the order they appear on the page."""

    def __init__(self, *args, projet=None, **kwargs):
        self.projet = projet
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for nom, champ in form.fields.items():
            champ.largeur = LARGEURS.get(self.prefix, {}).get(nom, 3)

    def save(self, commit=True):
        instances = super().save(commit=False)
        for objet in self.deleted_objects:
            objet.delete()
        ordre = 0
        for form in self.forms:
            instance = form.instance
            if form in self.deleted_forms or (instance.pk is None and not form.has_changed()):
                continue  # a removed row, or a blank one added and left empty
            if instance.pk is None or form.has_changed() or instance.ordre != ordre:
                instance.fiche = self.instance
                instance.ordre = ordre
                instance.save()
            ordre += 1
        return instances


class PartenariatFormSet(LignesFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.projet is not None:
            form.fields["partenaire"].queryset = Partenaire.objects.filter(
                structure_id=self.projet.structure_id
            )


def formset(modele, champs, base=LignesFormSet, widgets=None):
    return forms.inlineformset_factory(
        FicheAction,
        modele,
        formset=base,
        fields=champs,
        extra=0,
        can_delete=True,
        widgets=widgets or {},
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

FORMSETS = {
    "objectifs_operationnels": (
        "Objectifs opérationnels",
        formset(ObjectifOperationnel, ["libelle"]),
    ),
    "etapes": (
        "Échéancier",
        formset(
            EtapeEcheancier,
            ["libelle", "periode", "date_debut", "date_fin"],
            widgets={"date_debut": DATE, "date_fin": DATE},
        ),
    ),
    "moyens": ("Moyens", formset(Moyen, ["type", "libelle", "quantite", "montant"])),
    "partenariats": (
        "Partenariat",
        formset(
            PartenariatAction,
            ["partenaire", "role", "contribution"],
            base=PartenariatFormSet,
            widgets={"contribution": forms.Textarea(attrs={"rows": 2})},
        ),
    ),
    "indicateurs": (
        "Indicateurs d'évaluation",
        formset(
            Indicateur,
            ["objet", "libelle", "outil", "nature", "unite", "valeur_reference", "cible"],
        ),
    ),
}


class Editeur:
    """The whole editor page: the fiche form and its five formsets, validated and saved as one."""

    def __init__(self, fiche, data=None):
        self.fiche = fiche
        projet = fiche.projet
        self.form = FicheForm(data, instance=fiche, projet=projet)
        self.formsets = [
            (nom, titre, classe(data, instance=fiche, prefix=nom, projet=projet))
            for nom, (titre, classe) in FORMSETS.items()
        ]

    def is_valid(self):
        resultats = [self.form.is_valid()] + [fs.is_valid() for _, _, fs in self.formsets]
        return all(resultats)

    @property
    def nombre_erreurs(self):
        total = len(self.form.errors)
        for _, _, fs in self.formsets:
            total += len(fs.non_form_errors()) + sum(len(f.errors) for f in fs.forms)
        return total

    def save(self):
        with transaction.atomic():
            fiche = self.form.save()
            self.form.save_liens(fiche)
            for _, _, fs in self.formsets:
                fs.instance = fiche
                fs.save()
        return fiche


class CreationForm(forms.Form):
    axe = forms.ModelChoiceField(
        label="Axe", queryset=Axe.objects.none(), empty_label="— Choisir —"
    )
    titre = forms.CharField(label="Titre de la fiche", max_length=255)

    def __init__(self, *args, projet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axe"].queryset = projet.axes.all()


class DeplacementForm(forms.Form):
    axe = forms.ModelChoiceField(
        label="Nouvel axe", queryset=Axe.objects.none(), empty_label="— Choisir —"
    )

    def __init__(self, *args, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axe"].queryset = fiche.projet.axes.exclude(pk=fiche.axe_id)
