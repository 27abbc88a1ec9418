from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class ConnexionForm(AuthenticationForm):
    """Django's login form, which never checks the identifiant's length: a longer one than any
    account can have is refused here, before it reaches authentication (and the throttling's
    log, whose column it would overflow)."""

    def clean_username(self):
        identifiant = self.cleaned_data.get("username") or ""
        if len(identifiant) > self.fields["username"].max_length:
            raise ValidationError(
                "Aucun identifiant ne compte autant de caractères : vérifiez votre saisie.",
                code="trop_long",
            )
        return identifiant


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=6,
        min_length=6,
        help_text="Le code affiché par votre application d'authentification.",
        error_messages={
            "required": "Saisissez le code affiché par votre application.",
            "min_length": "Le code compte 6 chiffres.",
            "max_length": "Le code compte 6 chiffres.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, appareil=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.appareil = appareil

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("Le code ne contient que des chiffres.")
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code is None or self.appareil is None:
            return cleaned
        autorise, _ = self.appareil.verify_is_allowed()
        if not autorise:
            self.add_error(
                "code", "Trop de codes erronés : patientez quelques secondes avant de réessayer."
            )
        elif not self.appareil.verify_token(code):
            self.add_error("code", "Ce code n’est pas le bon, ou il a expiré. Réessayez.")
        return cleaned
