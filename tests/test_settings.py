import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper


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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="la base des tests n'est pas SQLite")
def test_sqlite_en_wal_avec_delai_d_attente(tmp_path, django_db_blocker):
    """A file database opened with our settings: WAL journal and a 20 s busy timeout."""
    fichier = DatabaseWrapper({**connection.settings_dict, "NAME": tmp_path / "wal.sqlite3"})
    try:
        with django_db_blocker.unblock(), fichier.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
        assert fichier.transaction_mode == "IMMEDIATE"
    finally:
        fichier.close()


# Threads that each read a counter then write it back in a transaction, as a save does (read the
# fiche, write it and its history), on one SQLite file with the default settings.
ECRITURES_CONCURRENTES = """
import json, sys, threading, time
import django
django.setup()
from django.conf import settings
from django.db import OperationalError, connection, transaction

if sys.argv[1] == "sans-options":
    settings.DATABASES["default"]["OPTIONS"] = {}
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE compteur (n integer)")
    cursor.execute("INSERT INTO compteur VALUES (0)")
erreurs = []

def ecrire():
    for _ in range(15):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM compteur")
                n = cursor.fetchone()[0]
                time.sleep(0.001)
                cursor.execute("UPDATE compteur SET n = %s", [n + 1])
        except OperationalError as erreur:
            erreurs.append(str(erreur))
    connection.close()

fils = [threading.Thread(target=ecrire) for _ in range(6)]
for fil in fils:
    fil.start()
for fil in fils:
    fil.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM compteur")
    print(json.dumps({"ecritures": cursor.fetchone()[0], "erreurs": erreurs}))
"""


def ecrire_ensemble(dossier, options):
    dossier.mkdir()
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    resultat = subprocess.run(
        [sys.executable, "-c", ECRITURES_CONCURRENTES, options],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "centresocial.settings",
            "DATABASE_URL": f"sqlite:///{dossier / 'concurrence.sqlite3'}",
            "SECRET_KEY": "x",
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return json.loads(resultat.stdout)


def test_sqlite_ecritures_concurrentes_sans_database_is_locked(tmp_path):
    """With the default SQLite settings, concurrent writers wait for each other: no « database is
    locked », no lost write. Without their options, the same load fails."""
    assert ecrire_ensemble(tmp_path / "avec", "avec-options") == {
        "ecritures": 6 * 15,
        "erreurs": [],
    }
    sans = ecrire_ensemble(tmp_path / "sans", "sans-options")
    assert "database is locked" in sans["erreurs"]
    assert sans["ecritures"] < 6 * 15
