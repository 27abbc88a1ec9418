"""Two gunicorn servers on two ports and two workers, on one PostgreSQL database, one S3 server
(moto's, on loopback) and one Redis: the multi-server set-up of the README (« Plusieurs
serveurs »). One browser (one cookie jar, as behind a load balancer) goes to either server:
logged in on one, it edits on the other; a file uploaded on one downloads from the other; a
dossier exported on one (rendered by whichever worker) downloads from the other; a login
throttled on one is throttled on the other. About a minute."""

import io
import re
import time
import uuid
from types import SimpleNamespace

import pytest
import requests
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from dossier.models import ExportDossier
from evaluation.models import Resultat
from projets.models import Structure
from tests.factories import IndicateurFactory, image_png
from tests.monde import construire_monde

from .conftest import objets, variables_s3
from .processus import ATTENTE, Processus, port_libre

pytestmark = [
    pytest.mark.lent,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="plusieurs serveurs sur une même base : PostgreSQL seulement (la CI lance les "
        "tests sur PostgreSQL)",
    ),
]

MOT_DE_PASSE = "motdepasse"  # tests/factories.py's
ECHECS_MAX = 3
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
JETON = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def instance(transactional_db, tmp_path, serveur_s3, redis_url):
    prefixe = f"deux-serveurs-{uuid.uuid4().hex[:12]}"
    processus = Processus(
        tmp_path,
        **variables_s3(serveur_s3, prefixe),
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefixe,
        ALLOWED_HOSTS="127.0.0.1",
        AXES_FAILURE_LIMIT=str(ECHECS_MAX),
    )
    serveurs = []
    for nom in ("serveur-a", "serveur-b"):
        port = port_libre()
        processus.lancer(
            nom,
            *["-m", "gunicorn", "centresocial.wsgi:application", "--bind", f"127.0.0.1:{port}"],
            *["--workers", "1", "--access-logfile", "-"],
        )
        serveurs.append(f"http://127.0.0.1:{port}")
    travailleurs = ("travailleur-a", "travailleur-b")
    for nom in travailleurs:
        processus.travailleur(nom)
    processus.attendre(lambda: all(repond(s) for s in serveurs), "Les deux serveurs répondent")
    processus.attendre(
        lambda: all("Starting worker" in processus.journal(n) for n in travailleurs),
        "Les deux travailleurs démarrent",
    )
    yield SimpleNamespace(a=serveurs[0], b=serveurs[1], s3=serveur_s3, prefixe=prefixe + "/")
    processus.arreter()


def repond(serveur):
    try:
        return requests.get(serveur + reverse("login"), timeout=30).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the application
        return False


def jeton(navigateur, url):
    page = navigateur.get(url, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    return JETON.search(page.text)[1]


def connexion(navigateur, serveur, username, mot_de_passe=MOT_DE_PASSE):
    url = serveur + reverse("login")
    donnees = {"username": username, "password": mot_de_passe}
    donnees["csrfmiddlewaretoken"] = jeton(navigateur, url)
    return navigateur.post(url, donnees, allow_redirects=False, timeout=30)


def envoyer(navigateur, serveur, chemin, donnees, fichiers=None, page=None):
    """A form posted to `chemin`, its CSRF token read from its page (`page`, else `chemin`)
    on that server."""
    donnees = {**donnees, "csrfmiddlewaretoken": jeton(navigateur, serveur + (page or chemin))}
    return navigateur.post(
        serveur + chemin, donnees, files=fichiers, allow_redirects=False, timeout=60
    )


def attendre_export(projet):
    fin = time.monotonic() + ATTENTE
    while time.monotonic() < fin:
        export = ExportDossier.objects.du_projet(projet).sans_pdf().first()
        if export and export.statut in (ExportDossier.Statut.TERMINE, ExportDossier.Statut.ECHEC):
            return export
        time.sleep(0.5)
    pytest.fail("L'export du dossier n'a pas fini")


def test_deux_serveurs_deux_travailleurs_une_base_un_seau(instance):
    monde = construire_monde()
    projet = monde.projet_1
    indicateur = IndicateurFactory(fiche=monde.fiche_1a, libelle="Passages", unite="passages")
    direction = requests.Session()  # one cookie jar for both servers, as behind a balancer

    # Logged in through A, at home on B.
    assert connexion(direction, instance.a, monde.direction_1.username).status_code == 302
    contenu = reverse("projets:contenu", args=[projet.pk])
    assert direction.get(instance.b + contenu, allow_redirects=False).status_code == 200

    # Edited through B, with a logo uploaded there: stored in the bucket.
    logo = image_png("logo.png", 120, 60).read()
    reponse = envoyer(
        direction,
        instance.b,
        reverse("projets:structure_modifier", args=[projet.pk]),
        {"nom": projet.structure.nom, "type": "centre_social", "gestionnaire": "commune"}
        | {"porteur": "Ville de Vierzon", "caf": "CAF du Cher"},
        {"logo": ("logo.png", logo, "image/png")},
    )
    assert reponse.status_code == 302, reponse.text[:2000]
    structure = Structure.objects.get(pk=projet.structure_id)
    assert structure.porteur == "Ville de Vierzon"
    assert structure.logo.name in objets(instance.s3, instance.prefixe)

    # A justificatif uploaded through A downloads from B; another structure's team gets a 404.
    reponse = envoyer(
        direction,
        instance.a,
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        {"annee": "2025", "semestre": "0", "valeur": "12"},
        {"justificatif": ("presence.pdf", PDF, "application/pdf")},
    )
    assert reponse.status_code in (200, 302), reponse.text[:2000]
    resultat = Resultat.objects.get(indicateur=indicateur)
    assert resultat.justificatif.name in objets(instance.s3, instance.prefixe)
    url = reverse("evaluation:justificatif", args=[resultat.pk])
    telechargement = direction.get(instance.b + url, timeout=30)
    assert telechargement.status_code == 200 and telechargement.content == PDF
    autre = requests.Session()
    assert connexion(autre, instance.b, monde.equipe_2.username).status_code == 302
    assert autre.get(instance.a + url, timeout=30).status_code == 404

    # Exported through A, rendered by a worker (the logo read from the bucket), downloaded
    # through B.
    exporter = reverse("dossier:exporter", args=[projet.pk])
    index = reverse("dossier:index", args=[projet.pk])
    assert envoyer(direction, instance.a, exporter, {}, page=index).status_code == 302
    export = attendre_export(projet)
    assert export.statut == ExportDossier.Statut.TERMINE, export.erreur
    pdf = direction.get(
        instance.b + reverse("dossier:telecharger", args=[projet.pk, export.pk]), timeout=60
    )
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert {image.image.size for page in pages for image in page.images} == {(120, 60)}

    # Throttled on A, throttled on B (django-axes keeps the failures in the shared database).
    intrus = requests.Session()
    for _ in range(ECHECS_MAX):
        echec = connexion(intrus, instance.a, monde.equipe_1.username, "pas-le-bon")
        assert echec.status_code in (200, 429)
    bloque = connexion(requests.Session(), instance.b, monde.equipe_1.username)
    assert bloque.status_code == 429
    assert "sessionid" not in bloque.cookies
