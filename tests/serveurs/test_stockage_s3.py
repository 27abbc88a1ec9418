"""Uploaded files in an S3-compatible object storage (moto's server on loopback): uploaded
through the pages, stored in the bucket and never on the local disk, downloaded through the views
that check access, printed in the dossier PDF through the renderer's URL fetcher."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from centresocial.exploitation.sauvegarde import remettre, sauvegarder
from centresocial.lib import stockage
from dossier.archives import figer_images
from dossier.rendu import LecteurFichiers, html_dossier, rendre_dossier, version_de
from evaluation.models import FichierBilan, Resultat
from projets.models import ImageSection, SectionProjet
from tests.factories import IndicateurFactory, SectionProjetFactory, image_png

from .conftest import SEAU, client_s3, objets

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def connecte(user):
    client = Client()
    client.force_login(user)
    return client


def images_imprimees(pdf):
    """The size in pixels of each image the PDF holds (once, whatever the pages showing it)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return {image.image.size for page in pages for image in page.images}


def test_le_logo_depose_est_dans_le_seau_et_s_imprime_sur_la_couverture(
    monde, stockage_s3, serveur_s3, settings
):
    projet = monde.projet_1
    logo = image_png("logo du centre.png", 120, 60)
    donnees = {
        "nom": projet.structure.nom,
        "type": "centre_social",
        "gestionnaire": "commune",
        "caf": "CAF du Cher",
        "logo": logo,
    }
    url = reverse("projets:structure_modifier", args=[projet.pk])
    reponse = connecte(monde.direction_1).post(url, donnees)
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    projet.structure.refresh_from_db()
    nom = projet.structure.logo.name
    assert objets(serveur_s3, stockage_s3) == [nom]
    assert not settings.MEDIA_ROOT.exists()

    html = html_dossier(projet)
    url_logo = f"stockage:{nom}".replace(" ", "%20")
    assert f'src="{url_logo}"' in html
    # The URL fetcher reads the image from the bucket, typed by its content.
    lu = LecteurFichiers().fetch(url_logo)
    logo.seek(0)
    assert lu.read() == logo.read() and lu.content_type == "image/png"
    assert images_imprimees(rendre_dossier(projet)) == {(120, 60)}  # the cover's logo

    # Replaced in the bucket under the same name (a restore): the dossier is no longer current.
    avant = version_de(html)
    client_s3(serveur_s3).put_object(
        Bucket=SEAU, Key=stockage_s3 + nom, Body=image_png("x.png", 30, 30).read()
    )
    assert version_de(html_dossier(projet)) != avant


def test_le_lecteur_du_pdf_refuse_ce_qui_sort_du_stockage(stockage_s3):
    lecteur = LecteurFichiers()
    for url in ["stockage:../secret.png", "stockage:/etc/passwd", "http://127.0.0.1/logo.png"]:
        with pytest.raises(Exception):  # noqa: B017 (refused, whatever the reason)
            lecteur.fetch(url)
    with pytest.raises(FileNotFoundError):
        lecteur.fetch("stockage:structures/logos/absent.png")


def test_une_image_de_section_se_depose_par_l_un_et_se_voit_par_l_autre(
    monde, stockage_s3, serveur_s3, settings
):
    projet = monde.projet_1
    section = SectionProjetFactory(
        projet=projet, type=SectionProjet.Type.PORTRAIT, contenu="Le quartier en 2025."
    )
    reponse = connecte(monde.equipe_1).post(
        reverse("projets:image_creer", args=[projet.pk]),
        {
            "section": section.pk,
            "image": image_png("carte.png", 300, 200),
            "legende": "Le quartier",
            "texte_alternatif": "Carte du quartier",
            "largeur": "moitie",
        },
    )
    assert reponse.status_code == 302
    image = ImageSection.objects.get()
    assert objets(serveur_s3, stockage_s3) == [image.image.name]
    assert not settings.MEDIA_ROOT.exists()

    url = reverse("projets:image", args=[projet.pk, image.pk])
    servie = connecte(monde.direction_1).get(url)
    assert servie.status_code == 200 and servie["Content-Type"] == "image/png"
    assert b"".join(servie.streaming_content) == default_storage.open(image.image.name).read()
    assert connecte(monde.equipe_2).get(url).status_code == 404

    # Printed in the PDF from the bucket; inline (data:) in the browser's preview.
    assert images_imprimees(rendre_dossier(projet)) == {(300, 200)}
    assert '<img src="data:image/png;base64,' in html_dossier(projet, apercu=True)
    fige = figer_images(html_dossier(projet))
    assert "stockage:" not in fige and 'src="data:image/png;base64,' in fige


@pytest.fixture
def indicateur(monde):
    return IndicateurFactory(fiche=monde.fiche_1a, libelle="Passages", unite="passages")


