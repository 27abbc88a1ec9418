"""Export of the dossier d'agrément: the export page (progress, download, retry), the HTML print
preview, and the PDF of one fiche. Rendering itself is the `dossier` service."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from actions.acces import fiche_modifiable
from actions.models import FicheAction
from dossier.exports import demander_export, dernier_export, dernier_pdf, version_contenu
from dossier.models import ExportDossier
from dossier.rendu import html_dossier, rendre_fiche
from projets.acces import projet_modifiable


def etat_export(projet):
    """What the export page shows: the latest export, whether it matches the current content,
    and the last file one can download. An export whose worker died (`interrompu`) or that no
    worker takes (`bloque`) can be started again.

    Only a finished export is compared with the content (the page says nothing of it otherwise):
    the content version renders the dossier's HTML, too much for the state that htmx polls
    every few seconds while an export runs or is interrupted."""
    export = dernier_export(projet)
    bloque = bool(export and export.sans_nouvelles)
    interrompu = bool(export and export.interrompu)
    en_cours = bool(export and export.en_cours and not (bloque or interrompu))
    echec = bool(export and export.statut == ExportDossier.Statut.ECHEC)
    termine = bool(export and export.statut == ExportDossier.Statut.TERMINE)
    a_jour = termine and export.version == version_contenu(projet)
    return {
        "projet": projet,
        "export": export,
        "a_jour": a_jour,
        "en_cours": en_cours,
        "bloque": bloque,
        "interrompu": interrompu,
        "echec": echec,
        "peut_exporter": not (en_cours or a_jour),
        "fichier": dernier_pdf(projet),
    }


def index(request, pk):
    projet = projet_modifiable(request.user, pk)
    contexte = etat_export(projet)
    contexte["fiches"] = FicheAction.objects.du_projet(projet).select_related("axe")
    contexte["onglet"] = "dossier"
    return render(request, "projets/dossier/index.html", contexte)


def etat(request, pk):
    """The progress block alone, polled by htmx while an export runs."""
    projet = projet_modifiable(request.user, pk)
    return render(request, "projets/dossier/_etat.html", etat_export(projet))


@require_POST
def exporter(request, pk):
    projet = projet_modifiable(request.user, pk)
    export, nouveau = demander_export(projet, request.user)
    if not nouveau and export.statut == ExportDossier.Statut.TERMINE:
        messages.info(
            request, "Le contenu n'a pas changé depuis le dernier export : le dossier est prêt."
        )
    elif nouveau:
        messages.success(request, "L'export du dossier a commencé. Vous pouvez quitter cette page.")
    return redirect("dossier:index", projet.pk)


def telecharger(request, pk, export_pk):
    projet = projet_modifiable(request.user, pk)
    export = get_object_or_404(
        ExportDossier.objects.du_projet(projet).select_related("projet__structure"),
        pk=export_pk,
        statut=ExportDossier.Statut.TERMINE,
    )
    return reponse_pdf(bytes(export.pdf), export.nom_fichier)


def apercu(request, pk):
    projet = projet_modifiable(request.user, pk)
    return HttpResponse(html_dossier(projet, apercu=True))


def fiche_pdf(request, pk):
    fiche = fiche_modifiable(
        request.user, pk, FicheAction.objects.avec_details().select_related("projet__structure")
    )
    nom = f"fiche-{fiche.axe.libelle}-{fiche.code}.pdf".lower().replace(" ", "-")
    return reponse_pdf(rendre_fiche(fiche), nom)


def reponse_pdf(pdf, nom):
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse
