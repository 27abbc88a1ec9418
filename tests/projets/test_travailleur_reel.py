"""A real `manage.py db_worker`, killed with SIGKILL in the middle of a render: the export page
shows the export interrupted within seconds, and the worker started again finishes it.

Everything runs in processes of its own on a throw-away database (a SQLite file, or a PostgreSQL
database beside the test one), with a heartbeat delay of a few seconds
(tests/projets/reglages_travailleur.py); tests/projets/travailleur_reel.py prepares the data and
watches the page. About 30 s.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.projets import reglages_travailleur

RACINE = Path(__file__).resolve().parents[2]
DELAI = reglages_travailleur.EXPORT_DOSSIER_DELAI_BATTEMENT
MARGE = 15  # seconds beyond the heartbeat delay: a busy machine, a poll missed
ATTENTE = 180  # the longest wait for anything else (a render, a start)


@pytest.fixture
def base_jetable(tmp_path):
    """The DATABASE_URL of an empty database of the same kind as the tests'."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'travailleur.sqlite3'}"
        return
    import psycopg2
    from psycopg2 import sql

    reglages = connection.settings_dict
    # test_…: CI removes the test databases an interrupted run left.
    nom = f"test_{reglages['NAME'].removeprefix('test_')}_travailleur"
    acces = {"host": reglages["HOST"], "port": reglages["PORT"] or 5432, "user": reglages["USER"]}
    acces["password"] = reglages["PASSWORD"] or None

    def executer(requete):
        serveur = psycopg2.connect(dbname="postgres", **acces)
        serveur.autocommit = True
        with serveur.cursor() as curseur:
            curseur.execute(requete)
        serveur.close()

    supprimer = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nom))
    executer(supprimer)
    executer(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nom)))
    mot_de_passe = f":{acces['password']}" if acces["password"] else ""
    yield f"postgres://{acces['user']}{mot_de_passe}@{acces['host']}:{acces['port']}/{nom}"
    executer(supprimer)


class Processus:
    """The worker and the helpers, with what they print kept in tmp_path (shown on failure)."""

    def __init__(self, base, dossier):
        self.env = {
            **os.environ,
            "DATABASE_URL": base,
            "DJANGO_SETTINGS_MODULE": "tests.projets.reglages_travailleur",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-travailleur",
            "HTTPS": "0",
        }
        self.env.pop("DEBUG", None)
        self.dossier = dossier
        self.lances = []

    def lancer(self, nom, *arguments, **options):
        journal = open(self.dossier / f"{nom}.log", "w")  # noqa: SIM115 (closed in arreter)
        processus = subprocess.Popen(
            [sys.executable, *arguments],
            cwd=RACINE,
            env=self.env,
            stderr=journal,
            stdout=options.pop("stdout", journal),
            **options,
        )
        self.lances.append((processus, journal))
        return processus

    def travailleur(self, nom):
        # As `make run` and the systemd service start it; --interval: look for jobs 5 times a second.
        arguments = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        return self.lancer(nom, *arguments, "--interval", "0.2", "--worker-id", nom)

    def journaux(self):
        return "\n".join(
            f"--- {f.name}\n{f.read_text()[-3000:]}" for f in sorted(self.dossier.glob("*.log"))
        )

    def arreter(self):
        for processus, journal in self.lances:
            if processus.poll() is None:
                processus.terminate()
                try:
                    processus.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    processus.kill()
                    processus.wait()
            journal.close()


class Observateur:
    """What the export page shows, read line by line from travailleur_reel.py's observer."""

    def __init__(self, processus, export_pk):
        self.processus = processus
        self.fil = processus.lancer(
            "observateur",
            *["-m", "tests.projets.travailleur_reel", "observer", str(export_pk)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lignes = queue.Queue()
        threading.Thread(target=self.lire, daemon=True).start()
        self.dernier = None

    def lire(self):
        for ligne in self.fil.stdout:
            self.lignes.put(json.loads(ligne))

    def attendre(self, condition, delai, quoi):
        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            try:
                self.dernier = self.lignes.get(timeout=1)
            except queue.Empty:
                continue
            if condition(self.dernier):
                return self.dernier
        pytest.fail(
            f"{quoi} : rien en {delai} s (dernier état : {self.dernier})\n"
            + self.processus.journaux()
        )


@pytest.fixture
def processus(base_jetable, tmp_path):
    lances = Processus(base_jetable, tmp_path)
    yield lances
    lances.arreter()


def test_un_travailleur_tue_pendant_le_rendu(processus):
    preparation = subprocess.run(
        [sys.executable, "-m", "tests.projets.travailleur_reel", "preparer"],
        cwd=RACINE,
        env=processus.env,
        capture_output=True,
        text=True,
        timeout=ATTENTE,
    )
    assert preparation.returncode == 0, preparation.stderr
    export_pk = json.loads(preparation.stdout.splitlines()[-1])["export"]
    page = Observateur(processus, export_pk)
    page.attendre(lambda e: e["page"] == "en_attente", ATTENTE, "L'export attend son tour")

    premier = processus.travailleur("premier")
    # In the middle of the layout (the pages go from 12 to 88 %).
    page.attendre(
        lambda e: e["page"] == "en_cours" and e["progression"] >= 20,
        ATTENTE,
        "Le rendu avance",
    )
    premier.send_signal(signal.SIGKILL)
    premier.wait(timeout=30)

    etat = page.attendre(lambda e: e["page"] != "en_cours", DELAI + MARGE, "Export interrompu")
    assert etat["page"] == "interrompu", etat
    assert etat["taches"] == ["RUNNING"]  # what django-tasks-db alone leaves of the job

    processus.travailleur("redemarre")
    # The observer reads the export, then renders the page, then lists the tasks: on a busy
    # machine the render may end between two of these reads. Wait for all three to agree.
    etat = page.attendre(
        lambda e: (
            e["page"] in ("termine", "echec")
            and e["statut"] in ("termine", "echec")
            and "RUNNING" not in e["taches"]
        ),
        ATTENTE,
        "Export repris",
    )
    assert etat["page"] == "termine" and etat["statut"] == "termine", processus.journaux()
    assert etat["tentatives"] == 2  # rendered again once
    assert etat["taches"] == ["FAILED", "SUCCESSFUL"]  # the dead job closed, the new one done
