"""Real processes for the multi-server tests (`manage.py db_worker`, gunicorn) on the test's own
PostgreSQL database: the test uses `transactional_db`, so what it writes is committed and seen
by them, and what they write is seen by the test."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

RACINE = Path(__file__).resolve().parents[2]
ATTENTE = 180  # the longest wait for a process to start or a job to end (a loaded machine)


def url_base_de_test():
    """The DATABASE_URL of the database the tests run on (test_…, one per xdist worker)."""
    reglages = connection.settings_dict
    mot_de_passe = f":{reglages['PASSWORD']}" if reglages["PASSWORD"] else ""
    hote = reglages["HOST"] or "127.0.0.1"
    return (
        f"postgres://{reglages['USER']}{mot_de_passe}@{hote}:{reglages['PORT'] or 5432}"
        f"/{reglages['NAME']}"
    )


def port_libre():
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


class Processus:
    """Processes started by a test, what they print kept in `dossier` (shown on failure)."""

    def __init__(self, dossier, **env):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "centresocial.settings",
            "DATABASE_URL": url_base_de_test(),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "cle-des-tests-plusieurs-serveurs",
            "HTTPS": "0",
            "MEDIA_ROOT": str(dossier / "media"),
            **env,
        }
        self.env.pop("DEBUG", None)
        self.dossier = dossier
        self.lances = []

    def lancer(self, nom, *arguments):
        journal = open(self.dossier / f"{nom}.log", "w")  # noqa: SIM115 (closed in arreter)
        processus = subprocess.Popen(
            [sys.executable, *arguments], cwd=RACINE, env=self.env, stdout=journal, stderr=journal
        )
        self.lances.append((processus, journal))
        return processus

    def travailleur(self, nom):
        """A worker as `make run` and the systemd service start it, polling 5 times a second."""
        arguments = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        return self.lancer(nom, *arguments, "--interval", "0.2", "--worker-id", nom)

    def journal(self, nom):
        fichier = self.dossier / f"{nom}.log"
        return fichier.read_text() if fichier.exists() else ""

    def journaux(self):
        return "\n".join(
            f"--- {f.name}\n{f.read_text()[-3000:]}" for f in sorted(self.dossier.glob("*.log"))
        )

    def attendre(self, condition, quoi, delai=ATTENTE):
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            if condition():
                return
            for processus, _ in self.lances:
                if processus.poll() is not None:
                    pytest.fail(f"{quoi} : un processus s'est arrêté\n{self.journaux()}")
            time.sleep(0.2)
        pytest.fail(f"{quoi} : rien en {delai} s\n{self.journaux()}")

    def arreter(self):
        for processus, journal in self.lances:
            if processus.poll() is None:
                processus.terminate()
                try:
                    processus.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    processus.kill()
                    processus.wait()
            journal.close()
