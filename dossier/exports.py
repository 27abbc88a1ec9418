"""Asking for the dossier or a year's rapport d'activité: reuse the file made from the same
content, or start a background export (django-tasks) that the export page follows."""

from django.db import transaction

from dossier.models import ExportDossier, RapportActivite

from .rapport import version_rapport
from .rendu import html_dossier, version_de


def version_contenu(projet):
    """Exactly what the dossier prints, as a short digest: its HTML (every row it prints,
    whatever model holds it, and nothing it does not print: partners' comments, results and
    bilans unless the projet chose the evaluation chapter), the files it shows, and the layout
    that turns it into the PDF.

    It renders the dossier's HTML (20 queries): 0.1 s for 47 fiches, 0.4 s for 200. Asked when
    an export is requested and when the page says whether its file is up to date, never while
    one runs."""
    return version_de(html_dossier(projet))


def dernier_export(projet):
    return ExportDossier.objects.du_projet(projet).sans_pdf().first()


def dernier_pdf(projet):
    """The latest finished export, even of an older content (nothing is lost on a failure)."""
    return termines(ExportDossier.objects.du_projet(projet)).first()


def termines(exports):
    return exports.sans_pdf().filter(statut=ExportDossier.Statut.TERMINE)


def demander_export(projet, user):
    """The export of the current content: the finished or running one if there is one,
    otherwise a new one, rendered by the worker once this transaction is committed. A new export
    replaces the interrupted ones (their worker died), so that no worker resumes them."""
    from .taches import exporter_dossier

    return demander(
        ExportDossier.objects.du_projet(projet),
        version_contenu(projet),
        lambda version: ExportDossier(projet=projet, version=version, demande_par=user),
        exporter_dossier,
    )


# --- The rapport d'activité of a year -----------------------------------------------------


def rapports(projet, annee):
    return RapportActivite.objects.du_projet(projet).de_l_annee(annee)


def dernier_rapport(projet, annee):
    return rapports(projet, annee).sans_pdf().first()


def dernier_rapport_pdf(projet, annee):
    return termines(rapports(projet, annee)).first()


def demander_rapport(projet, annee, user):
    """The rapport of `annee` made of the current content, as `demander_export` does."""
    from .taches import exporter_rapport

    return demander(
        rapports(projet, annee),
        version_rapport(projet, annee),
        lambda version: RapportActivite(
            projet=projet, annee=annee, version=version, demande_par=user
        ),
        exporter_rapport,
    )


def demander(exports, version, nouvel_export, tache):
    """The export of `version` among `exports` (one document's) if one is finished or running,
    else a new one (`nouvel_export(version)`), queued to `tache` once committed."""
    from .taches import recuperer_interrompus

    with transaction.atomic():
        existant = (
            exports.sans_pdf()
            .filter(version=version)
            .exclude(statut=ExportDossier.Statut.ECHEC)
            .first()
        )
        if existant and not (existant.sans_nouvelles or existant.interrompu):
            return existant, False
        export = nouvel_export(version)
        export.save()
        recuperer_interrompus(exports)
        transaction.on_commit(lambda: tache.enqueue(export.pk))
    return export, True
