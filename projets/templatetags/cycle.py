from django import template

register = template.Library()


@register.inclusion_tag("projets/cycle/_statut.html")
def statut_projet(projet, user):
    """The projet's statut and, for its direction, the buttons of the allowed transitions."""
    return {"projet": projet}
