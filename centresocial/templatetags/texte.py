from django import template
from django.utils.safestring import mark_safe

from centresocial.lib.nombres import format_montant, format_nombre
from centresocial.lib.texte import markdown_sur

register = template.Library()


@register.filter
def markdown(texte):
    """Render a user's Markdown; the result is sanitised by nh3, so it is safe to mark safe."""
    return mark_safe(markdown_sur(texte))  # noqa: S308 - sanitised just above


@register.filter
def nombre(valeur):
    """« 2,6 », « 1 250 »: a number as the page, the PDF and the exports all print it."""
    return format_nombre(valeur)


@register.filter
def montant(valeur):
    """An amount in euros, with its cents when it has any: « 1 250,50 », « 300 »."""
    return format_montant(valeur)
