"""What every form of the app shares: nothing typed is ever cut, an empty choice says so."""

from django.forms.renderers import DjangoTemplates


def sans_troncature(contexte):
    """A browser silently cuts what is typed or pasted beyond an input's `maxlength`: the limit
    is given as `data-longueur-max` instead, which static/js/saisie.js shows as a counter, and
    the form refuses a longer text with a message (Django's max_length check)."""
    attrs = contexte.get("widget", {}).get("attrs")
    if attrs and "maxlength" in attrs:
        attrs["data-longueur-max"] = attrs.pop("maxlength")
    return contexte


class Rendu(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        return super().render(template_name, sans_troncature(context), request)


NON_RENSEIGNE = "Non renseigné"


def choix_vide(form, *noms, libelle=NON_RENSEIGNE):
    """The empty choice of these select fields reads « Non renseigné » instead of dashes: leaving
    it says the projet does not tell, and nothing is printed for it."""
    for nom in noms:
        champ = form.fields[nom]
        champ.choices = [("", libelle), *((v, t) for v, t in champ.choices if v not in ("", None))]
