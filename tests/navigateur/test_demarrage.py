"""A new centre starts on its own, in the browser, from an instance that has only its
administrator: structure → its direction invited and activated → projet created → équipe
invited → fiche written → dossier exported. No page of the Django admin is opened."""

import io
import re

import pytest
from django.core import mail
from django_tasks_db.management.commands.db_worker import Worker
from pypdf import PdfReader

from dossier.models import ExportDossier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MOT_DE_PASSE = "Un-long-mot-de-passe-42"


def se_connecter(page, live_server, identifiant, mot_de_passe=MOT_DE_PASSE):
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Identifiant").fill(identifiant)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def se_deconnecter(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def champ(page, libelle):
    """The field of that label (crispy-forms adds « * » to a required one)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(libelle)}\s*\*?\s*$"))


def taper(page, libelle, texte):
    champ(page, libelle).click()
    page.keyboard.type(texte)


def lien_du_dernier_mail(live_server, destinataire):
    message = mail.outbox[-1]
    assert message.to == [destinataire]
    chemin = re.search(r"http://[^/\s]+(/equipe/invitation/\S+/)", message.body).group(1)
    return f"{live_server.url}{chemin}"


def activer(page, lien, prenom, nom):
    page.goto(lien)
    taper(page, "Prénom", prenom)
    taper(page, "Nom", nom)
    champ(page, "Mot de passe").fill(MOT_DE_PASSE)
    champ(page, "Confirmation du mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(f"{live_server_url(page)}/")


def live_server_url(page):
    return re.match(r"https?://[^/]+", page.url).group(0)


def exporter_en_tache_de_fond():
    """What `manage.py db_worker` does: run the queued tasks, then stop."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-demarrage",
        excluded_queue_names=[],
    ).run()


def test_d_une_instance_vide_au_dossier_exporte(page, live_server):
    UserFactory(username="admin", password=MOT_DE_PASSE, admin=True)
    se_connecter(page, live_server, "admin")

    # The administrator: a structure and the invitation of its direction.
    page.get_by_role("link", name="Créer une structure").click()
    taper(page, "Nom", "Centre social des Tilleuls")
    champ(page, "Type").select_option(label="Centre social")
    taper(page, "Ville", "Vierzon")
    taper(page, "E-mail de la direction", "direction@tilleuls.fr")
    page.get_by_role("button", name="Créer et inviter la direction").click()
    page.wait_for_url(re.compile(r"/structures/\d+/equipe/$"))
    assert page.get_by_text("direction@tilleuls.fr · Direction").is_visible()
    lien_direction = lien_du_dernier_mail(live_server, "direction@tilleuls.fr")
    se_deconnecter(page)

    # The direction: account, équipe invited, projet created, first axe.
    activer(page, lien_direction, "Inès", "Haddad")
    assert page.get_by_text("Pour commencer").is_visible()
    page.get_by_role("link", name="Inviter", exact=True).click()
    taper(page, "E-mail", "animatrice@tilleuls.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    assert page.get_by_text("animatrice@tilleuls.fr · Équipe").is_visible()
    lien_equipe = lien_du_dernier_mail(live_server, "animatrice@tilleuls.fr")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Créer le projet").click()
    taper(page, "Titre", "Projet social 2027-2030")
    taper(page, "Année de début", "2027")
    taper(page, "Année de fin", "2030")
    page.get_by_role("button", name="Créer le projet").click()
    page.wait_for_url(re.compile(r"/projets/\d+/$"))
    projet_url = page.url
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Ajouter un axe").click()
    taper(page, "Titre", "Faire vivre le lien entre voisins")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    se_deconnecter(page)

    # The équipe: account, first fiche, from the home page's guide.
    activer(page, lien_equipe, "Léa", "Martin")
    page.get_by_role("link", name="Écrire une fiche").click()
    champ(page, "Axe").select_option(index=1)
    taper(page, "Titre de la fiche", "Les repas partagés du jeudi")
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(r"/fiches/\d+/modifier/$"))
    page.get_by_role("textbox", name="Contexte").click()
    page.keyboard.type("Des voisins isolés demandent un temps « convivial » chaque semaine.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(re.compile(r"/fiches/\d+/$"))
    page.goto(f"{live_server.url}/")
    assert page.get_by_text("Pour commencer").count() == 0  # the first fiche exists
    se_deconnecter(page)

    # The direction exports the dossier; the worker renders it.
    se_connecter(page, live_server, "direction@tilleuls.fr")
    page.goto(f"{projet_url}dossier/")
    page.get_by_role("button", name="Exporter le dossier").click()
    page.get_by_text("L'export attend son tour").wait_for()
    exporter_en_tache_de_fond()
    telecharger = page.get_by_role("link", name=re.compile(r"Télécharger le dossier"))
    telecharger.wait_for(timeout=30_000)
    export = ExportDossier.objects.get()
    assert export.statut == ExportDossier.Statut.TERMINE
    texte = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(export.pdf))).pages)
    assert "Les repas partagés du jeudi" in texte and "Centre social des Tilleuls" in texte
