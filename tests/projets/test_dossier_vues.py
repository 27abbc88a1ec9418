"""The export page: who may export, the background job, the cache by content version,
failures and retries, a worker killed mid-render, the preview, one fiche's PDF, and the command
for scripts."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import DateTimeField, F
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from dossier import taches
from dossier.models import TENTATIVES_MAX, ExportDossier
from dossier.rendu import Rendu
from dossier.taches import exporter_dossier
from tests.factories import ExportDossierFactory
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db


def pages_du_projet(m):
    pk = m.projet_1.pk
    return [
        ("get", reverse("dossier:index", args=[pk])),
        ("get", reverse("dossier:etat", args=[pk])),
        ("get", reverse("dossier:apercu", args=[pk])),
        ("post", reverse("dossier:exporter", args=[pk])),
        ("get", reverse("dossier:fiche", args=[m.fiche_1a.pk])),
    ]


@pytest.mark.parametrize("role", ["direction_1", "equipe_1"])
def test_la_structure_exporte(client, monde, role):
    client.force_login(getattr(monde, role))
    for methode, url in pages_du_projet(monde):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code in (200, 302), url


@pytest.mark.parametrize("role", ["equipe_2", "user_partenaire_a", "sans_role"])
def test_les_autres_recoivent_404(client, monde, role):
    client.force_login(getattr(monde, role))
    # The staff's PDF of fiche 1a: its partner knows the fiche (403; it has the portal's PDF).
    fiche = reverse("dossier:fiche", args=[monde.fiche_1a.pk])
    for methode, url in pages_du_projet(monde):
        attendu = 403 if role == "user_partenaire_a" and url == fiche else 404
        assert getattr(client, methode)(url).status_code == attendu, url
    assert not ExportDossier.objects.exists()


def test_anonyme_renvoye_a_la_connexion(client, monde):
    for methode, url in pages_du_projet(monde):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302 and "/login" in reponse.url


def exporter(client, m, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("dossier:exporter", args=[m.projet_1.pk]), follow=True)


def test_exporter_repond_tout_de_suite_puis_le_travail_rend_le_pdf(
    client, monde, django_capture_on_commit_callbacks
):
    client.force_login(monde.equipe_1)
    reponse = exporter(client, monde, django_capture_on_commit_callbacks)
    export = ExportDossier.objects.get()
    # The request only queued the job: nothing rendered yet, the page shows it waiting.
    assert export.statut == ExportDossier.Statut.EN_ATTENTE and export.pdf is None
    tache = DBTaskResult.objects.get()
    assert tache.task_path.endswith("exporter_dossier") and tache.args_kwargs["args"] == [export.pk]
    assert "L'export attend son tour" in reponse.content.decode()
    assert 'hx-trigger="every 2s"' in reponse.content.decode()

    exporter_dossier.call(export.pk)  # what the worker does

    export.refresh_from_db()
    assert export.statut == ExportDossier.Statut.TERMINE and export.progression == 100
    page = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).content.decode()
    assert f"Télécharger le dossier (PDF, {export.pages} pages)" in page
    assert "Le dossier est à jour" in page
    telechargement = client.get(reverse("dossier:telecharger", args=[monde.projet_1.pk, export.pk]))
    assert telechargement["Content-Type"] == "application/pdf"
    assert telechargement.content.startswith(b"%PDF")
    assert "attachment" in telechargement["Content-Disposition"]


def test_sans_changement_le_fichier_est_reutilise(
    client, monde, django_capture_on_commit_callbacks
):
    client.force_login(monde.direction_1)
    exporter(client, monde, django_capture_on_commit_callbacks)
    premier = ExportDossier.objects.get()
    exporter_dossier.call(premier.pk)
    reponse = exporter(client, monde, django_capture_on_commit_callbacks)
    assert ExportDossier.objects.count() == 1
    assert "Le contenu n&#x27;a pas changé" in reponse.content.decode()

    monde.fiche_1a.titre = "Un nouveau titre"
    monde.fiche_1a.save()  # printed in the dossier: a new content version
    page = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).content.decode()
    assert "Le projet a changé depuis le dernier export" in page
    exporter(client, monde, django_capture_on_commit_callbacks)
    assert ExportDossier.objects.count() == 2


def test_un_echec_montre_sa_raison_et_se_relance(
    client, monde, django_capture_on_commit_callbacks, monkeypatch
):
    client.force_login(monde.equipe_1)
    exporter(client, monde, django_capture_on_commit_callbacks)
    reussi = ExportDossier.objects.get()
    exporter_dossier.call(reussi.pk)
    monde.fiche_1b.titre = "Changée"
    monde.fiche_1b.save()

    def panne(*args, **kwargs):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr(taches, "produire_export", panne)
    exporter(client, monde, django_capture_on_commit_callbacks)
    rate = ExportDossier.objects.latest("pk")
    with pytest.raises(RuntimeError):
        exporter_dossier.call(rate.pk)
    rate.refresh_from_db()
    assert rate.statut == ExportDossier.Statut.ECHEC

    page = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).content.decode()
    assert "L'export a échoué." in page and "police introuvable" in page
    assert "Relancer l'export" in page
    # Nothing is lost: the previous file is still offered.
    assert reverse("dossier:telecharger", args=[monde.projet_1.pk, reussi.pk]) in page

    monkeypatch.undo()
    exporter(client, monde, django_capture_on_commit_callbacks)
    relance = ExportDossier.objects.latest("pk")
    assert relance.pk != rate.pk and relance.statut == ExportDossier.Statut.EN_ATTENTE


def test_progression_d_un_export_en_cours(client, monde):
    client.force_login(monde.equipe_1)
    export = ExportDossierFactory(projet=monde.projet_1, version="x")
    export.commencer()
    export.mis_a_jour_le -= timedelta(seconds=2)  # past the once-a-second limit
    export.avancer(42, "Mise en page : page 12")
    etat = client.get(reverse("dossier:etat", args=[monde.projet_1.pk])).content.decode()
    assert 'value="42"' in etat and "Mise en page : page 12" in etat
    assert 'hx-trigger="every 2s"' in etat and "Relancer" not in etat

    # A render that hangs in a live worker (its heartbeat still beats): stuck after 10 minutes.
    vieillir(timedelta(hours=1))
    export.battre()
    etat = client.get(reverse("dossier:etat", args=[monde.projet_1.pk])).content.decode()
    assert "ne progresse plus" in etat and "Relancer l'export" in etat
    assert "interrompu" not in etat and "hx-get" not in etat


def test_un_export_qui_attend_un_travailleur_n_est_pas_interrompu(client, monde):
    """No worker took it yet: nothing died, the job waits in the queue for the next worker."""
    client.force_login(monde.equipe_1)
    export = ExportDossierFactory(projet=monde.projet_1, version="x")
    exporter_dossier.enqueue(export.pk)
    vieillir(timedelta(minutes=5))
    assert taches.recuperer_interrompus() == []
    etat = client.get(reverse("dossier:etat", args=[monde.projet_1.pk])).content.decode()
    assert "L'export attend son tour" in etat and "Relancer" not in etat
    assert DBTaskResult.objects.get().status == "READY"

    vieillir(timedelta(hours=1))  # still no worker: the page says so, and the export restarts
    etat = client.get(reverse("dossier:etat", args=[monde.projet_1.pk])).content.decode()
    assert "ne progresse plus" in etat and "Relancer l'export" in etat
    assert "hx-get" not in etat


# --- A worker killed mid-render -----------------------------------------------------------


def vieillir(duree):
    """As if `duree` had passed: every date of the exports and of the jobs moves back (a job
    queued without a date, `run_after` at its maximum, stays ready)."""
    for modele in (ExportDossier, DBTaskResult):
        dates = [f.name for f in modele._meta.fields if isinstance(f, DateTimeField)]
        for nom in dates:
            lignes = modele.objects.all()
            if nom == "run_after":
                lignes = lignes.exclude(run_after=get_date_max())
            lignes.update(**{nom: F(nom) - duree})


class Tue(BaseException):
    """kill -9: nothing of the worker runs after it, not even its `except BaseException`."""


def rendu_tue(projet, progression, pages_estimees):
    time.sleep(1.05)  # progress is written at most once a second
    progression(59, "Mise en page : page 70")
    raise Tue


def travailleur(worker_id):
    """`manage.py db_worker --batch`: runs the jobs that are due, then stops."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


