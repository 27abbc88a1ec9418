from django import template

from projets.models import ProjetSocial

register = template.Library()

Statut = ProjetSocial.Statut

# The button that moves a projet to each statut.
BOUTONS = {
    Statut.BROUILLON: ("Renvoyer en brouillon", "btn-outline-secondary"),
    Statut.EN_VALIDATION: ("Soumettre à la validation", "btn-primary"),
    Statut.VALIDE: ("Valider", "btn-success"),
    Statut.SOUMIS: ("Marquer comme soumis à la CAF", "btn-primary"),
    Statut.AGREE: ("Enregistrer l'agrément", "btn-success"),
    Statut.ARCHIVE: ("Archiver", "btn-outline-secondary"),
}
BOUTONS_RETOUR = {(Statut.ARCHIVE, Statut.AGREE): ("Sortir des archives", "btn-outline-secondary")}
BADGES = {
    Statut.BROUILLON: "text-bg-secondary",
    Statut.EN_VALIDATION: "text-bg-warning",
    Statut.VALIDE: "text-bg-info",
    Statut.SOUMIS: "text-bg-primary",
    Statut.AGREE: "text-bg-success",
    Statut.ARCHIVE: "text-bg-dark",
}


@register.inclusion_tag("projets/cycle/_statut.html")
def statut_projet(projet, user):
    """The projet's statut and, for its direction, the buttons of the allowed transitions."""
    transitions = []
    if ProjetSocial.objects.pilotable_by(user).filter(pk=projet.pk).exists():
        for statut in projet.transitions_possibles():
            libelle, classe = BOUTONS_RETOUR.get((projet.statut, statut), BOUTONS[statut])
            # The CAF's decision date is asked when the agrément arrives, not out of the archive.
            demande_date = statut == Statut.AGREE and projet.statut == Statut.SOUMIS
            transitions.append(
                {"statut": statut, "libelle": libelle, "classe": classe, "date": demande_date}
            )
    return {"projet": projet, "badge": BADGES.get(projet.statut, ""), "transitions": transitions}
