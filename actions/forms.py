"""The fiche editor: the fiche's own fields, its objectifs and years, and one formset per kind of row."""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction

from centresocial.lib.formulaires import RENDU, ChoixLus, choix_vide
from centresocial.lib.texte import AIDE_MARKDOWN
from partenaires.models import Partenaire
from projets.models import Axe, ObjectifGeneral

from .models import (
    LIGNES_EDITEUR,
    AnneeAction,
    CommentairePartenaire,
    FicheAction,
    FicheObjectif,
)

TEXTES = [
    "contexte",
    "public_vise",
    "attention_particuliere",
    "presentation",
    "resultats_attendus",
    "freins",
    "acquis_periode_precedente",
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
    default_renderer = RENDU

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
            "referent_libelle",
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
        objectifs = ChoixLus(
            objectifs.order_by("axe__transversal", "axe__ordre", "enjeu__numero", "ordre", "pk")
        )
        objectifs.offrir(self.fields["objectifs"])
        objectifs.offrir(self.fields["objectif_principal"])
        self.fields["annees"].choices = [(annee, str(annee)) for annee in projet.annees]
        ChoixLus(
            get_user_model()
            .objects.filter(adhesions__structure_id=projet.structure_id, is_active=True)
            .order_by("first_name", "last_name", "username")
        ).offrir(self.fields["referent"])
        self.fields["referent"].label = "Référent (membre de l'équipe)"
        self.fields["motif_fin"].help_text = "Facultatif, seulement pour une action terminée."
        choix_vide(self, "statut_plan", "participation_actuelle", "participation_visee")
        choix_vide(self, "motif_fin", libelle="Non précisé")
        self.fields["referent"].empty_label = "Aucun membre de l'équipe"
        for champ in TEXTES:
            self.fields[champ].help_text = AIDE_MARKDOWN
        self.fields["acquis_periode_precedente"].help_text = (
            "Rédigé au renouvellement à partir des bilans et des résultats de la période "
            "précédente : relisez-le, corrigez-le, complétez-le. " + AIDE_MARKDOWN
        )
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
    "indicateurs": {
        "objet": 4,
        "libelle": 4,
        "outil": 4,
        "nature": 2,
        "unite": 2,
        "valeur_reference": 2,
        "cible": 2,
        "cible_precision": 4,
    },
}
# Where a range or an estimate goes when a number field can't hold it (named by its message).
PRECISIONS = {
    "moyens": {"quantite": "Libellé", "montant": "Libellé"},
    "indicateurs": {"valeur_reference": "Cible en clair", "cible": "Cible en clair"},
}


MAX_LIGNES = 100  # rows of one kind in a fiche: far more than any real fiche has


class LignesFormSet(forms.BaseInlineFormSet):
    """Rows are kept in the order they appear on the page."""

    default_error_messages = {
        **forms.BaseInlineFormSet.default_error_messages,
        "too_many_forms": "Une rubrique compte au plus %(num)d lignes.",
    }

    def __init__(self, *args, projet=None, **kwargs):
        self.projet = projet
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for nom, champ in form.fields.items():
            champ.largeur = LARGEURS.get(self.prefix, {}).get(nom, 3)
            if precision := PRECISIONS.get(self.prefix, {}).get(nom):
                champ.precision = precision
        if "role" in form.fields:
            choix_vide(form, "role")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i < self.initial_form_count():
            # A row sent back as it is saved is not checked again (about ten queries a row):
            # it was valid when saved, and the editor's concurrency check makes sure it has not
            # changed since the form was opened.
            form.empty_permitted = True
        return form

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
    def __init__(self, *args, projet=None, **kwargs):
        super().__init__(*args, projet=projet, **kwargs)
        self.partenaires = projet and ChoixLus(
            Partenaire.objects.filter(structure_id=projet.structure_id)
        )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.partenaires:
            self.partenaires.offrir(form.fields["partenaire"])


class LigneForm(forms.ModelForm):
    default_renderer = RENDU


def formset(sorte, base=LignesFormSet, widgets=None):
    """The formset of one kind of row, on the fields `LIGNES_FICHE` says the editor edits."""
    return forms.inlineformset_factory(
        FicheAction,
        sorte.modele,
        form=LigneForm,
        formset=base,
        renderer=RENDU,
        fields=list(sorte.champs),
        extra=0,
        can_delete=True,
        widgets=widgets or {},
        max_num=MAX_LIGNES,
        validate_max=True,
        # A forged TOTAL_FORMS never makes the page build more rows than this.
        absolute_max=MAX_LIGNES + 10,
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Each kind of row in the editor: its section title, and how its formset differs.
RUBRIQUES = {
    "objectifs_operationnels": ("Objectifs opérationnels", {}),
    "etapes": ("Échéancier", {"widgets": {"date_debut": DATE, "date_fin": DATE}}),
    "moyens": ("Moyens", {}),
    "partenariats": (
        "Partenariat",
        {
            "base": PartenariatFormSet,
            "widgets": {"contribution": forms.Textarea(attrs={"rows": 2})},
        },
    ),
    "indicateurs": ("Indicateurs d'évaluation", {}),
}
FORMSETS = {
    sorte.nom: (RUBRIQUES[sorte.nom][0], formset(sorte, **RUBRIQUES[sorte.nom][1]))
    for sorte in LIGNES_EDITEUR
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

    types_partenaires = Partenaire.Type.choices

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


class CommentaireForm(forms.ModelForm):
    class Meta:
        model = CommentairePartenaire
        fields = ["nature", "texte"]
        labels = {"texte": "Votre commentaire"}
        widgets = {"texte": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "texte": "Votre engagement sur l'action, un chiffre à jour, une correction : "
            "l'équipe du centre social le verra sur la fiche."
        }
        error_messages = {"texte": {"required": "Écrivez votre commentaire."}}
