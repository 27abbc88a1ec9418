"""What every form of the app shares: nothing typed is ever cut, an empty choice says so."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe


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


# --- Rendering: the editor shows ~100 fields and ~200 options. Through crispy-forms' bootstrap5
# templates and Django's widget templates they took most of the page's time (~90 ms of ~130);
# the same HTML is built here in Python.


def _texte(valeur):
    """`{{ valeur }}` in a template: localized, then escaped unless already safe."""
    valeur = localize(valeur)
    return conditional_escape(valeur if isinstance(valeur, str) else str(valeur))


def _brut(valeur):
    """`{{ valeur|stringformat:'s' }}` in a template."""
    return str(valeur) if isinstance(valeur, SafeData) else escape(str(valeur))


def _attributs(attrs):
    """Django's django/forms/widgets/attrs.html."""
    return "".join(
        f" {_texte(nom)}" if valeur is True else f' {_texte(nom)}="{_brut(valeur)}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def _input(widget):
    valeur = "" if widget["value"] is None else f' value="{_brut(widget["value"])}"'
    return (
        f'<input type="{_texte(widget["type"])}" name="{_texte(widget["name"])}"'
        f"{valeur}{_attributs(widget['attrs'])}>"
    )


def _textarea(widget):
    valeur = _texte(widget["value"]) if widget["value"] else ""
    nom = _texte(widget["name"])
    return f'<textarea name="{nom}"{_attributs(widget["attrs"])}>\n{valeur}</textarea>'


OPTION = "django/forms/widgets/select_option.html"


def _select(widget):
    morceaux = [f'<select name="{_texte(widget["name"])}"{_attributs(widget["attrs"])}>']
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            morceaux.append(f'\n  <optgroup label="{_texte(groupe)}">')
        for option in options:
            morceaux.append(
                f'\n  <option value="{_brut(option["value"])}"{_attributs(option["attrs"])}>'
                f"{_texte(option['label'])}</option>\n"
            )
        if groupe:
            morceaux.append("\n  </optgroup>")
    morceaux.append("\n</select>")
    return "".join(morceaux)


WIDGETS = {
    **{
        f"django/forms/widgets/{nom}.html": _input
        for nom in ("input", "text", "number", "email", "url", "date", "hidden", "checkbox")
    },
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class ChampBootstrap(BoundField):
    """A field laid out as crispy-forms' bootstrap5 `field.html` lays it out (label, widget with
    Bootstrap's classes, errors, help text): `{{ form.champ.as_field_group }}` gives the same
    HTML as `{{ form.champ|as_crispy_field }}` (for a form without a crispy FormHelper), built
    in Python. Widgets this does not know (files, radios, multi-widgets) are left to
    crispy-forms."""

    def as_field_group(self):
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return mark_safe(self._bloc(self._cases()))
        if isinstance(widget, (forms.RadioSelect, forms.FileInput, forms.MultiWidget)):
            return as_crispy_field(self)
        if self.is_hidden:
            return str(self)
        invalide = " is-invalid" if self.errors else ""
        if isinstance(widget, forms.CheckboxInput):
            html = self._widget(f"form-check-input{invalide}")
            html += (
                f'<label for="{_texte(self.id_for_label)}" class="form-check-label'
                f'{self._requis()}">{self._libelle()}</label>{self._erreurs()}{self._aide()}'
            )
            return mark_safe(
                f'<div class="mb-3"><div id="div_{_texte(self.auto_id)}" '
                f'class="form-check{self._classes()}">{html}</div></div>'
            )
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        return mark_safe(
            self._bloc(self._widget(f"{base}{invalide}") + self._erreurs() + self._aide())
        )

    def _bloc(self, contenu):
        entete = fin = ""
        if self.label:
            pour = f' for="{_texte(self.id_for_label)}"' if self.id_for_label else ""
            if self.use_fieldset:
                decrit = self.aria_describedby
                decrit = f' aria-describedby="{_texte(decrit)}"' if decrit else ""
                entete = (
                    f'<fieldset{decrit}><legend{pour} class="form-label{self._requis()} fs-6">'
                    f"{self._libelle()}</legend>"
                )
                fin = "</fieldset>"
            else:
                entete = (
                    f'<label{pour} class="form-label{self._requis()}">{self._libelle()}</label>'
                )
        return (
            f'<div id="div_{_texte(self.auto_id)}" class="mb-3{self._classes()}">'
            f"{entete}{contenu}{fin}</div>"
        )

    def _widget(self, classes):
        """The widget with crispy-forms' classes: the widget's name, then Bootstrap's."""
        widget = self.field.widget
        existantes = widget.attrs.get("class", "")
        nom = type(widget).__name__.lower()
        if not existantes:
            existantes = nom
        elif nom not in existantes:
            existantes += f" {nom}"
        for classe in classes.split():
            if classe not in existantes.split():
                existantes += f" {classe}"
        html = self.as_widget(attrs={"class": existantes})
        if self.field.show_hidden_initial:
            html += self.as_hidden(only_initial=True)
        return html

    def _cases(self):
        """crispy-forms' bootstrap5 radio_checkbox_select.html, for checkboxes."""
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        attrs = self.build_widget_attrs({"id": id_} if id_ else {})
        groupes = widget.optgroups(self.html_name, widget.format_value(self.value()), attrs)
        invalide = " is-invalid" if self.errors else ""
        morceaux = ["<div >"]
        for g, (groupe, options, _index) in enumerate(groupes):
            if groupe:
                morceaux.append(f"<strong>{_texte(groupe)}</strong>")
            for o, option in enumerate(options):
                erreurs = ""
                if o == len(options) - 1 and g == len(groupes) - 1:
                    erreurs = self._erreurs()
                morceaux.append(
                    f'<div class="form-check"><input type="{_texte(option["type"])}" '
                    f'class="form-check-input{invalide}"  name="{_texte(self.html_name)}" '
                    f'value="{_texte(str(option["value"]))}" {_attributs(option["attrs"])}>'
                    f'<label for="{_texte(option["attrs"].get("id", ""))}" '
                    f'class="form-check-label">{_texte(str(option["label"]))}</label>'
                    f"{erreurs}</div>"
                )
        morceaux.append("</div>")
        return "".join(morceaux) + self._aide()

    def _classes(self):
        classes = self.css_classes()
        return f" {classes}" if classes else ""

    def _requis(self):
        return " requiredField" if self.field.required else ""

    def _libelle(self):
        etoile = '<span class="asteriskField">*</span>' if self.field.required else ""
        return f"{_texte(self.label)}{etoile}"

    def _erreurs(self):
        if not self.errors:
            return ""
        lignes = "".join(
            f'<p id="error_{numero}_{_texte(self.auto_id)}"><strong>{_texte(erreur)}</strong></p>'
            for numero, erreur in enumerate(self.errors, start=1)
        )
        id_ = _texte(self.errors.field_id)
        return f'<div id="{id_}_error" class="invalid-feedback">{lignes}</div>'

    def _aide(self):
        if not self.help_text:
            return ""
        id_ = f'id="{_texte(self.auto_id)}_helptext" ' if self.auto_id else ""
        return f'<div {id_}class="form-text">{self.help_text}</div>'


class RenduRapide(Rendu):
    """The project's form renderer, with the common widgets' templates written in Python (same
    HTML), and fields that lay themselves out for Bootstrap (ChampBootstrap)."""

    bound_field_class = ChampBootstrap

    def render(self, template_name, context, request=None):
        sans_troncature(context)
        rendre = WIDGETS.get(template_name)
        if rendre is None or (
            template_name.endswith("select.html")
            and any(
                o["template_name"] != OPTION
                for _, g, _ in context["widget"]["optgroups"]
                for o in g
            )
        ):
            return super().render(template_name, context, request)
        return rendre(context["widget"])


RENDU = RenduRapide()


def rendu_rapide(form):
    """Have a form built elsewhere (django-filter's) render through RenduRapide; before any of
    its fields is read, since bound fields are made once."""
    form.renderer = RENDU
    form.bound_field_class = ChampBootstrap
    return form


class ChoixLus:
    """A queryset of choices read once, when first shown, then shared by every field (and every
    row of a formset) that offers it: one query instead of one per field and row."""

    def __init__(self, queryset):
        self.queryset = queryset
        self._objets = None

    @property
    def objets(self):
        if self._objets is None:
            self._objets = list(self.queryset)
        return self._objets

    def offrir(self, champ):
        """Make the ModelChoiceField `champ` show these choices (a submitted value is still
        checked against the queryset)."""
        champ.choix_lus = self
        champ.iterator = IterateurLu
        champ.queryset = self.queryset  # after `iterator`: this resets the widget's choices


class IterateurLu(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for objet in self.field.choix_lus.objets:
            yield self.choice(objet)

    def __len__(self):
        return len(self.field.choix_lus.objets) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.choix_lus.objets)
