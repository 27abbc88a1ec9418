"""Backup and restore of a whole instance: the data (JSON, Django's serializers) and the
uploaded media files, in one zip archive. Used by `manage.py sauvegarder` and `restaurer`."""

import json
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

DONNEES = "donnees.json"
MANIFESTE = "manifeste.json"
MEDIA = "media/"
FORMAT = "json_exact"
serializers.register_serializer(FORMAT, "centresocial.lib.json_exact")

# The project's apps whole; of auth, the people (permissions are recreated by `migrate`, like
# the content types: both are referred to by natural key, so their ids may differ). Sessions are
# left out: a restored instance asks everyone to log in again.
ETIQUETTES = [
    "auth.User",
    "auth.Group",
    "projets",
    "partenaires",
    "actions",
    "evaluation",
    "dossier",
    "auditlog",
    "admin",  # the administration's log of actions
    "axes",  # login logs and failures, and the lockouts still running
    "django_tasks_database",  # the background tasks (django_tasks_db's label)
    "otp_totp",  # without them, restored accounts would lose their second factor
]


def etiquettes_installees():
    installees = {config.label for config in apps.get_app_configs()}
    return [e for e in ETIQUETTES if e.split(".")[0] in installees]


def modeles_sauvegardes():
    """Every model whose rows go into a backup."""
    modeles = []
    for etiquette in etiquettes_installees():
        if "." in etiquette:
            modeles.append(apps.get_model(etiquette))
        else:
            modeles.extend(
                m for m in apps.get_app_config(etiquette).get_models() if not m._meta.proxy
            )
    return modeles


def sauvegarder(chemin):
    """Write the archive; returns the number of rows per model (label → count)."""
    comptes = {m._meta.label: m._default_manager.count() for m in modeles_sauvegardes()}
    racine = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as dossier:
        donnees = Path(dossier) / DONNEES
        call_command(
            "dumpdata",
            *etiquettes_installees(),
            format=FORMAT,
            natural_foreign=True,
            output=str(donnees),
            verbosity=0,
        )
        with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(donnees, DONNEES)
            manifeste = {"cree_le": timezone.now().isoformat(), "lignes": comptes}
            archive.writestr(MANIFESTE, json.dumps(manifeste, indent=2, ensure_ascii=False))
            if racine.is_dir():
                for fichier in sorted(p for p in racine.rglob("*") if p.is_file()):
                    archive.write(fichier, MEDIA + fichier.relative_to(racine).as_posix())
    return comptes


def lignes_existantes():
    return {m._meta.label: n for m in modeles_sauvegardes() if (n := m._default_manager.count())}


def restaurer(chemin):
    """Load the archive into an empty database and put back the media files."""
    presentes = lignes_existantes()
    if presentes:
        detail = ", ".join(f"{label} ({n})" for label, n in sorted(presentes.items()))
        raise CommandError(
            "La base de données n'est pas vide : la restauration se fait dans une base neuve "
            f"(créée par « manage.py migrate »). Données présentes : {detail}."
        )
    try:
        archive = zipfile.ZipFile(chemin)
    except (OSError, zipfile.BadZipFile) as erreur:
        raise CommandError(f"Impossible de lire la sauvegarde « {chemin} » : {erreur}") from None
    with archive, tempfile.TemporaryDirectory() as dossier:
        if DONNEES not in archive.namelist():
            raise CommandError(f"« {chemin} » n'est pas une sauvegarde : {DONNEES} manque.")
        medias = [n for n in archive.namelist() if n.startswith(MEDIA) and not n.endswith("/")]
        for nom in medias:
            relatif = PurePosixPath(nom[len(MEDIA) :])
            if relatif.is_absolute() or ".." in relatif.parts:
                raise CommandError(f"Chemin de fichier refusé dans la sauvegarde : {nom}")
        archive.extract(DONNEES, dossier)
        # The history is restored as it was: loading must not add entries of its own.
        with disable_auditlog():
            call_command("loaddata", str(Path(dossier) / DONNEES), verbosity=0)
        racine = Path(settings.MEDIA_ROOT)
        for nom in medias:
            cible = racine / nom[len(MEDIA) :]
            cible.parent.mkdir(parents=True, exist_ok=True)
            cible.write_bytes(archive.read(nom))
    return {m._meta.label: m._default_manager.count() for m in modeles_sauvegardes()}, len(medias)