@pytest.fixture
def travailleur_tue(client, monde, django_capture_on_commit_callbacks, monkeypatch):
    """A first dossier exported, the content changed, a new export asked for, and the worker
    that took it killed at 59 %: its job left RUNNING, the export « en cours »."""
    # The worker checks its connection between jobs: here it is the test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(monde.equipe_1)
    exporter(client, monde, django_capture_on_commit_callbacks)
    travailleur("premier").run()
    monde.fiche_1b.titre = "Changée"
    monde.fiche_1b.save()
    exporter(client, monde, django_capture_on_commit_callbacks)

    tache = DBTaskResult.objects.ready().filter(task_path__endswith="exporter_dossier").get()
    tache.claim("tue")  # what the worker does before it runs the job
    with monkeypatch.context() as patch:
        patch.setattr(taches, "produire_export", rendu_tue)
        with pytest.raises(Tue):
            exporter_dossier.call(*tache.args_kwargs["args"])
    return ExportDossier.objects.latest("pk")


def test_travailleur_tue_l_export_interrompu_tout_de_suite_puis_repris(
    client, monde, travailleur_tue
):
    export = travailleur_tue
    url = reverse("dossier:etat", args=[monde.projet_1.pk])
    reussi = ExportDossier.objects.get(statut=ExportDossier.Statut.TERMINE)
    etat = client.get(url).content.decode()
    assert "Export en cours : Mise en page : page 70" in etat and "Relancer" not in etat

    vieillir(timedelta(seconds=35))  # no heartbeat for 35 s: the worker is dead

    etat = client.get(url).content.decode()
    assert "L'export s'est interrompu</strong> à 59 %" in etat
    assert "Il reprendra de lui-même au redémarrage du service" in etat
    assert "Relancer l'export" in etat and "Export en cours" not in etat
    # The last file is still offered, and the page goes on looking (to show it resumed).
    assert reverse("dossier:telecharger", args=[monde.projet_1.pk, reussi.pk]) in etat
    assert 'hx-trigger="every 5s"' in etat

    travailleur("redemarre").run()  # the worker restarted: it resumes the export, and renders it

    export.refresh_from_db()
    assert export.statut == ExportDossier.Statut.TERMINE and bytes(export.pdf).startswith(b"%PDF")
    assert export.tentatives == 2
    jobs = DBTaskResult.objects.filter(task_path=exporter_dossier.module_path)
    assert sorted(j.worker_ids[-1] for j in jobs.filter(args_kwargs__args=[export.pk])) == [
        "redemarre",
        "tue",
    ]
    mort = jobs.get(worker_ids=["tue"])
    assert mort.status == "FAILED" and mort.exception_class_path.endswith("TravailleurArrete")
    assert jobs.filter(status="SUCCESSFUL").count() == 2  # the first export, and this one
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exclude(
        task_path=taches.surveiller_exports.module_path
    )
    etat = client.get(url).content.decode()
    assert "Le dossier est à jour" in etat
    assert reverse("dossier:telecharger", args=[monde.projet_1.pk, export.pk]) in etat
    # Resumed once: another worker coming along finds nothing to resume.
    vieillir(timedelta(minutes=5))
    assert taches.recuperer_interrompus() == []
    travailleur("troisieme").run()
    assert ExportDossier.objects.get().tentatives == 2


