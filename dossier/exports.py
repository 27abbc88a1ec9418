"""Asking for the dossier: reuse the file made from the same content, or start a background
export (django-tasks) that the export page follows."""

import hashlib

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Max

from dossier.models import ExportDossier

from .rendu import version_gabarit


def version_contenu(projet):
    """Changes when the projet's content, its structure's identity or the layout change."""
    dernier = LogEntry.objects.filter(additional_data__projet=projet.pk).aggregate(m=Max("id"))["m"]
    structure = projet.structure
    identite = "|".join(
        [structure.nom, structure.adresse, structure.code_postal, structure.ville, structure.type]
        + [str(structure.logo or ""), projet.titre, str(projet.annee_debut), str(projet.annee_fin)]
    )
    empreinte = hashlib.sha1(identite.encode()).hexdigest()[:8]
    return f"{dernier or 0}-{empreinte}-{version_gabarit()}"


def dernier_export(projet):
    return ExportDossier.objects.du_projet(projet).sans_pdf().first()


def dernier_pdf(projet):
    """The latest finished export, even of an older content (nothing is lost on a failure)."""
    return (
        ExportDossier.objects.du_projet(projet)
        .sans_pdf()
        .filter(statut=ExportDossier.Statut.TERMINE)
        .first()
    )


def demander_export(projet, user):
    """The export of the current content: the finished or running one if there is one,
    otherwise a new one, rendered by the worker once this transaction is committed. A new export
    replaces the interrupted ones (their worker died), so that no worker resumes them."""
    from .taches import exporter_dossier, recuperer_interrompus

    version = version_contenu(projet)
    with transaction.atomic():
        existant = (
            ExportDossier.objects.du_projet(projet)
            .sans_pdf()
            .filter(version=version)
            .exclude(statut=ExportDossier.Statut.ECHEC)
            .first()
        )
        if existant and not (existant.sans_nouvelles or existant.interrompu):
            return existant, False
        export = ExportDossier.objects.create(projet=projet, version=version, demande_par=user)
        recuperer_interrompus(ExportDossier.objects.du_projet(projet))
        transaction.on_commit(lambda: exporter_dossier.enqueue(export.pk))
    return export, True
