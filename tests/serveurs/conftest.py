"""Several servers: an S3-compatible object storage on loopback (moto's standalone server, one
per test session and xdist worker), and the settings that store uploaded files in it."""

import os
import uuid

import pytest

from centresocial.settings import stockage_s3 as stockage_s3_reglages

SEAU = "centresocial-tests"
CLES = {"access_key": "cle-de-test", "secret_key": "secret-de-test", "region_name": "us-east-1"}


@pytest.fixture(scope="session")
def serveur_s3():
    """The endpoint URL of an S3 server on 127.0.0.1 (a free port), with the bucket created."""
    import boto3
    from moto.server import ThreadedMotoServer

    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    serveur.start()
    hote, port = serveur.get_host_and_port()
    url = f"http://{hote}:{port}"
    boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=CLES["access_key"],
        aws_secret_access_key=CLES["secret_key"],
        region_name=CLES["region_name"],
    ).create_bucket(Bucket=SEAU)
    yield url
    serveur.stop()


def client_s3(url):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=CLES["access_key"],
        aws_secret_access_key=CLES["secret_key"],
        region_name=CLES["region_name"],
    )


def objets(url, prefixe):
    """The names stored in the bucket under `prefixe` (the test's own)."""
    reponse = client_s3(url).list_objects_v2(Bucket=SEAU, Prefix=prefixe)
    return sorted(o["Key"].removeprefix(prefixe) for o in reponse.get("Contents", []))


def variables_s3(url, prefixe):
    """The S3_* variables (README, « Configuration ») of the test server, under `prefixe`."""
    return {
        "S3_BUCKET": SEAU,
        "S3_ENDPOINT_URL": url,
        "S3_REGION": CLES["region_name"],
        "S3_ACCESS_KEY_ID": CLES["access_key"],
        "S3_SECRET_ACCESS_KEY": CLES["secret_key"],
        "S3_PREFIX": prefixe,
        "S3_ADDRESSING_STYLE": "path",
    }


@pytest.fixture
def stockage_s3(settings, serveur_s3, tmp_path):
    """Uploaded files go to the S3 server, under a prefix of the test's own, as
    centresocial/settings.py stores them when S3_BUCKET is set. Returns that prefix."""
    prefixe = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": stockage_s3_reglages(variables_s3(serveur_s3, prefixe)),
    }
    # Nothing may land on the local disk: the tests check this folder is never created.
    settings.MEDIA_ROOT = tmp_path / "media-jamais-ecrit"
    return prefixe + "/"


REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_url():
    """The machine's Redis (127.0.0.1:6379). Missing, the test is skipped, unless
    CI_REQUIRE_REDIS is set (.ci/run): CI then fails instead."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as erreur:
        message = f"Redis injoignable sur 127.0.0.1:6379 ({erreur})"
        if os.environ.get("CI_REQUIRE_REDIS"):
            pytest.fail(f"{message} alors que CI_REQUIRE_REDIS l'exige.", pytrace=False)
        pytest.skip(f"{message} ; CI_REQUIRE_REDIS n'est pas défini.")
    return REDIS
