import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mot_de_passe_oublie_de_bout_en_bout(client):
    user = UserFactory(username="camille", email="camille@example.org")
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "Mot de passe oublié" in page.text

    reponse = client.post(reverse("password_reset"), {"email": "camille@example.org"})
    assert reponse.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Choisir un nouveau mot de passe pour centresocial"
    lien = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)

    formulaire = client.get(lien, follow=True)
    assert "Choisir un nouveau mot de passe" in formulaire.text
    fin = client.post(
        formulaire.redirect_chain[-1][0],
        {
            "new_password1": "Un-nouveau-mdp-solide-2026",
            "new_password2": "Un-nouveau-mdp-solide-2026",
        },
    )
    assert fin.status_code == 302
    assert (
        authenticate(
            RequestFactory().post("/comptes/login/"),
            username="camille",
            password="Un-nouveau-mdp-solide-2026",
        )
        == user
    )
    # A used link no longer works, and says so in French.
    assert "Lien invalide ou expiré" in client.get(lien, follow=True).text


def test_changer_de_mot_de_passe_erreurs_en_francais(client):
    user = UserFactory(username="dominique")
    client.force_login(user)
    reponse = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "abc", "new_password2": "abd"},
    )
    assert reponse.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in reponse.text
    assert "Les deux mots de passe ne correspondent pas" in reponse.text
    ok = client.post(
        reverse("password_change"),
        {
            "old_password": "motdepasse",
            "new_password1": "Encore-un-mdp-solide-9",
            "new_password2": "Encore-un-mdp-solide-9",
        },
    )
    assert ok.status_code == 302
    assert (
        authenticate(
            RequestFactory().post("/comptes/login/"),
            username="dominique",
            password="Encore-un-mdp-solide-9",
        )
        == user
    )


def test_deconnexion_par_post(client):
    client.force_login(UserFactory())
    reponse = client.post(reverse("logout"))
    assert reponse.status_code == 302
    assert client.get(reverse("accueil")).status_code == 302
