"""The variables that turn on the multi-server set-up (README, « Configuration »): S3_* for the
object storage, REDIS_URL for the shared cache; without them, what a single server has."""

import json
import os
import subprocess
import sys

from django.conf import settings

LIRE = """
import json, django
django.setup()
from django.conf import settings
stockage = settings.STORAGES["default"]
options = {k: v for k, v in stockage.get("OPTIONS", {}).items() if k != "client_config"}
config = stockage.get("OPTIONS", {}).get("client_config")
print(json.dumps({
    "stockage": stockage["BACKEND"],
    "options": options,
    "adressage": config and config.s3["addressing_style"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "redis": settings.CACHES["default"].get("LOCATION"),
}))
"""

VARIABLES = {"S3_", "REDIS_URL", "CACHE_KEY_PREFIX", "DEBUG", "DATABASE_URL"}


def reglages(**env):
    base = {k: v for k, v in os.environ.items() if not any(k.startswith(p) for p in VARIABLES)}
    resultat = subprocess.run(
        [sys.executable, "-c", LIRE],
        env={**base, "DJANGO_SETTINGS_MODULE": "centresocial.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return json.loads(resultat.stdout)


def test_sans_variable_le_dossier_local_et_un_cache_par_processus():
    lus = reglages()
    assert lus["stockage"] == "django.core.files.storage.FileSystemStorage"
    assert lus["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_s3_et_redis_par_les_variables_d_environnement():
    lus = reglages(
        S3_BUCKET="centresocial-fichiers",
        S3_ENDPOINT_URL="https://s3.fr-par.example.net",
        S3_REGION="fr-par",
        S3_ACCESS_KEY_ID="identifiant",
        S3_SECRET_ACCESS_KEY="secret",
        S3_PREFIX="instance-a",
        S3_ADDRESSING_STYLE="path",
        REDIS_URL="redis://10.0.0.5:6379/1",
    )
    assert lus["stockage"] == "storages.backends.s3.S3Storage"
    assert lus["options"] == {
        "bucket_name": "centresocial-fichiers",
        "endpoint_url": "https://s3.fr-par.example.net",
        "region_name": "fr-par",
        "access_key": "identifiant",
        "secret_key": "secret",
        "location": "instance-a",
        "file_overwrite": False,  # two uploads of « logo.png » never replace each other
        "default_acl": None,
    }
    assert lus["adressage"] == "path"
    assert lus["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert lus["redis"] == "redis://10.0.0.5:6379/1"
