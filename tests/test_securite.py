"""Production settings, Content Security Policy, password rules (CNIL 2022), login throttling."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from centresocial.comptes.validators import RecommandationCNILValidator
from tests.factories import UserFactory


def check_deploy(**env):
    # The environment of production: none of the test run's own switches (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE in this process).
    test = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in test}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **base,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "centre.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_check_deploy_sans_avertissement_en_production():
    resultat = check_deploy()
    assert resultat.returncode == 0, resultat.stderr
    assert "no issues" in resultat.stdout


def test_check_deploy_signale_une_production_sans_https():
    # The same check fails when HTTPS is turned off: the previous test can fail.
    resultat = check_deploy(HTTPS="0")
    assert resultat.returncode != 0
    assert "SECURE_SSL_REDIRECT" in resultat.stderr


@pytest.mark.django_db
def test_csp_sur_chaque_page_sans_unsafe_inline(client, monde):
    client.force_login(monde.direction_1)
    for url in [
        reverse("accueil"),
        reverse("actions:projet", args=[monde.projet_1.pk]),
        reverse("actions:detail", args=[monde.fiche_1a.pk]),
        reverse("actions:modifier", args=[monde.fiche_1a.pk]),
        reverse("double_authentification"),
    ]:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        politique = dict(
            directive.strip().split(" ", 1)
            for directive in reponse.headers["Content-Security-Policy"].split(";")
        )
        assert politique["script-src"] == "'self'", url
        assert politique["style-src"] == "'self'", url
        assert politique["frame-ancestors"] == "'none'", url
    client.logout()
    assert "Content-Security-Policy" in client.get(reverse("login")).headers


def test_aucun_script_ni_style_en_ligne_dans_les_gabarits():
    """The policy forbids them; a template that used one would break in the browser."""
    fautifs = []
    for gabarit in (settings.BASE_DIR / "templates").rglob("*.html"):
        # Printed by WeasyPrint, or e-mailed (a mail client reads inline styles only): never
        # served as a page.
        if gabarit.parts[-2] in ("dossier", "emails"):
            continue
        texte = gabarit.read_text(encoding="utf-8")
        for motif in ("<script>", "<style", " style=", "onclick=", "onchange=", "onsubmit="):
            if motif in texte:
                fautifs.append(f"{gabarit.name}: {motif}")
    assert fautifs == []


@pytest.mark.parametrize(
    "mot_de_passe",
    [
        "Soleil-d'Hiver9",  # 12+ characters, the four families
        "Cerisier2026Bleu",  # 14+ characters: upper, lower, digits
        "le chat du centre lit sept livres chaque jour",  # a passphrase of 7+ words
        "Été à la Maison 2026",  # accented letters count as special characters
    ],
)
def test_mots_de_passe_conformes_cnil(mot_de_passe):
    RecommandationCNILValidator().validate(mot_de_passe)


@pytest.mark.parametrize(
    "mot_de_passe",
    [
        "Soleil-Hiv9",  # 11 characters
        "soleil-d'hiver9",  # no upper case, 15 characters but no 3 families with upper
        "CerisierBleuVert",  # no digit, no special
        "Cerisier2026B",  # 13 characters, no special
        "un deux trois quatre cinq six",  # six words
    ],
)
def test_mots_de_passe_trop_faibles(mot_de_passe):
    with pytest.raises(ValidationError) as erreur:
        RecommandationCNILValidator().validate(mot_de_passe)
    assert "au moins 12 caractères" in erreur.value.messages[0]


@pytest.mark.django_db
def test_le_validateur_cnil_est_actif_sur_le_changement_de_mot_de_passe(client):
    user = UserFactory(username="sacha")
    with pytest.raises(ValidationError):
        validate_password("Court-1a", user)
    client.force_login(user)
    reponse = client.post(
        reverse("password_change"),
        {"old_password": "motdepasse", "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"},
    )
    assert reponse.status_code == 200
    assert "au moins 12 caractères" in reponse.text
    user.refresh_from_db()
    assert user.check_password("motdepasse")


def essayer(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_connexion_suspendue_apres_cinq_echecs_puis_relachee(client):
    UserFactory(username="noa")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        reponse = essayer(client, "noa", "mauvais")
        assert reponse.status_code == 200
        assert "Saisissez un nom d’utilisateur et un mot de passe valides" in reponse.text
    verrou = essayer(client, "noa", "mauvais")
    assert verrou.status_code == 429
    assert "Connexion suspendue" in verrou.text and "15 minutes" in verrou.text
    # Locked out: even the right password is refused.
    assert essayer(client, "noa", "motdepasse").status_code == 429
    assert "_auth_user_id" not in client.session

    # After the cool-off, the right password opens the session again.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert essayer(client, "noa", "motdepasse").status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_une_adresse_qui_essaie_plusieurs_comptes_est_suspendue(client):
    UserFactory(username="lou")
    for i in range(settings.AXES_FAILURE_LIMIT):
        essayer(client, f"inconnu{i}", "mauvais")
    assert essayer(client, "lou", "motdepasse").status_code == 429


@pytest.mark.django_db
def test_un_succes_remet_le_compteur_a_zero(client):
    UserFactory(username="eden")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        essayer(client, "eden", "mauvais")
    assert essayer(client, "eden", "motdepasse").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert essayer(client, "eden", "mauvais").status_code == 200
    assert essayer(client, "eden", "motdepasse").status_code == 302


@pytest.mark.django_db
def test_mots_de_passe_haches_en_argon2id_et_anciens_hachages_convertis(client):
    from django.contrib.auth.hashers import make_password

    nouveau = UserFactory(username="argon")
    assert nouveau.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    ancien = UserFactory(username="ancien")
    ancien.password = make_password("motdepasse", hasher="pbkdf2_sha256")
    ancien.save(update_fields=["password"])
    assert essayer(client, "ancien", "motdepasse").status_code == 302
    ancien.refresh_from_db()
    assert ancien.password.startswith("argon2$argon2id$")
