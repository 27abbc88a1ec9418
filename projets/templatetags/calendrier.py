"""The renewal's timeline in pages: how far a step is, in French, and the next steps of a
projet (templates/projets/_calendrier.html)."""

from django import template

from projets.calendrier import DECALAGES, en_clair, prochaines_etapes

register = template.Library()


@register.filter
def echeance(etape):
    """« faite le 03/02/2027 », « aujourd'hui », « dans 12 jours », « en retard de 3 jours »."""
    if etape.faite_le:
        return f"faite le {etape.faite_le:%d/%m/%Y}"
    return en_clair(etape.jours_restants())


@register.filter
def classe_echeance(etape):
    """The badge's colours: done, late, within a week, later."""
    if etape.faite_le:
        return "text-bg-success"
    if etape.en_retard():
        return "text-bg-danger"
    if etape.jours_restants() <= 7:
        return "text-bg-warning"
    return "text-bg-light border"


@register.filter
def mois_avant_fin(etape):
    """How many months before the agrément's end the step is proposed."""
    return DECALAGES[etape.etape]


@register.simple_tag
def etapes_a_venir(projet, limite=2):
    """The next steps not done of this projet's renewal (none when it has no timeline)."""
    return prochaines_etapes([projet], limite=limite)
