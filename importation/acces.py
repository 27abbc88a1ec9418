"""Who imports a document, follows its reading, reviews and confirms it: the direction of its
structure (and admins); the équipe of the structure, who know of it, get a 403; anyone else a
404 (projets.acces.exiger_direction for the upload, as for creating a projet)."""

from centresocial.lib.portee import obtenir
from projets.models import Structure

from .models import Importation


def importation_pilotee(user, pk):
    return obtenir(
        Importation.objects.pilotables_par(user).select_related("structure", "projet"),
        Importation.objects.filter(structure__in=Structure.objects.visible_to(user)),
        pk,
    )
