"""The weekly digest (centresocial/resumes.py, `manage.py envoyer_resumes`) and the page « Mes
e-mails »: only to who asked, not twice in a week, the home page's facts, and a link that
unsubscribes in one click without logging in."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from centresocial.resumes import jeton
from partenaires.models import ComptePartenaire
from projets.models import Membre
from tests.factories import IndicateurFactory


@pytest.fixture
def m(monde):
    for user in (monde.direction_1, monde.equipe_1, monde.equipe_2, monde.user_partenaire_a):
        user.email = f"{user.username}@exemple.fr"
        user.save()
    return monde


def membre(user, structure):
    return Membre.objects.get(user=user, structure=structure)


def abonner(abonnement, envoye_le=None):
    type(abonnement).objects.filter(pk=abonnement.pk).update(
        resume_hebdo=True, resume_envoye_le=envoye_le
    )


def envoyer(*options):
    sortie = StringIO()
    call_command("envoyer_resumes", *options, stdout=sortie)
    return sortie.getvalue()


def test_le_resume_ne_va_qu_a_qui_l_a_demande(m):
    abonner(membre(m.direction_1, m.structure_1))
    envoyer()
    assert [message.to for message in mail.outbox] == [[m.direction_1.email]]
    message = mail.outbox[0]
    assert message.subject == f"{m.structure_1.nom} : ce qui reste à faire cette semaine"
    assert "FICHES SANS INDICATEUR" in message.body and "Fiche 1a" in message.body
    assert "Fiche 2a" not in message.body  # another structure's
    html = message.alternatives[0][0]
    assert "Fiches sans indicateur" in html
    assert f"{settings.SITE_URL}{reverse('actions:modifier', args=[m.fiche_1a.pk])}" in html


def test_pas_deux_resumes_dans_la_semaine(m):
    direction = membre(m.direction_1, m.structure_1)
    abonner(direction)
    envoyer()
    direction.refresh_from_db()
    assert timezone.now() - direction.resume_envoye_le < timedelta(minutes=1)
    assert "0 résumé(s) envoyé(s)" in envoyer()
    assert len(mail.outbox) == 1
    abonner(direction, envoye_le=timezone.now() - timedelta(days=5))
    envoyer()
    assert len(mail.outbox) == 1
    abonner(direction, envoye_le=timezone.now() - timedelta(days=6, minutes=1))
    envoyer()
    assert len(mail.outbox) == 2


def test_l_essai_n_envoie_ni_ne_note_rien(m):
    direction = membre(m.direction_1, m.structure_1)
    abonner(direction)
    sortie = envoyer("--dry-run")
    assert m.direction_1.email in sortie and "1 résumé(s) à envoyer" in sortie
    assert mail.outbox == []
    direction.refresh_from_db()
    assert direction.resume_envoye_le is None


def test_l_equipe_recoit_ses_fiches_a_completer(m):
    m.fiche_1a.referent = m.equipe_1
    m.fiche_1a.save()
    abonner(membre(m.equipe_1, m.structure_1))
    envoyer()
    (message,) = mail.outbox
    assert "Fiche 1a" in message.body and "Aucun indicateur" in message.body
    assert "Fiche 1b" not in message.body
    # Nothing missing any more: no e-mail this week.
    IndicateurFactory(fiche=m.fiche_1a)
    abonner(membre(m.equipe_1, m.structure_1))
    assert "1 sans rien à dire" in envoyer()
    assert len(mail.outbox) == 1


def test_le_partenaire_recoit_ce_qui_a_change_dans_ses_actions(m):
    compte = m.compte_partenaire_a
    abonner(compte)
    LogEntry.objects.update(timestamp=timezone.now() - timedelta(days=30))  # the world is old
    assert "1 sans rien à dire" in envoyer()  # nothing changed this week
    assert mail.outbox == []
    m.fiche_1a.titre = "Ateliers du mercredi"
    m.fiche_1a.save()
    m.fiche_2a.titre = "Autre structure"
    m.fiche_2a.save()
    envoyer()
    (message,) = mail.outbox
    assert message.to == [m.user_partenaire_a.email]
    assert re.search(r"Modification · fiche action « \d+\. Ateliers du mercredi »", message.body)
    assert "Autre structure" not in message.body


def test_le_lien_et_les_en_tetes_de_desinscription(m):
    direction = membre(m.direction_1, m.structure_1)
    abonner(direction)
    envoyer()
    (message,) = mail.outbox
    lien = re.search(r"Ne plus recevoir ce résumé : (\S+)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{lien}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    chemin = lien.split("://", 1)[1].split("/", 1)[1]

    anonyme = Client(enforce_csrf_checks=True)
    reponse = anonyme.get(f"/{chemin}")
    assert reponse.status_code == 200
    assert "Ne plus recevoir ce résumé" in reponse.text and m.structure_1.nom in reponse.text
    direction.refresh_from_db()
    assert direction.resume_hebdo  # a GET changes nothing (link previews, scanners)

    # The mail client's one-click POST: no session, no CSRF token.
    reponse = anonyme.post(f"/{chemin}", {"List-Unsubscribe": "One-Click"})
    assert reponse.status_code == 200
    assert "vous ne recevrez plus le résumé" in reponse.text
    direction.refresh_from_db()
    assert not direction.resume_hebdo
    envoyer()
    assert len(mail.outbox) == 1


MAUVAIS_JETONS = {
    "illisible": lambda: "n-importe-quoi",
    # Signed, but not with the digest's salt.
    "autre_sel": lambda: signing.dumps(["membre", 1, 1]),
    "abonnement_disparu": lambda: signing.dumps(
        ["membre", 999999, 999999], salt="centresocial.resumes.desinscription"
    ),
}


@pytest.mark.parametrize("mauvais", sorted(MAUVAIS_JETONS))
def test_un_mauvais_jeton_ne_desabonne_personne(m, mauvais):
    direction = membre(m.direction_1, m.structure_1)
    abonner(direction)
    client = Client()
    url = reverse("desinscription", args=[MAUVAIS_JETONS[mauvais]()])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    # A token altered to name another subscription fails its signature.
    bon = jeton(direction)
    assert client.post(reverse("desinscription", args=[bon[:-2] + "xx"])).status_code == 404
    direction.refresh_from_db()
    assert direction.resume_hebdo


def test_la_page_mes_emails_abonne_et_desabonne(client, m):
    client.force_login(m.user_partenaire_a)
    reponse = client.get(reverse("mes_emails"))
    assert "Mission locale (compte partenaire)" in reponse.text
    compte = m.compte_partenaire_a
    champ = f"compte_{compte.pk}"
    entrees = LogEntry.objects.count()
    reponse = client.post(reverse("mes_emails"), {champ: "on"})
    assert reponse.status_code == 302
    compte.refresh_from_db()
    assert compte.resume_hebdo
    assert "vous recevrez le résumé" in client.get(reverse("mes_emails")).text
    client.post(reverse("mes_emails"), {})
    compte.refresh_from_db()
    assert not compte.resume_hebdo
    assert LogEntry.objects.count() == entrees  # a choice of e-mails is not in any history


def test_la_page_mes_emails_ne_touche_que_les_abonnements_de_la_personne(client, m):
    client.force_login(m.direction_1)
    reponse = client.get(reverse("mes_emails"))
    assert m.structure_1.nom in reponse.text and m.structure_2.nom not in reponse.text
    autre = membre(m.equipe_2, m.structure_2)
    client.post(reverse("mes_emails"), {f"membre_{autre.pk}": "on"})
    autre.refresh_from_db()
    assert not autre.resume_hebdo
    assert not ComptePartenaire.objects.filter(resume_hebdo=True).exists()


def test_un_compte_de_deux_partenaires_recoit_le_resume_de_celui_qu_il_a_choisi(m):
    ComptePartenaire.objects.create(user=m.user_partenaire_a, partenaire=m.partenaire_b)
    abonner(m.compte_partenaire_a)
    m.fiche_1a.titre = "Ateliers du mercredi"
    m.fiche_1a.save()
    m.fiche_2a.titre = "Action du bailleur"
    m.fiche_2a.save()
    envoyer()
    (message,) = mail.outbox
    assert "Ateliers du mercredi" in message.body
    assert "Action du bailleur" not in message.body
