"""Numbers as French users type and read them: one parser, one way of printing.

`lire_nombre` reads « 2,6 », « 2.6 », « 1 250,50 » (thousands separated by a space, a no-break
or a narrow no-break space), « -3 », and refuses anything else (« 60 à 80 », « 2,6,7 »,
« environ 30 ») rather than guess: a number is never changed on its way in. The form fields
below are text inputs (`inputmode`), never `<input type="number">`, which Chromium fills with
the digits of « 2,6 » only (26). The model fields give these form fields to every ModelForm and
the admin.

`format_nombre` prints a number the same way on every page, in the PDF and in the exports:
« 2,6 », « 1 250 », « 1 250,5 »; `format_montant` prints euros with their cents when there are
any (« 1 250,50 », « 300 »).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# What may separate thousands: a space, a no-break space, a narrow no-break space (what Word and
# our own display put there), a thin space.
ESPACES = " \u00a0\u202f\u2009"
MOINS = "\u2212\u2013-"  # the minus sign, the en dash Word turns a minus into, a hyphen
NOMBRE = re.compile(
    rf"(?P<signe>[+{re.escape(MOINS)}]?)"
    rf"(?P<entier>\d{{1,3}}(?:[{ESPACES}]\d{{3}})+|\d+)?"
    r"(?:[,.](?P<decimales>\d+))?"
)
SEPARATEUR_MILLIERS = "\u202f"  # narrow no-break space, as French typography prints numbers


class NombreIllisible(ValueError):
    """The text is not one number written in a way we read without guessing."""


def lire_nombre(texte):
    """The Decimal a French user meant by `texte`, or None for an empty text.

    Raises NombreIllisible for anything that is not exactly one number."""
    texte = texte.strip(ESPACES + "\t\n\r")
    if not texte:
        return None
    trouve = NOMBRE.fullmatch(texte)
    if trouve is None or not (trouve["entier"] or trouve["decimales"]):
        raise NombreIllisible(texte)
    entier = re.sub(f"[{ESPACES}]", "", trouve["entier"] or "0")
    signe = "-" if trouve["signe"] in MOINS and trouve["signe"] else ""
    decimales = f".{trouve['decimales']}" if trouve["decimales"] else ""
    try:
        return Decimal(f"{signe}{entier}{decimales}")
    except InvalidOperation as erreur:  # pragma: no cover - the pattern only lets digits through
        raise NombreIllisible(texte) from erreur


def _chiffres(valeur, decimales):
    """`valeur` with `decimales` digits after the comma (None: as many as it really has)."""
    valeur = Decimal(valeur)
    if decimales is None:
        decimales = max(0, -valeur.normalize().as_tuple().exponent)
    texte = f"{abs(valeur):,.{decimales}f}"
    texte = texte.replace(",", SEPARATEUR_MILLIERS).replace(".", ",")
    return f"\u2212{texte}" if valeur < 0 else texte


def format_nombre(valeur):
    """« 2,6 », « 1 250 », « 12,75 »: French digits, without the zeros a Decimal field adds
    (2,6 typed is stored 2.60 and printed 2,6). Empty for None."""
    if valeur is None or valeur == "":
        return ""
    return _chiffres(valeur, None)


def format_montant(valeur):
    """An amount in euros: « 1 250,50 » when it has cents, « 300 » when it has none."""
    if valeur is None or valeur == "":
        return ""
    valeur = Decimal(valeur)
    return _chiffres(valeur, 0 if valeur == valeur.to_integral() else 2)


# --- Form fields --------------------------------------------------------------------------

MESSAGE_NOMBRE = (
    "« %(saisie)s » n'est pas un nombre : écrivez un seul nombre, par exemple 2,6 ou 1 250."
)
MESSAGE_ENTIER = "« %(saisie)s » n'est pas un nombre entier : écrivez par exemple 12 ou 1 250."


class SaisieNombre(forms.TextInput):
    """A text input for numbers: the phone shows its number keyboard, and what is typed (a
    comma, spaces) reaches the server as it is. A value is shown as it prints."""

    input_type = "text"

    def __init__(self, attrs=None, entier=False):
        super().__init__({"inputmode": "numeric" if entier else "decimal", **(attrs or {})})

    def format_value(self, value):
        # Without a thousands separator: a year stays « 2029 ».
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_nombre(value).replace(SEPARATEUR_MILLIERS, "")
        return super().format_value(value)


class LectureFrancaise:
    """What the two number fields share: a text input, the one parser, and a message that says
    where a range or an estimate goes (`precision`: the label of the text field beside it)."""

    widget = SaisieNombre

    def __init__(self, *, precision=None, **kwargs):
        kwargs.pop("localize", None)  # the parser reads French numbers anyway
        super().__init__(**kwargs)
        self.precision = precision

    def widget_attrs(self, widget):
        # Not Django's: `step`, `min` and `max` only mean something to a number input.
        return forms.Field.widget_attrs(self, widget)

    def lire(self, value):
        """The Decimal read from `value`, or the French message next to the field."""
        try:
            nombre = lire_nombre(str(value))
        except NombreIllisible:
            nombre = None
        if nombre is None or not self.accepte(nombre):
            message = self.error_messages["invalid"]
            if self.precision:
                message += f" Une fourchette ou une estimation va dans « {self.precision} »."
            raise ValidationError(message, code="invalid", params={"saisie": value})
        return nombre

    def accepte(self, nombre):
        return True


class ChampNombre(LectureFrancaise, forms.DecimalField):
    """A decimal number read by `lire_nombre`; too many digits are refused, never rounded."""

    default_error_messages = {"invalid": MESSAGE_NOMBRE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return Decimal(value)
        return self.lire(value)

    def validate(self, value):
        forms.Field.validate(self, value)  # DecimalField's would refuse what it can't parse


class ChampEntier(LectureFrancaise, forms.IntegerField):
    """A whole number read by `lire_nombre` (« 1 250 »); « 2,5 » is refused with a message."""

    default_error_messages = {"invalid": MESSAGE_ENTIER}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "numeric"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return int(self.lire(value))

    def accepte(self, nombre):
        return nombre == nombre.to_integral_value()


# --- Model fields: the same numbers as Django's, entered through the fields above ------------


def sans_saisie_numerique(kwargs):
    """Drop a `<input type="number">` widget asked for (the admin asks for one for integers)."""
    widget = kwargs.get("widget")
    classe = widget if isinstance(widget, type) else type(widget)
    if widget is not None and issubclass(classe, forms.NumberInput):
        del kwargs["widget"]
    return kwargs


class NombreDecimal(models.DecimalField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ChampNombre, **sans_saisie_numerique(kwargs)})


class EntierPositif(models.PositiveIntegerField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ChampEntier, **sans_saisie_numerique(kwargs)})


class PetitEntierPositif(models.PositiveSmallIntegerField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ChampEntier, **sans_saisie_numerique(kwargs)})
