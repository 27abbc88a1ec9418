"""Partner accounts: invitation by the direction, activation by the link, revocation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partenaires.models import ComptePartenaire, Invitation
from tests.factories import UserFactory


def inviter(client, monde):
    client.force_login(monde.direction_1)
    return client.post(
        reverse("partenaires:inviter", args=[monde.partenaire_a.pk, monde.contact_a.pk])
    )


def lien_du_mail():
    return re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[-1].body).group(1)


def test_la_direction_invite_un_contact_par_e_mail(client, monde):
    reponse = inviter(client, monde)
    assert reponse.url == reverse("partenaires:detail", args=[monde.partenaire_a.pk])
    assert mail.outbox[-1].to == ["claire@mission-locale.fr"]
    assert "Mission locale" in mail.outbox[-1].subject
    page = client.get(reponse.url)
    assert "Une invitation a été envoyée à claire@mission-locale.fr" in page.text
    assert "Invitations en attente" in page.text


@pytest.mark.parametrize(
    ("qui", "statut"), [("equipe_1", 403), ("equipe_2", 404), ("user_partenaire_a", 404)]
)
def test_seule_la_direction_de_la_structure_invite(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    url = reverse("partenaires:inviter", args=[monde.partenaire_a.pk, monde.contact_a.pk])
    assert client.post(url).status_code == statut
    assert not mail.outbox and not Invitation.objects.exists()


def test_un_contact_sans_e_mail_ne_peut_pas_etre_invite(client, monde):
    monde.contact_a.email = ""
    monde.contact_a.save()
    reponse = inviter(client, monde)
    assert "n&#x27;a pas d&#x27;adresse e-mail" in client.get(reponse.url).text
    assert not mail.outbox


def test_le_lien_cree_le_compte_et_ouvre_mes_actions(client, monde):
    inviter(client, monde)
    client.logout()
    lien = lien_du_mail()
    page = client.get(lien)
    assert "claire@mission-locale.fr" in page.text and "Mission locale" in page.text
    trop_court = client.post(
        lien,
        {"first_name": "Claire", "last_name": "Martin", "password1": "abc", "password2": "abc"},
    )
    assert "Le mot de passe doit compter au moins 12 caractères" in trop_court.text
    assert 'value="Claire"' in trop_court.text
    reponse = client.post(
        lien,
        {
            "first_name": "Claire",
            "last_name": "Martin",
            "password1": "Un-long-mot-de-passe-42",
            "password2": "Un-long-mot-de-passe-42",
        },
    )
    assert reponse.url == reverse("accueil")  # where a partner account lands on « Mes actions »
    compte = ComptePartenaire.objects.get(user__username="claire@mission-locale.fr")
    assert compte.partenaire == monde.partenaire_a
    assert "Fiche 1a" in client.get(reponse.url).text  # logged in
    deja = client.get(lien)
    assert deja.status_code == 410
    assert "Ce lien d&#x27;invitation a déjà été utilisé." in deja.text


def test_un_utilisateur_existant_est_rattache(client, monde):
    existant = UserFactory(username="claire", email="Claire@Mission-Locale.fr")
    inviter(client, monde)
    client.logout()
    lien = lien_du_mail()
    assert "Un compte existe déjà" in client.get(lien).text
    assert client.post(lien).url == reverse("login")
    assert ComptePartenaire.objects.filter(user=existant, partenaire=monde.partenaire_a).exists()


def test_lien_expire(client, monde):
    inviter(client, monde)
    client.logout()
    Invitation.objects.update(cree_le=timezone.now() - timedelta(days=8))
    reponse = client.get(lien_du_mail())
    assert reponse.status_code == 410
    assert "Ce lien d&#x27;invitation a expiré le" in reponse.text
    assert "Demandez une nouvelle invitation à la direction de" in reponse.text
    assert client.post(lien_du_mail(), {"password1": "x"}).status_code == 410
    assert not ComptePartenaire.objects.filter(user__username="claire@mission-locale.fr").exists()


def test_lien_forge(client, monde):
    inviter(client, monde)
    client.logout()
    forge = lien_du_mail()[:-3] + "xx/"
    reponse = client.get(forge)
    assert reponse.status_code == 404
    assert "Ce lien d&#x27;invitation n&#x27;est pas valide." in reponse.text


def test_retirer_l_acces_coupe_les_fiches(client, monde):
    autre = monde.user_partenaire_a
    client.force_login(autre)
    assert client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).status_code == 200
    client.force_login(monde.direction_1)
    reponse = client.post(reverse("partenaires:revoquer", args=[monde.compte_partenaire_a.pk]))
    assert reponse.url == reverse("partenaires:detail", args=[monde.partenaire_a.pk])
    assert not ComptePartenaire.objects.filter(pk=monde.compte_partenaire_a.pk).exists()
    client.force_login(autre)
    assert client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).status_code == 404
    assert client.get(reverse("portail:mes_actions")).status_code == 404
    assert "Fiche 1a" not in client.get(reverse("accueil")).text


@pytest.mark.parametrize(
    ("qui", "statut"), [("equipe_1", 403), ("equipe_2", 404), ("user_partenaire_a", 404)]
)
def test_seule_la_direction_retire_un_acces(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    url = reverse("partenaires:revoquer", args=[monde.compte_partenaire_a.pk])
    assert client.post(url).status_code == statut
    assert ComptePartenaire.objects.filter(pk=monde.compte_partenaire_a.pk).exists()
