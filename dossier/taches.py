"""The background jobs of the PDF exports (django-tasks, run by `manage.py db_worker`).

`exporter_dossier` renders the dossier d'agrément, `exporter_rapport` a year's rapport
d'activité; both through `rendre_export`. While it renders, a thread writes the export's
heartbeat every few seconds (`battement`).

A worker that dies mid-render (kill -9, out of memory, the server restarted) leaves its job
RUNNING in django-tasks-db for ever: the framework has no timeout and no recovery of its own, and
a worker only takes READY jobs, so a restarted one never looks at it again. Hence a watchdog in
the same queue: each render queues `surveiller_exports`, due when its heartbeat would be stale,
which whichever worker is alive runs (the restarted one, or a second one). It resumes every
export whose heartbeat is stale (`recuperer_interrompus`: back in the queue as a new job; the dead
job is closed), then comes back later while its own render still runs. Nothing to add to the
worker's command line: `make run` and the systemd service keep running the plain `db_worker`
(a wrapping command would have to replace it everywhere, or recover nothing). The export page
shows the interruption and offers the retry at once, without waiting for a worker.

Left uncovered: a worker that dies between taking the job and starting the render (a few
milliseconds) leaves the export waiting; the page says so after DELAI_SANS_NOUVELLES.
"""

import logging
import threading
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dossier.models import (
    TENTATIVES_MAX,
    ArchiveDossier,
    ExportDossier,
    RapportActivite,
    TentativeRemplacee,
    delai_battement,
)

from .archives import pages_estimees
from .assemblage import produire_par_parties
from .rapport import produire_rapport
from .rendu import en_pdf, produire_dossier

logger = logging.getLogger(__name__)


class TravailleurArrete(Exception):
    """Recorded on the job of a render whose worker died."""


@task()
def exporter_dossier(export_id):
    export = ExportDossier.objects.select_related("projet__structure").get(pk=export_id)
    return rendre_export(
        export,
        lambda pages_estimees: produire_export(
            export.projet, progression=export.avancer, pages_estimees=pages_estimees
        ),
    )


def produire_export(projet, **options):
    """The dossier's render: assembled from its parts kept between exports when
    `DOSSIER_PAR_PARTIES` is on (dossier/assemblage.py), else in one piece."""
    if getattr(settings, "DOSSIER_PAR_PARTIES", False):
        return produire_par_parties(projet, **options)
    return produire_dossier(projet, **options)


@task()
def exporter_rapport(export_id):
    export = RapportActivite.objects.select_related("projet__structure").get(pk=export_id)
    return rendre_export(
        export,
        lambda pages_estimees: produire_rapport(
            export.projet, export.annee, progression=export.avancer, pages_estimees=pages_estimees
        ),
    )


@task()
def exporter_archive(export_id):
    """The PDF of a dossier sent to the CAF, from the HTML frozen at that moment."""
    export = ArchiveDossier.objects.select_related("projet__structure").get(pk=export_id)
    return rendre_export(
        export,
        lambda estimees: en_pdf(
            export.html, export.avancer, estimees or pages_estimees(export) or 12
        ),
    )


def rendre_export(export, produire):
    """Render a waiting export with `produire(pages_estimees)` (a `Rendu`) and store its file; a
    failure is written on the export (the previous file of the document stays)."""
    if export.statut != export.Statut.EN_ATTENTE:
        # Done, given up, or rendered by another job (resumed after its worker died).
        return export.pages
    if export.meme_document().filter(pk__gt=export.pk).exists():
        export.abandonner("Remplacé par un export plus récent.")
        return None
    precedent = (
        export.meme_document()
        .sans_pdf()
        .filter(statut=export.Statut.TERMINE)
        .exclude(pk=export.pk)
        .first()
    )
    with transaction.atomic():
        export.commencer()
        surveiller(export)
    try:
        with battement(export):
            rendu = produire(precedent.pages if precedent else None)
            export.terminer(rendu.pdf, rendu.pages, rendu.version)
    except TentativeRemplacee:
        logger.warning(
            "L'export %s a été repris ailleurs, remplacé ou supprimé : ce rendu s'arrête.",
            export,
        )
        return None
    except Exception as erreur:
        logger.exception("L'export %s a échoué", export)
        with suppress(TentativeRemplacee):
            export.echouer(f"{type(erreur).__name__} : {erreur}")
        raise
    return rendu.pages


