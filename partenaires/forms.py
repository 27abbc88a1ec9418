from django import forms

from .models import ContactPartenaire, Partenaire


class PartenaireForm(forms.ModelForm):
    """Create (with the structure to file it in) or edit a partner of the directory."""

    site_web = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Partenaire
        fields = ["structure", "nom", "sigle", "type", "adresse", "site_web"]

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["structure"]  # a partner stays in its structure's directory
        else:
            self.fields["structure"].queryset = structures
            if len(structures) == 1:
                self.fields["structure"].initial = structures[0]

    def clean_nom(self):
        # Checked here so the message stands next to the field (the constraint would put it
        # above the form, or not at all when editing).
        nom = self.cleaned_data["nom"].strip()
        structure = self.cleaned_data.get("structure") or getattr(self.instance, "structure", None)
        if structure and (
            Partenaire.objects.filter(structure=structure, nom__iexact=nom)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError("Un partenaire de ce nom existe déjà dans l'annuaire.")
        return nom


MAX_CONTACTS = 50


class BaseContactFormSet(forms.BaseInlineFormSet):
    default_error_messages = {
        **forms.BaseInlineFormSet.default_error_messages,
        "too_many_forms": "Un partenaire compte au plus %(num)d contacts.",
    }

    def clean(self):
        super().clean()
        # A contact's hidden id is wrong or missing: the page no longer matches the directory.
        if any("id" in form.errors for form in self.forms):
            raise forms.ValidationError(
                "La liste des contacts a changé depuis l'ouverture de la page : "
                "rechargez-la, puis recommencez."
            )


ContactFormSet = forms.inlineformset_factory(
    Partenaire,
    ContactPartenaire,
    formset=BaseContactFormSet,
    fields=["nom", "fonction", "email", "telephone"],
    extra=1,
    can_delete=True,
    max_num=MAX_CONTACTS,
    validate_max=True,
    # A forged TOTAL_FORMS never makes the page build more rows than this.
    absolute_max=MAX_CONTACTS + 10,
)


class FusionForm(forms.Form):
    garde = forms.ModelChoiceField(
        queryset=Partenaire.objects.none(),
        label="Partenaire à garder",
        help_text="Ce partenaire reçoit les fiches, contacts et comptes du doublon.",
        error_messages={
            "required": "Choisissez le partenaire à garder.",
            "invalid_choice": "Choisissez un partenaire du même annuaire.",
        },
    )

    def __init__(self, *args, doublon, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["garde"].queryset = Partenaire.objects.filter(
            structure=doublon.structure
        ).exclude(pk=doublon.pk)
