"""The export page: who may export, the background job, the cache by content version,
failures and retries, the preview, one fiche's PDF, and the command for scripts."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from projets.dossier import taches
from projets.dossier.taches import exporter_dossier
from projets.models_dossier import ExportDossier
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db


def pages_du_projet(m):
    pk = m.projet_1.pk
    return [
        ("get", reverse("projets:dossier", args=[pk])),
        ("get", reverse("projets:dossier_etat", args=[pk])),
        ("get", reverse("projets:dossier_apercu", args=[pk])),
        ("post", reverse("projets:dossier_exporter", args=[pk])),
        ("get", reverse("projets:dossier_fiche", args=[m.fiche_1a.pk])),
    ]


@pytest.mark.parametrize("role", ["direction_1", "equipe_1"])
def test_la_structure_exporte(client, monde, role):
    client.force_login(getattr(monde, role))
    for methode, url in pages_du_projet(monde):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code in (200, 302), url


@pytest.mark.parametrize("role", ["equipe_2", "compte_partenaire", "sans_role"])
def test_les_autres_recoivent_404(client, monde, role):
    client.force_login(getattr(monde, role))
    for methode, url in pages_du_projet(monde):
        assert getattr(client, methode)(url).status_code == 404, url
    assert not ExportDossier.objects.exists()


def test_anonyme_renvoye_a_la_connexion(client, monde):
    for methode, url in pages_du_projet(monde):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302 and "/login" in reponse.url


def exporter(client, m, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("projets:dossier_exporter", args=[m.projet_1.pk]), follow=True)


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
    page = client.get(reverse("projets:dossier", args=[monde.projet_1.pk])).content.decode()
    assert f"Télécharger le dossier (PDF, {export.pages} pages)" in page
    assert "Le dossier est à jour" in page
    telechargement = client.get(
        reverse("projets:dossier_telecharger", args=[monde.projet_1.pk, export.pk])
    )
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
    monde.fiche_1a.save()  # recorded in the history: a new content version
    page = client.get(reverse("projets:dossier", args=[monde.projet_1.pk])).content.decode()
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

    monkeypatch.setattr(taches, "produire_dossier", panne)
    exporter(client, monde, django_capture_on_commit_callbacks)
    rate = ExportDossier.objects.latest("pk")
    with pytest.raises(RuntimeError):
        exporter_dossier.call(rate.pk)
    rate.refresh_from_db()
    assert rate.statut == ExportDossier.Statut.ECHEC

    page = client.get(reverse("projets:dossier", args=[monde.projet_1.pk])).content.decode()
    assert "L'export a échoué." in page and "police introuvable" in page
    assert "Relancer l'export" in page
    # Nothing is lost: the previous file is still offered.
    assert reverse("projets:dossier_telecharger", args=[monde.projet_1.pk, reussi.pk]) in page

    monkeypatch.undo()
    exporter(client, monde, django_capture_on_commit_callbacks)
    relance = ExportDossier.objects.latest("pk")
    assert relance.pk != rate.pk and relance.statut == ExportDossier.Statut.EN_ATTENTE


def test_progression_et_export_sans_nouvelles(client, monde):
    client.force_login(monde.equipe_1)
    export = ExportDossier.objects.create(projet=monde.projet_1, version="x")
    export.avancer(42, "Mise en page : page 12")
    etat = client.get(reverse("projets:dossier_etat", args=[monde.projet_1.pk])).content.decode()
    assert 'value="42"' in etat and "Mise en page : page 12" in etat
    assert "hx-get" in etat and "Relancer" not in etat

    ExportDossier.objects.filter(pk=export.pk).update(
        mis_a_jour_le=export.mis_a_jour_le - timedelta(hours=1)
    )
    etat = client.get(reverse("projets:dossier_etat", args=[monde.projet_1.pk])).content.decode()
    assert "ne progresse plus" in etat and "Relancer l'export" in etat
    assert "hx-get" not in etat


def test_pas_de_telechargement_du_fichier_d_un_autre_projet(client, monde):
    autre = ExportDossier.objects.create(
        projet=monde.projet_2, version="x", statut=ExportDossier.Statut.TERMINE, pdf=b"%PDF-"
    )
    client.force_login(monde.equipe_1)
    url = reverse("projets:dossier_telecharger", args=[monde.projet_1.pk, autre.pk])
    assert client.get(url).status_code == 404
    client.force_login(monde.equipe_2)
    url = reverse("projets:dossier_telecharger", args=[monde.projet_2.pk, autre.pk])
    assert client.get(url).status_code == 200


def test_apercu_html_et_pdf_d_une_fiche(client, monde):
    client.force_login(monde.equipe_1)
    apercu = client.get(reverse("projets:dossier_apercu", args=[monde.projet_1.pk]))
    html = apercu.content.decode()
    assert '<html lang="fr">' in html and "dossier/dossier.css" in html
    assert "Fiche 1a" in html and "Fiche 2a" not in html
    pdf = client.get(reverse("projets:dossier_fiche", args=[monde.fiche_1a.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_page_d_export_en_nombre_de_requetes_fixe(client, demo, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="equipe"))
    url = reverse("projets:dossier", args=[demo.pk])
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(15):
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
    html = client.get(reverse("projets:dossier_apercu", args=[demo.pk])).content.decode()
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html  # the demo's PNG logo, inline
    assert "/media/" not in html
