"""Export of the dossier d'agrément: the export page (progress, download, retry), the chapters
the projet chose, the HTML print preview, and the PDF of one fiche; the same for the rapport
d'activité of a year. Rendering itself is the `dossier` service."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.acces import fiche_modifiable
from actions.models import FicheAction
from dossier import archives as archivage
from dossier.exports import (
    demander_export,
    demander_rapport,
    dernier_export,
    dernier_pdf,
    dernier_rapport,
    dernier_rapport_pdf,
    rapports,
    version_contenu,
)
from dossier.forms import ReglagesForm
from dossier.models import ArchiveDossier, ExportDossier, ReglagesDossier
from dossier.rapport import annee_par_defaut, html_rapport, version_rapport
from dossier.rendu import html_dossier, rendre_fiche
from dossier.verifications import verifier
from projets.acces import projet_modifiable, projet_pilotable
from projets.models import ProjetSocial


def etat_export(projet):
    """What the export page shows: the latest export, whether it matches the current content,
    and the last file one can download. An export whose worker died (`interrompu`) or that no
    worker takes (`bloque`) can be started again.

    Only a finished export is compared with the content (the page says nothing of it otherwise):
    the content version renders the dossier's HTML, too much for the state that htmx polls
    every few seconds while an export runs or is interrupted."""
    etat = etat_document(
        dernier_export(projet), dernier_pdf(projet), lambda: version_contenu(projet)
    )
    return {
        "projet": projet,
        "mots": MOTS_DOSSIER,
        "urls": urls_document(URLS_DOSSIER, [projet.pk], etat["fichier"]),
        **etat,
    }


@dataclass(frozen=True)
class MotsDocument:
    """What the export block (templates/dossier/_etat_export.html) says of its document."""

    titre: str
    nom: str  # « le dossier », « le rapport 2025 »: after « Télécharger », « Exporter »
    a_jour: str
    perime: str
    aucun: str
    rien_touche: str = ""  # said when an export failed


MOTS_DOSSIER = MotsDocument(
    "Export PDF",
    "le dossier",
    "Le dossier est à jour : il a été créé à partir du contenu actuel du projet.",
    "Le projet a changé depuis le dernier export : exportez à nouveau pour un dossier à jour.",
    "Aucun dossier n'a encore été exporté.",
)


def mots_rapport(annee):
    return MotsDocument(
        f"Rapport d'activité {annee} en PDF",
        f"le rapport {annee}",
        "Le rapport est à jour : il a été créé à partir des actions, résultats et bilans actuels.",
        "Des actions, résultats ou bilans ont changé depuis le dernier export : exportez à "
        "nouveau pour un rapport à jour.",
        f"Aucun rapport d'activité {annee} n'a encore été exporté.",
        "Les actions, résultats et bilans saisis ne sont pas touchés.",
    )


# The names of a document's URLs: its polled state, its page, the export, the download.
URLS_DOSSIER = ("dossier:etat", "dossier:index", "dossier:exporter", "dossier:telecharger")
URLS_RAPPORT = (
    "dossier:rapport_etat",
    "dossier:rapport_annee",
    "dossier:rapport_exporter",
    "dossier:rapport_telecharger",
)


def urls_document(noms, args, fichier):
    """The export block's links, from the document's URL names and arguments (the file's pk
    comes last in the download's)."""
    etat, page, exporter, telecharger = noms
    return {
        "etat": reverse(etat, args=args),
        "page": reverse(page, args=args),
        "exporter": reverse(exporter, args=args),
        "telecharger": reverse(telecharger, args=[*args, fichier.pk]) if fichier else "",
    }


def etat_document(export, fichier, version_actuelle):
    """The state of one document's latest export (see `etat_export`); `version_actuelle()` is
    only called for a finished export."""
    bloque = bool(export and export.sans_nouvelles)
    interrompu = bool(export and export.interrompu)
    en_cours = bool(export and export.en_cours and not (bloque or interrompu))
    echec = bool(export and export.statut == ExportDossier.Statut.ECHEC)
    termine = bool(export and export.statut == ExportDossier.Statut.TERMINE)
    a_jour = termine and export.version == version_actuelle()
    return {
        "export": export,
        "a_jour": a_jour,
        "en_cours": en_cours,
        "bloque": bloque,
        "interrompu": interrompu,
        "echec": echec,
        "peut_exporter": not (en_cours or a_jour),
        "fichier": fichier,
    }


def index(request, pk):
    projet = projet_modifiable(request.user, pk)
    contexte = etat_export(projet)
    contexte["fiches"] = FicheAction.objects.du_projet(projet).select_related("axe")
    contexte["onglet"] = "dossier"
    contexte["reglages"] = ReglagesForm(instance=ReglagesDossier.du_projet(projet))
    contexte["verification"] = verifier(projet)
    contexte.update(etat_archives(request.user, projet))
    return render(request, "projets/dossier/index.html", contexte)


def verifications(request, pk):
    """« Prêt pour la CAF ? »: the checks of the projet, grouped by criterion, each with what is
    missing and where it is fixed. Nothing here blocks the export."""
    projet = projet_modifiable(request.user, pk)
    contexte = {"projet": projet, "onglet": "dossier", "verification": verifier(projet)}
    return render(request, "projets/dossier/verifications.html", contexte)


@require_POST
def reglages(request, pk):
    """The chapters the projet chose: the dossier's version follows, so the page offers a new
    export when the choice changes what it prints."""
    projet = projet_modifiable(request.user, pk)
    form = ReglagesForm(request.POST, instance=ReglagesDossier.du_projet(projet))
    if form.is_valid():
        form.save()
        if form.cleaned_data["chapitre_evaluation"]:
            messages.success(
                request,
                "Le dossier comprendra le chapitre « Évaluation des actions » : les résultats "
                "des indicateurs face à leurs cibles et les bilans, par axe.",
            )
        else:
            messages.success(request, "Le dossier ne comprendra plus le chapitre d'évaluation.")
    return redirect("dossier:index", projet.pk)


def etat(request, pk):
    """The progress block alone, polled by htmx while an export runs."""
    projet = projet_modifiable(request.user, pk)
    return render(request, "dossier/_etat_export.html", etat_export(projet))


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


# --- The rapport d'activité of a year -----------------------------------------------------


def projet_et_annee(request, pk, annee):
    """The projet the user may export, and a year of its période (any other: 404)."""
    projet = projet_modifiable(request.user, pk)
    if annee not in projet.annees:
        raise Http404("Cette année n'est pas dans la période du projet.")
    return projet


def etat_rapport(projet, annee):
    etat = etat_document(
        dernier_rapport(projet, annee),
        dernier_rapport_pdf(projet, annee),
        lambda: version_rapport(projet, annee),
    )
    return {
        "projet": projet,
        "annee": annee,
        "mots": mots_rapport(annee),
        "urls": urls_document(URLS_RAPPORT, [projet.pk, annee], etat["fichier"]),
        **etat,
    }


def rapport(request, pk):
    """The rapport's page, on the year the evaluation dashboard opens on."""
    projet = projet_modifiable(request.user, pk)
    return redirect("dossier:rapport_annee", projet.pk, annee_par_defaut(projet))


def rapport_annee(request, pk, annee):
    projet = projet_et_annee(request, pk, annee)
    contexte = etat_rapport(projet, annee)
    contexte["onglet"] = "evaluation"
    return render(request, "dossier/rapport/index.html", contexte)


def rapport_etat(request, pk, annee):
    """The progress block alone, polled by htmx while the rapport renders."""
    projet = projet_et_annee(request, pk, annee)
    return render(request, "dossier/_etat_export.html", etat_rapport(projet, annee))


@require_POST
def rapport_exporter(request, pk, annee):
    projet = projet_et_annee(request, pk, annee)
    export, nouveau = demander_rapport(projet, annee, request.user)
    if not nouveau and export.statut == ExportDossier.Statut.TERMINE:
        messages.info(
            request,
            f"Rien n'a changé depuis le dernier export : le rapport d'activité {annee} est prêt.",
        )
    elif nouveau:
        messages.success(
            request,
            f"L'export du rapport d'activité {annee} a commencé. Vous pouvez quitter cette page.",
        )
    return redirect("dossier:rapport_annee", projet.pk, annee)


def rapport_telecharger(request, pk, annee, export_pk):
    projet = projet_et_annee(request, pk, annee)
    export = get_object_or_404(
        rapports(projet, annee).select_related("projet__structure"),
        pk=export_pk,
        statut=ExportDossier.Statut.TERMINE,
    )
    return reponse_pdf(bytes(export.pdf), export.nom_fichier)


def rapport_apercu(request, pk, annee):
    projet = projet_et_annee(request, pk, annee)
    return HttpResponse(html_rapport(projet, annee, apercu=True))


# --- The dossiers sent to the CAF ----------------------------------------------------------


def etat_archives(user, projet):
    """The archived dossiers, and whether the user may download them (the direction)."""
    liste = list(archivage.archives(projet).select_related("demande_par"))
    return {
        "archives": liste,
        "archives_en_cours": any(
            a.en_cours and not (a.interrompu or a.sans_nouvelles) for a in liste
        ),
        "peut_piloter": ProjetSocial.objects.pilotable_by(user).filter(pk=projet.pk).exists(),
    }


def archives_etat(request, pk):
    """The list of archived dossiers alone, polled by htmx while one renders."""
    projet = projet_modifiable(request.user, pk)
    return render(
        request,
        "dossier/archives/_liste.html",
        {"projet": projet, **etat_archives(request.user, projet)},
    )


def archive_telecharger(request, pk, archive_pk):
    """The PDF sent to the CAF: the direction's (its équipe: 403)."""
    projet = projet_pilotable(request.user, pk)
    archive = get_object_or_404(
        ArchiveDossier.objects.du_projet(projet).select_related("projet__structure").defer("html"),
        pk=archive_pk,
        statut=ArchiveDossier.Statut.TERMINE,
    )
    return reponse_pdf(bytes(archive.pdf), archive.nom_fichier)


@require_POST
def archive_relancer(request, pk, archive_pk):
    projet = projet_pilotable(request.user, pk)
    archive = get_object_or_404(archivage.archives(projet), pk=archive_pk)
    if archivage.relancer(archive):
        messages.success(request, "Le PDF du dossier transmis est de nouveau en préparation.")
    else:
        messages.info(request, "Ce PDF est déjà prêt ou en préparation.")
    return redirect("dossier:index", projet.pk)


def comparaison(request, pk):
    """The plan the CAF received (agreed, or sent) beside today's: the mid-term review."""
    projet = projet_modifiable(request.user, pk)
    archive, ecarts = archivage.comparaison(projet)
    return render(
        request,
        "dossier/comparaison.html",
        {"projet": projet, "onglet": "dossier", "archive": archive, "ecarts": ecarts},
    )


def reponse_pdf(pdf, nom):
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse
