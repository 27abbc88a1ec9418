"""The dossier as sent to the CAF: when a projet goes to « soumis à la CAF » or « agréé », its
dossier's HTML and its plan are frozen (`ArchiveDossier`) in the transaction of the statut
change, and the PDF is rendered from that HTML in the background.

The statut lives in `projets`, which may not import the dossier: `projets.signaux.statut_change`
is received here (connected in `DossierConfig.ready`)."""

import base64
import io

from django.db import transaction

from centresocial.lib import stockage
from centresocial.lib.images import format_image
from dossier.models import ArchiveDossier, ExportDossier
from projets.models import ProjetSocial

from .instantane import comparer, instantane
from .rendu import FICHIER_IMPRIME, html_dossier, version_de

STATUTS_ARCHIVES = (ProjetSocial.Statut.SOUMIS, ProjetSocial.Statut.AGREE)


def au_changement_de_statut(sender, projet, ancien, nouveau, par=None, **kwargs):
    if nouveau in STATUTS_ARCHIVES:
        archiver(projet, nouveau, par)


def archiver(projet, statut, par=None):
    """Freeze the dossier and the plan of this moment; the worker renders the PDF once the
    transaction is committed."""
    from .taches import exporter_archive

    html = figer_images(html_dossier(projet))
    archive = ArchiveDossier.objects.create(
        projet=projet,
        statut_projet=statut,
        html=html,
        plan=instantane(projet),
        version=version_de(html),
        demande_par=par,
    )
    transaction.on_commit(lambda: exporter_archive.enqueue(archive.pk))
    return archive


def figer_images(html):
    """The images the dossier reads from the file storage (logo, sections' pictures) written
    into the HTML: the archive prints them even after they are replaced or deleted."""

    def en_ligne(trouve):
        try:
            octets = stockage.lire(trouve[1])
        except OSError:
            return trouve[0]  # the render says the file is missing, as an export would
        genre = format_image(io.BytesIO(octets))
        contenu = base64.b64encode(octets).decode()
        type_mime = f"image/{genre[0].lower()}" if genre else "image/png"
        return f'src="data:{type_mime};base64,{contenu}"'

    return FICHIER_IMPRIME.sub(en_ligne, html)


def archives(projet):
    return ArchiveDossier.objects.du_projet(projet).sans_pdf().defer("html", "plan")


def relancer(archive):
    """A failed, interrupted or stuck render starts again from the frozen HTML. Returns whether
    it was queued (a running render is left alone)."""
    from .taches import exporter_archive

    with transaction.atomic():
        archive = ArchiveDossier.objects.sans_pdf().select_for_update().get(pk=archive.pk)
        if not (
            archive.statut == ArchiveDossier.Statut.ECHEC
            or archive.interrompu
            or archive.sans_nouvelles
        ):
            return False
        archive.statut = ArchiveDossier.Statut.EN_ATTENTE
        archive.progression, archive.etape, archive.erreur = 0, "Nouvel essai demandé", ""
        archive.save(update_fields=["statut", "progression", "etape", "erreur", "mis_a_jour_le"])
        transaction.on_commit(lambda: exporter_archive.enqueue(archive.pk))
    return True


def plan_agree(projet):
    """The archive whose plan is the reference: the latest « agréé » one, else the latest sent."""
    figes = ArchiveDossier.objects.du_projet(projet).plans_figes()
    return (
        figes.filter(statut_projet=ProjetSocial.Statut.AGREE).first()
        or figes.filter(statut_projet=ProjetSocial.Statut.SOUMIS).first()
    )


def comparaison(projet):
    """(the reference archive, what changed since) or (None, None) before any sending."""
    archive = plan_agree(projet)
    if archive is None:
        return None, None
    plan = ArchiveDossier.objects.filter(pk=archive.pk).values_list("plan", flat=True).get()
    return archive, comparer(plan, instantane(projet))


def pages_estimees(archive):
    """The pages of the projet's latest dossier, to follow the render's progress."""
    return (
        ExportDossier.objects.du_projet(archive.projet_id)
        .filter(statut=ExportDossier.Statut.TERMINE)
        .values_list("pages", flat=True)
        .first()
    )
