from django import template

from ..models import CommentairePartenaire

register = template.Library()


@register.simple_tag
def commentaires_partenaires(fiche):
    """The partners' comments on a fiche, for its staff page (one query)."""
    return CommentairePartenaire.objects.filter(fiche=fiche).select_related("partenaire", "auteur")