@contextmanager
def battement(export):
    """While the block runs, a thread writes the export's heartbeat six times per delay.

    The progress callback is not enough: WeasyPrint calls it at each page of the layout, but not
    while it prepares the document nor while it writes the PDF (5 s on end for a 200-fiche
    dossier on an idle machine; more for 400 pages on a busy server). A thread still runs then:
    the render never holds the GIL for more than about a second (the one `gc.collect()`).
    """
    arret = threading.Event()
    intervalle = delai_battement().total_seconds() / 6

    def battre():
        try:
            while not arret.wait(intervalle):
                try:
                    export.battre()
                except DatabaseError:
                    logger.warning("Battement de l'export %s non écrit", export.pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    fil = threading.Thread(target=battre, name=f"battement-export-{export.pk}", daemon=True)
    fil.start()
    try:
        yield
    finally:
        arret.set()
        fil.join()


# The documents a worker renders: the export model, by the name its watchdog is given.
DOCUMENTS = {modele.document: modele for modele in (ExportDossier, RapportActivite, ArchiveDossier)}


def tache_de(export):
    if isinstance(export, ArchiveDossier):
        return exporter_archive
    return exporter_rapport if isinstance(export, RapportActivite) else exporter_dossier


def surveiller(export):
    """Queue the watchdog of this render, due when its heartbeat would be stale."""
    echeance = (export.battement_le or timezone.now()) + delai_battement() + timedelta(seconds=1)
    surveiller_exports.using(run_after=echeance).enqueue(
        export.pk, export.tentatives, document=export.document
    )


@task()
def surveiller_exports(export_id, tentative, document="dossier"):
    """The watchdog of one render: resume the interrupted exports (this one or any other), and
    look again later while this render still runs (in another worker, alive)."""
    recuperer_interrompus()
    vivant = (
        DOCUMENTS[document]
        .objects.sans_pdf()
        .filter(pk=export_id, tentatives=tentative, statut=ExportDossier.Statut.EN_COURS)
    )
    if export := vivant.first():
        surveiller(export)


def recuperer_interrompus(exports=None):
    """Resume the exports whose worker died (`interrompus()`, among `exports` if given, else
    among every document's): back in the queue as a new job. An export a newer one of the same
    document replaces, or whose renders killed their worker TENTATIVES_MAX times, fails
    instead. The dead job is closed. Returns the exports resumed.

    Exactly once, however many workers and pages call it together: each export is taken under
    its row lock, skipped if another caller holds it, and only while it is still interrupted (on
    SQLite the transaction takes the write lock as it begins, see settings: callers take turns).
    """
    ensembles = [m.objects.all() for m in DOCUMENTS.values()] if exports is None else [exports]
    repris = []
    with transaction.atomic():
        for ensemble in ensembles:
            for export in ensemble.interrompus().sans_pdf().select_for_update(skip_locked=True):
                cloturer_taches(export)
                if export.meme_document().filter(pk__gt=export.pk).exists():
                    export.abandonner("Remplacé par un export plus récent.")
                elif export.tentatives >= TENTATIVES_MAX:
                    export.abandonner(
                        f"le service d'export s'est arrêté pendant chacun des "
                        f"{export.tentatives} rendus de ce {export.document} (mémoire du serveur "
                        "insuffisante ?). Prévenez l'administrateur."
                    )
                else:
                    logger.warning("L'export %s a perdu son travailleur : il est repris.", export)
                    export.reprendre()
                    tache_de(export).enqueue(export.pk)
                    repris.append(export)
    return repris


def cloturer_taches(export):
    """The jobs of this export that a dead worker left RUNNING are marked as failed."""
    taches = DBTaskResult.objects.running().filter(
        task_path=tache_de(export).module_path, args_kwargs__args__0=export.pk
    )
    for tache in taches:
        tache.set_failed(TravailleurArrete("Le travailleur s'est arrêté pendant le rendu."))
