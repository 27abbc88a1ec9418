"""A new structure (the instance administrator's), its team (the direction's), a new projet."""

from django import forms
from django.db.models import Q
from django.utils.text import slugify

from projets.invitations import adresse_trop_longue
from projets.models import Membre, ProjetSocial, Structure


class StructureCreationForm(forms.ModelForm):
    """A structure and the e-mail of its first direction, who gets an invitation."""

    email_direction = forms.EmailField(
        label="E-mail de la direction",
        help_text="La personne reçoit un lien pour créer son compte de direction (valable 7 jours).",
    )

    class Meta:
        model = Structure
        fields = ["nom", "type", "gestionnaire", "adresse", "code_postal", "ville"]

    def clean_email_direction(self):
        email = self.cleaned_data["email_direction"]
        if message := adresse_trop_longue(email):
            raise forms.ValidationError(f"Cette adresse ne peut pas servir : {message}")
        return email

    def save(self, commit=True):
        structure = super().save(commit=False)
        structure.slug = slug_libre(structure.nom)
        if commit:
            structure.save()
        return structure


def slug_libre(nom):
    """An identifiant made from the name that no structure has yet (« -2 », « -3 »… if taken)."""
    base = slugify(nom)[:70] or "structure"
    slug, numero = base, 1
    while Structure.objects.filter(slug=slug).exists():
        numero += 1
        slug = f"{base}-{numero}"
    return slug


class InvitationMembreForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(label="Rôle", choices=Membre.Role.choices, initial=Membre.Role.EQUIPE)

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure

    def clean_email(self):
        email = self.cleaned_data["email"]
        if message := adresse_trop_longue(email):
            raise forms.ValidationError(f"Cette adresse ne peut pas servir : {message}")
        deja = Q(user__email__iexact=email) | Q(user__username__iexact=email)
        if self.structure.membres.filter(deja).exists():
            raise forms.ValidationError(
                f"Cette personne est déjà membre de {self.structure.nom} : changez son rôle "
                "dans la liste ci-dessus."
            )
        return email


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membre
        fields = ["role"]


class ProjetCreationForm(forms.ModelForm):
    """A new, empty projet social of a structure the user directs."""

    class Meta:
        model = ProjetSocial
        fields = ["structure", "titre", "annee_debut", "annee_fin", "agrement_acf"]

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        if len(structures) == 1:  # nothing to choose: the structure is not a field
            del self.fields["structure"]
            self.instance.structure = structures[0]
        else:
            self.fields["structure"].queryset = structures
            self.fields["structure"].empty_label = None