def test_un_justificatif_depose_par_l_un_se_telecharge_par_l_autre(
    monde, indicateur, stockage_s3, serveur_s3, settings
):
    reponse = connecte(monde.equipe_1).post(
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        {"annee": 2025, "semestre": 0, "valeur": "12", "justificatif": fichier("presence.pdf")},
    )
    assert reponse.status_code in (200, 302)
    resultat = Resultat.objects.get()
    assert objets(serveur_s3, stockage_s3) == [resultat.justificatif.name]
    assert not settings.MEDIA_ROOT.exists()

    url = reverse("evaluation:justificatif", args=[resultat.pk])
    telechargement = connecte(monde.direction_1).get(url)
    assert telechargement.status_code == 200
    assert telechargement["Content-Type"] == "application/pdf"
    assert telechargement["Content-Disposition"].startswith("attachment;")
    assert b"".join(telechargement.streaming_content) == PDF
    assert connecte(monde.equipe_2).get(url).status_code == 404
    assert connecte(monde.user_partenaire_b).get(url).status_code == 404


def test_un_fichier_de_bilan_se_telecharge_puis_se_retire_du_seau(monde, stockage_s3, serveur_s3):
    url = reverse("evaluation:bilan", args=[monde.fiche_1a.pk, 2025])
    donnees = {"statut": "en_cours", "titre_fichier": "Compte rendu", "fichier": fichier("cr.pdf")}
    assert connecte(monde.equipe_1).post(url, donnees).status_code in (200, 302)
    depose = FichierBilan.objects.get()
    assert objets(serveur_s3, stockage_s3) == [depose.fichier.name]

    url = reverse("evaluation:fichier_bilan", args=[depose.pk])
    assert connecte(monde.equipe_2).get(url).status_code == 404
    telechargement = connecte(monde.direction_1).get(url)
    assert b"".join(telechargement.streaming_content) == PDF

    retrait = reverse("evaluation:fichier_bilan_supprimer", args=[depose.pk])
    assert connecte(monde.equipe_2).post(retrait).status_code == 404
    assert objets(serveur_s3, stockage_s3) == [depose.fichier.name]
    assert connecte(monde.direction_1).post(retrait).status_code == 302
    assert objets(serveur_s3, stockage_s3) == []


def test_la_sauvegarde_lit_les_fichiers_du_seau_et_la_restauration_les_y_remet(
    monde, indicateur, stockage_s3, serveur_s3, tmp_path
):
    connecte(monde.equipe_1).post(
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        {"annee": 2025, "semestre": 0, "valeur": "3", "justificatif": fichier("liste.pdf")},
    )
    nom = Resultat.objects.get().justificatif.name
    archive = tmp_path / "sauvegarde.zip"
    sauvegarder(archive)
    with zipfile.ZipFile(archive) as contenu:
        assert [n for n in contenu.namelist() if n.startswith("media/")] == [f"media/{nom}"]
        assert contenu.read(f"media/{nom}") == PDF

    default_storage.delete(nom)
    remettre(nom, PDF)
    remettre(nom, PDF)  # a second time: replaced, never kept beside under another name
    assert objets(serveur_s3, stockage_s3) == [nom]
    assert list(stockage.noms()) == [nom]


# Committed for real: PostgreSQL cannot TRUNCATE (flush) inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_une_instance_sur_s3_se_restaure_entiere_dans_un_seau_vide(
    monde, stockage_s3, serveur_s3, tmp_path
):
    from django.core.management import call_command

    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    connecte(monde.equipe_1).post(
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        {"annee": 2025, "semestre": 0, "valeur": "3", "justificatif": fichier("liste.pdf")},
    )
    structure = monde.structure_1
    structure.logo = image_png("logo.png")
    structure.save()
    avant = {nom: default_storage.open(nom).read() for nom in stockage.noms()}
    resultats = list(Resultat.objects.values_list("pk", "valeur", "justificatif"))
    assert len(avant) == 2
    archive = tmp_path / "sauvegarde.zip"

    call_command("sauvegarder", "-o", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    for nom in avant:
        default_storage.delete(nom)
    assert objets(serveur_s3, stockage_s3) == []
    call_command("restaurer", str(archive))

    assert sorted(objets(serveur_s3, stockage_s3)) == sorted(avant)
    assert {nom: default_storage.open(nom).read() for nom in stockage.noms()} == avant
    assert list(Resultat.objects.values_list("pk", "valeur", "justificatif")) == resultats
    page = connecte(monde.direction_1).get(
        reverse("evaluation:justificatif", args=[resultats[0][0]])
    )
    assert page.status_code == 200 and b"".join(page.streaming_content) == PDF


def fichier(nom):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nom, PDF, content_type="application/pdf")
