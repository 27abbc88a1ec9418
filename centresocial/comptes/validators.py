import string

from django.core.exceptions import ValidationError

SPECIAUX = set(string.punctuation) | {" "}


def familles(mot_de_passe):
    """Which of the four CNIL character families the password uses."""
    presentes = set()
    for c in mot_de_passe:
        if c.isdigit():
            presentes.add("chiffres")
        elif c.isalpha() and c.isascii():
            presentes.add("majuscules" if c.isupper() else "minuscules")
        else:
            presentes.add("speciaux")  # punctuation, spaces, accented letters…
    return presentes


class RecommandationCNILValidator:
    """Passwords as strong as the CNIL asks when the password is the only factor (délibération
    n° 2022-100, about 80 bits): at least 12 characters mixing upper case, lower case, digits and
    special characters; or at least 14 mixing upper case, lower case and digits; or a passphrase
    of at least 7 words (and 30 characters)."""

    def validate(self, password, user=None):
        presentes = familles(password)
        mots = [mot for mot in password.replace("-", " ").split() if mot]
        if (
            (len(password) >= 12 and len(presentes) == 4)
            or (len(password) >= 14 and {"majuscules", "minuscules", "chiffres"} <= presentes)
            or (len(mots) >= 7 and len(password) >= 30)
        ):
            return
        raise ValidationError(self.get_help_text(), code="password_cnil")

    def get_help_text(self):
        return (
            "Le mot de passe doit compter au moins 12 caractères mêlant majuscules, minuscules, "
            "chiffres et caractères spéciaux, ou au moins 14 caractères mêlant majuscules, "
            "minuscules et chiffres, ou être une phrase d'au moins 7 mots."
        )
