"""Record in the access log that the current user viewed a fiche or a partner's data."""

from django.contrib.contenttypes.models import ContentType

from .models import Consultation


def noter_consultation(request, objet):
    """One row per page view; called by the views once access has been granted."""
    if not request.user.is_authenticated:
        return
    Consultation.objects.create(
        utilisateur=request.user,
        page=request.resolver_match.view_name if request.resolver_match else "",
        content_type=ContentType.objects.get_for_model(objet),
        objet_id=objet.pk,
        libelle=str(objet)[:255],
        structure_id=structure_de(objet),
    )


def structure_de(objet):
    """The structure an object belongs to: its own (a partner) or its projet's (a fiche)."""
    if hasattr(objet, "structure_id"):
        return objet.structure_id
    return objet.projet.structure_id
