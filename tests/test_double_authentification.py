"""TOTP second factor (django-otp): turning it on, logging in with it, and the setting that makes
it compulsory for direction and admin accounts."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from centresocial.comptes.views import DELAI_CODE, EN_ATTENTE
from tests.factories import MembreFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def code(appareil, decalage=0):
    """The code the authenticator app shows now (decalage: that many 30-second steps later)."""
    return f"{totp(appareil.bin_key, appareil.step, appareil.t0 - decalage * appareil.step, appareil.digits, appareil.drift):06d}"


def appareil_actif(user):
    return TOTPDeviceFactory(user=user, name="app", confirmed=True)


def se_connecter(client, username="ines", password="motdepasse", suite=""):
    url = reverse("login") + (f"?next={suite}" if suite else "")
    return client.post(url, {"username": username, "password": password, "next": suite})


def test_activer_la_double_authentification(client):
    user = UserFactory(username="ines")
    client.force_login(user)
    page = client.get(reverse("double_authentification"))
    assert page.status_code == 200
    assert "<svg" in page.text and "Code QR à scanner" in page.text
    appareil = TOTPDevice.objects.get(user=user, confirmed=False)
    cle = re.search(r'<code class="user-select-all">([A-Z2-7 ]+)</code>', page.text).group(1)
    assert len(cle.replace(" ", "")) == 32

    faux = client.post(reverse("double_authentification"), {"code": "000000"})
    assert faux.status_code == 400
    assert "Ce code n’est pas le bon" in faux.text
    appareil.refresh_from_db()
    assert not appareil.confirmed

    appareil.throttle_reset()
    bon = client.post(reverse("double_authentification"), {"code": code(appareil)})
    assert bon.status_code == 302
    appareil.refresh_from_db()
    assert appareil.confirmed
    # This session gave the code: it goes on without being asked again.
    assert client.get(reverse("accueil")).status_code == 200


def test_code_non_numerique_refuse_en_francais(client):
    client.force_login(UserFactory(username="ines"))
    reponse = client.post(reverse("double_authentification"), {"code": "12a456"})
    assert reponse.status_code == 400
    assert "Le code ne contient que des chiffres." in reponse.text
    assert 'value="12a456"' in reponse.text


def test_connexion_en_deux_etapes(client):
    user = UserFactory(username="ines")
    appareil = appareil_actif(user)
    reponse = se_connecter(client, suite="/partenaires/")
    assert reponse.status_code == 302 and reponse.url == reverse("verification_connexion")
    # The password alone opens nothing.
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accueil")).status_code == 302

    faux = client.post(reverse("verification_connexion"), {"code": "123456"})
    assert faux.status_code == 400 and "Ce code n’est pas le bon" in faux.text
    assert "_auth_user_id" not in client.session

    appareil.refresh_from_db()
    appareil.throttle_reset()
    bon = client.post(reverse("verification_connexion"), {"code": code(appareil)})
    assert bon.status_code == 302 and bon.url == "/partenaires/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("accueil")).status_code == 200


def test_un_code_deja_utilise_est_refuse(client):
    user = UserFactory(username="ines")
    appareil = appareil_actif(user)
    se_connecter(client)
    utilise = code(appareil)
    assert client.post(reverse("verification_connexion"), {"code": utilise}).status_code == 302
    client.logout()
    se_connecter(client)
    rejoue = client.post(reverse("verification_connexion"), {"code": utilise})
    assert rejoue.status_code == 400
    assert "_auth_user_id" not in client.session


def test_trop_de_codes_errones_font_recommencer(client):
    appareil_actif(UserFactory(username="ines"))
    se_connecter(client)
    for _ in range(4):
        reponse = client.post(reverse("verification_connexion"), {"code": "000000"})
        assert reponse.status_code == 400
    assert "patientez" in reponse.text  # the device's own throttling
    fin = client.post(reverse("verification_connexion"), {"code": "000000"}, follow=True)
    assert fin.redirect_chain[-1][0] == reverse("login")
    assert "Trop de codes erronés : reconnectez-vous." in fin.text
    assert EN_ATTENTE not in client.session


def test_le_delai_pour_saisir_le_code_expire(client):
    appareil = appareil_actif(UserFactory(username="ines"))
    se_connecter(client)
    session = client.session
    session[EN_ATTENTE]["depuis"] -= DELAI_CODE + 1
    session.save()
    reponse = client.post(reverse("verification_connexion"), {"code": code(appareil)}, follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("login")
    assert "Le délai pour saisir le code est passé" in reponse.text
    assert "_auth_user_id" not in client.session


def test_sans_mot_de_passe_la_page_du_code_renvoie_a_la_connexion(client):
    reponse = client.get(reverse("verification_connexion"))
    assert reponse.status_code == 302 and reponse.url == reverse("login")


def test_une_session_ouverte_sans_code_doit_le_donner(client):
    """Whatever the way in (an older session, another login page), a session of an account that
    has a device reaches nothing before the code."""
    user = MembreFactory(user=UserFactory(username="ines")).user
    appareil = appareil_actif(user)
    client.force_login(user)
    reponse = client.get(reverse("partenaires:liste"))
    assert reponse.status_code == 302
    assert reponse.url == reverse("verification_connexion") + "?next=%2Fpartenaires%2F"
    bon = client.post(reponse.url, {"code": code(appareil)})
    assert bon.status_code == 302 and bon.url == "/partenaires/"
    assert client.get(reverse("partenaires:liste")).status_code == 200


def test_l_administration_passe_par_notre_connexion(client):
    reponse = client.get("/admin/login/?next=/admin/")
    assert reponse.status_code == 302
    assert reponse.url == reverse("login") + "?next=/admin/"


def test_desactiver_avec_un_code(client):
    user = UserFactory(username="ines")
    appareil = appareil_actif(user)
    client.force_login(user)
    client.post(reverse("verification_connexion"), {"code": code(appareil)})
    page = client.get(reverse("double_authentification"))
    assert "activée" in page.text
    reponse = client.post(reverse("double_authentification"), {"code": code(appareil, 1)})
    assert reponse.status_code == 302
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.fixture
def obligatoire(settings):
    settings.DOUBLE_AUTHENTIFICATION_OBLIGATOIRE = True


def test_obligatoire_pour_la_direction(client, obligatoire):
    direction = MembreFactory(direction=True).user
    client.force_login(direction)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("double_authentification"))
    page = client.get(reponse.url)
    assert "Votre rôle impose la double authentification" in page.text

    appareil = TOTPDevice.objects.get(user=direction, confirmed=False)
    fin = client.post(reponse.url, {"code": code(appareil), "next": "/"})
    assert fin.status_code == 302 and fin.url == "/"
    assert client.get(reverse("accueil")).status_code == 200
    # And it cannot be turned off.
    refus = client.post(
        reverse("double_authentification"), {"code": code(appareil, 1)}, follow=True
    )
    assert "doit garder la double authentification" in refus.text
    assert TOTPDevice.objects.filter(user=direction, confirmed=True).exists()


def test_obligatoire_pour_l_admin(client, obligatoire):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    reponse = client.get("/admin/")
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("double_authentification"))


def test_facultative_pour_l_equipe_meme_quand_obligatoire(client, obligatoire):
    client.force_login(MembreFactory().user)
    assert client.get(reverse("accueil")).status_code == 200


def test_facultative_pour_la_direction_sans_le_reglage(client):
    client.force_login(MembreFactory(direction=True).user)
    assert client.get(reverse("accueil")).status_code == 200
