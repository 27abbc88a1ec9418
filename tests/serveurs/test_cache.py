"""With REDIS_URL, the cache is Django's Redis cache: what one process puts in it, another
reads (two servers, or a server and a worker)."""

import os
import subprocess
import sys
import uuid

from django.core.cache import cache

AUTRE_PROCESSUS = """
import django, sys
django.setup()
from django.core.cache import cache
print(cache.get("mis-par-le-test"))
cache.set("mis-par-l-autre", "bonjour du second serveur", 60)
"""


def test_ce_qu_un_processus_met_en_cache_un_autre_le_lit(redis_url, settings):
    prefixe = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefixe,
        }
    }
    cache.set("mis-par-le-test", "bonjour du premier serveur", 60)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "centresocial.settings",
        "DEBUG": "1",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefixe,
    }
    autre = subprocess.run(
        [sys.executable, "-c", AUTRE_PROCESSUS],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert autre.returncode == 0, autre.stderr
    assert autre.stdout.strip() == "bonjour du premier serveur"
    assert cache.get("mis-par-l-autre") == "bonjour du second serveur"
    cache.delete_many(["mis-par-le-test", "mis-par-l-autre"])
