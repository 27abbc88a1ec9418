"""Uploaded files read through Django's storage (settings.STORAGES["default"]: the local folder,
or an S3-compatible object storage), never by a path on disk: several servers share them.

The dossier's HTML names an uploaded image by a `stockage:` URL of its storage name; the PDF
renderer's URL fetcher reads it back through the storage (dossier/rendu.py)."""

from urllib.parse import quote, unquote, urlparse

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

SCHEMA = "stockage"
PREFIXE = f"{SCHEMA}:"


def url_stockage(champ):
    """The `stockage:` URL of a stored file (a FileField's or ImageField's value)."""
    return PREFIXE + quote(champ.name)


def nom_stocke(url):
    """The storage name a `stockage:` URL stands for; refuses a name that climbs out of it."""
    if not url.startswith(PREFIXE):
        raise ValueError(f"Pas un fichier déposé : {url}")
    nom = unquote(urlparse(url).path)
    parties = nom.split("/")
    if not nom or nom.startswith("/") or ".." in parties or "\\" in nom:
        raise SuspiciousFileOperation(f"Nom de fichier refusé : {nom}")
    return nom


def lire(url):
    """The bytes of the file a `stockage:` URL names (FileNotFoundError when it is gone)."""
    with default_storage.open(nom_stocke(url), "rb") as fichier:
        return fichier.read()


def empreinte(url):
    """What tells a stored file from the one stored before under the same name (a restore, a
    file put back by hand): its size and its modification time; None when it is missing."""
    nom = nom_stocke(url)
    try:
        return f"{default_storage.size(nom)} {default_storage.get_modified_time(nom).isoformat()}"
    except OSError:  # FileNotFoundError among them
        return None


def noms(stockage=None, dossier=""):
    """Every file name held by the storage (its whole tree under `dossier`), in order."""
    stockage = stockage or default_storage
    try:
        sous_dossiers, fichiers = stockage.listdir(dossier)
    except FileNotFoundError:  # the local folder not created yet
        return
    prefixe = f"{dossier}/" if dossier else ""
    for nom in sorted(fichiers):
        yield prefixe + nom
    for sous_dossier in sorted(sous_dossiers):
        yield from noms(stockage, prefixe + sous_dossier)
