import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection


def test_postgresql_en_ci():
    """.ci/run sets CI_REQUIRE_POSTGRES: the suite must then really run on PostgreSQL."""
    if os.environ.get("CI_REQUIRE_POSTGRES"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor in {"postgresql", "sqlite"}


def test_reglages_francais_et_connexion_obligatoire():
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def lancer_reglages(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "centresocial.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_secret_key_obligatoire_hors_debug():
    sans_cle = lancer_reglages({"DEBUG": "0"})
    assert sans_cle.returncode != 0
    assert "SECRET_KEY doit être défini" in sans_cle.stderr
    assert lancer_reglages({"DEBUG": "1"}).returncode == 0


def test_sqlite_par_defaut_postgresql_par_database_url():
    assert lancer_reglages({"DEBUG": "1"}).stdout.strip() == "django.db.backends.sqlite3"
    avec_url = lancer_reglages({"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})
    assert avec_url.stdout.strip() == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_migrations_a_jour():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
