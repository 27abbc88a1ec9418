from django import template
from django.utils.safestring import mark_safe

from centresocial.lib.texte import markdown_sur

register = template.Library()


@register.filter
def markdown(texte):
    """Render a user's Markdown; the result is sanitised by nh3, so it is safe to mark safe."""
    return mark_safe(markdown_sur(texte))  # noqa: S308 - sanitised just above