def test_relancer_un_export_interrompu_le_remplace(
    client, monde, travailleur_tue, django_capture_on_commit_callbacks
):
    interrompu = travailleur_tue
    vieillir(timedelta(seconds=35))
    reponse = exporter(client, monde, django_capture_on_commit_callbacks)
    assert "L'export attend son tour" in reponse.content.decode()
    interrompu.refresh_from_db()
    # Replaced at once: its dead job is closed, and no worker will resume it.
    assert interrompu.statut == ExportDossier.Statut.ECHEC
    assert DBTaskResult.objects.get(worker_ids=["tue"]).status == "FAILED"

    travailleur("redemarre").run()

    relance = ExportDossier.objects.get()  # the failed one was dropped with the older file
    assert relance.pk > interrompu.pk and relance.statut == ExportDossier.Statut.TERMINE
    assert relance.tentatives == 1


def test_un_dossier_qui_tue_son_travailleur_a_chaque_fois_finit_en_echec(
    client, monde, travailleur_tue
):
    ExportDossier.objects.filter(pk=travailleur_tue.pk).update(tentatives=TENTATIVES_MAX)
    vieillir(timedelta(seconds=35))
    assert taches.recuperer_interrompus() == []
    etat = client.get(reverse("dossier:etat", args=[monde.projet_1.pk])).content.decode()
    assert "L'export a échoué." in etat and "Relancer l'export" in etat
    assert f"arrêté pendant chacun des {TENTATIVES_MAX} rendus de ce dossier" in etat


@pytest.mark.django_db(transaction=True)
def test_le_battement_continue_quand_weasyprint_ne_donne_pas_de_nouvelles(
    monde, settings, monkeypatch
):
    """WeasyPrint writes a big PDF for seconds on end without calling back: the heartbeat
    thread keeps the export alive meanwhile."""
    settings.EXPORT_DOSSIER_DELAI_BATTEMENT = 0.6
    export = ExportDossierFactory(projet=monde.projet_1, version="x")
    vu = {}

    def rendu_silencieux(projet, progression, pages_estimees):
        debut = ExportDossier.objects.get(pk=export.pk).battement_le
        time.sleep(1.5)  # 2.5 times the delay, without a word
        pendant = ExportDossier.objects.get(pk=export.pk)
        vu.update(interrompu=pendant.interrompu, battu=pendant.battement_le > debut)
        return Rendu(pdf=b"%PDF-1.7", pages=1)

    monkeypatch.setattr(taches, "produire_export", rendu_silencieux)
    exporter_dossier.call(export.pk)
    assert vu == {"interrompu": False, "battu": True}
    assert ExportDossier.objects.get(pk=export.pk).statut == ExportDossier.Statut.TERMINE


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="verrou de ligne : PostgreSQL")
def test_deux_travailleurs_reprennent_un_export_une_seule_fois(monde):
    export = ExportDossierFactory(projet=monde.projet_1, version="x")
    export.commencer()
    vieillir(timedelta(seconds=35))
    depart = threading.Barrier(2)
    repris = []

    def recuperer():
        try:
            depart.wait()
            repris.extend(taches.recuperer_interrompus())
        finally:
            connection.close()  # this thread's own connection

    fils = [threading.Thread(target=recuperer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert [e.pk for e in repris] == [export.pk]
    assert DBTaskResult.objects.filter(task_path=exporter_dossier.module_path).count() == 1


def test_pas_de_telechargement_du_fichier_d_un_autre_projet(client, monde):
    autre = ExportDossierFactory(
        projet=monde.projet_2, version="x", statut=ExportDossier.Statut.TERMINE, pdf=b"%PDF-"
    )
    client.force_login(monde.equipe_1)
    url = reverse("dossier:telecharger", args=[monde.projet_1.pk, autre.pk])
    assert client.get(url).status_code == 404
    client.force_login(monde.equipe_2)
    url = reverse("dossier:telecharger", args=[monde.projet_2.pk, autre.pk])
    assert client.get(url).status_code == 200


def test_apercu_html_et_pdf_d_une_fiche(client, monde):
    client.force_login(monde.equipe_1)
    apercu = client.get(reverse("dossier:apercu", args=[monde.projet_1.pk]))
    html = apercu.content.decode()
    assert '<html lang="fr">' in html and "dossier/dossier.css" in html
    assert "Fiche 1a" in html and "Fiche 2a" not in html
    pdf = client.get(reverse("dossier:fiche", args=[monde.fiche_1a.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_page_d_export_en_nombre_de_requetes_fixe(client, demo, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="equipe"))
    url = reverse("dossier:index", args=[demo.pk])
    # 15, 2 for the dossiers sent to the CAF (their list, whether the user may download), and
    # 6 more for the summary of « Prêt pour la CAF ? » (dossier/verifications.py).
    with django_assert_max_num_queries(23):
        assert client.get(url).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(23):
        page = client.get(url).content.decode()
    assert page.count("(PDF)</span>") == 94


def test_commande_export_dossier(monde, tmp_path):
    sortie = tmp_path / "dossier.pdf"
    call_command("export_dossier", str(monde.projet_1.pk), "-o", str(sortie))
    assert sortie.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="Aucun projet social"):
        call_command("export_dossier", "999999", "-o", str(sortie))


def test_l_apercu_montre_le_logo_sans_servir_les_fichiers_deposes(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="direction"))
    html = client.get(reverse("dossier:apercu", args=[demo.pk])).content.decode()
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html  # the demo's PNG logo, inline
    assert "/media/" not in html
