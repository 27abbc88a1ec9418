"""`make bench`: load test. 50 simulated users (staff browsing and editing, partners browsing)
for 2 minutes against gunicorn on 127.0.0.1, with Locust headless.

The script prepares its own throw-away database (a SQLite file, or a new PostgreSQL database
beside the one DATABASE_URL names), migrates it and loads the demo with its accounts, starts
gunicorn on a free loopback port and warms its workers, runs Locust, stops everything and drops
the database. It prints the failures (target 0) and the 95th percentile of each page (target
< 500 ms); the exit status says whether the targets are met.

With `--federation`, the same base also holds a fédération's instance (bench/federation.py: 300
structures, 3 000 accounts, 15 000 fiches with four years of results; `--echelle 10` a tenth of
it): staff log in as its équipe accounts, a fédération member reads its figures, and each page's
SQL query count is printed beside the same page's on the demo (target: the same).
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

RACINE = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
UTILISATEURS, DEMARRAGE, DUREE = 50, 2, "2m"  # 2 new users a second: logins hash slowly
WORKERS = 4
CIBLE_P95_MS = 500


@contextmanager
def base_jetable(dossier):
    """The DATABASE_URL of a new, empty database, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{dossier}/charge.sqlite3"
        return
    import psycopg2

    nom = f"cs_charge_{os.getpid()}"
    # Created from the maintenance database: the one DATABASE_URL names may not exist yet.
    admin = psycopg2.connect(urlunparse(urlparse(url)._replace(path="/postgres")))
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {nom}")
    try:
        yield urlunparse(urlparse(url)._replace(path=f"/{nom}"))
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {nom} WITH (FORCE)")
        admin.close()


def port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=RACINE, env=env, check=True, capture_output=True, text=True
    ).stdout


def attendre(url, limite=30):
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn ne répond pas sur {url}")


def rechauffer(url, workers):
    """A worker's first request loads what Django loads lazily (URLconf, views, translations:
    ~0.4 s of CPU). Done before the measure, as on a server already running: a burst of
    concurrent requests reaches every worker."""
    with ThreadPoolExecutor(2 * workers) as requetes:
        list(
            requetes.map(
                lambda _: urllib.request.urlopen(url, timeout=30).read(), range(8 * workers)
            )
        )


def lire_stats(prefixe):
    """Locust's per-page rows and its « Aggregated » total."""
    with open(f"{prefixe}_stats.csv", newline="") as f:
        lignes = list(csv.DictReader(f))
    return [ligne for ligne in lignes if ligne["Name"] != "Aggregated"], lignes[-1]


def lire_options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--federation",
        action="store_true",
        help="ajouter à la démo une instance de fédération et la charger elle",
    )
    parser.add_argument(
        "--echelle", type=int, default=1, help="avec --federation : 1/ÉCHELLE de l'instance"
    )
    parser.add_argument("--utilisateurs", type=int, default=UTILISATEURS)
    parser.add_argument("--duree", default=DUREE, help="durée de la charge, par exemple 2m")
    return parser.parse_args(argv)


def preparer_federation(env, dossier, echelle, projet_demo, fiche_demo):
    """Build the fédération's instance in the base; (the scenario's JSON file, {page: [queries
    on the demo, queries on the instance]})."""
    print(f"Construction de l'instance de fédération (échelle 1/{echelle})…", flush=True)
    debut = time.monotonic()
    sortie = subprocess.run(
        [PY, "-m", "bench.federation", "--echelle", str(echelle)],
        cwd=RACINE,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    scenario = Path(dossier) / "scenario.json"
    scenario.write_text(sortie.stdout)
    print(f"  {sortie.stderr.strip()} Total {time.monotonic() - debut:.0f} s.", flush=True)
    # Django's test client, in plain HTTP, on the same base.
    client = {**env, "ALLOWED_HOSTS": "testserver", "HTTPS": "0"}
    comptes = subprocess.run(
        [PY, "-m", "bench.federation", "--compter", scenario, "--equipe-demo", "equipe"]
        + [str(projet_demo), str(fiche_demo)],
        cwd=RACINE,
        env=client,
        check=True,
        capture_output=True,
        text=True,
    )
    return scenario, json.loads(comptes.stdout.strip().splitlines()[-1])


def main(argv=None):
    options = lire_options(argv)
    requetes = {}
    with tempfile.TemporaryDirectory() as dossier, base_jetable(dossier) as base:
        env = {
            **os.environ,
            "DATABASE_URL": base,
            "DJANGO_SETTINGS_MODULE": "centresocial.settings",
            "SECRET_KEY": "bench-charge-only",
            "LOG_LEVEL": "WARNING",
        }
        demo = {**env, "DEBUG": "1"}  # seed_demo creates the demo accounts only with DEBUG
        print("Préparation de la base (migrate + seed_demo)…", flush=True)
        manage(demo, "migrate", "--noinput")
        manage(demo, "seed_demo")
        ids = json.loads(
            manage(
                demo,
                "shell",
                "-c",
                "import json; from projets.models import ProjetSocial; "
                "p = ProjetSocial.objects.get(structure__slug='territoire-sud'); "
                "print(json.dumps([p.pk, list(p.axes.values_list('fiches__pk', flat=True))]))",
            )
            .strip()
            .splitlines()[-1]
        )
        projet, fiches = ids[0], [str(pk) for pk in ids[1] if pk]
        locust_env = {**os.environ, "CHARGE_PROJET": str(projet), "CHARGE_FICHES": ",".join(fiches)}
        if options.federation:
            scenario, requetes = preparer_federation(
                env, dossier, options.echelle, projet, fiches[0]
            )
            locust_env["CHARGE_SCENARIO"] = str(scenario)

        port = port_libre()
        hote = f"http://127.0.0.1:{port}"
        # Plain HTTP on loopback: no redirect to HTTPS, cookies not marked Secure.
        serveur = {**env, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
        gunicorn = subprocess.Popen(
            [
                BIN / "gunicorn",
                "centresocial.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=RACINE,
            env=serveur,
        )
        try:
            attendre(f"{hote}/comptes/login/", limite=90)  # 4 workers booting on a busy machine
            rechauffer(f"{hote}/comptes/login/", WORKERS)
            print(
                f"gunicorn ({WORKERS} workers) sur {hote} ; {options.utilisateurs} utilisateurs "
                f"pendant {options.duree}…",
                flush=True,
            )
            prefixe = f"{dossier}/locust"
            subprocess.run(
                [
                    BIN / "locust",
                    "-f",
                    RACINE / "bench" / "locustfile.py",
                    "--headless",
                    "-u",
                    str(options.utilisateurs),
                    "-r",
                    str(DEMARRAGE),
                    "-t",
                    options.duree,
                    "--host",
                    hote,
                    "--csv",
                    prefixe,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "10",
                ],
                cwd=RACINE,
                timeout=300,
                check=False,
                env=locust_env,
                stdout=subprocess.DEVNULL,
            )
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        pages, total = lire_stats(prefixe)

    sql = "  SQL démo / instance" if requetes else ""
    if requetes:
        print("\nTemps serveur d'une page seule (client de test, médiane de 5), démo / instance :")
        for nom, (_, _, demo, instance, cpu_demo, cpu_instance) in requetes.items():
            print(
                f"  {nom:<34}{demo:>7.0f} / {instance:.0f} ms"
                f"  (processeur {cpu_demo:.0f} / {cpu_instance:.0f} ms)"
            )
    print(f"\n{'Page':<40}{'requêtes':>9}{'échecs':>8}{'médiane':>9}{'p95':>7}  (ms){sql}")
    for ligne in sorted(pages, key=lambda page: page["Name"]):
        compte = requetes.get(ligne["Name"]) if ligne["Type"] == "GET" else None
        print(
            f"{ligne['Type'] + ' ' + ligne['Name']:<40}{ligne['Request Count']:>9}{ligne['Failure Count']:>8}"
            f"{ligne['50%']:>9}{ligne['95%']:>7}"
            + (f"{compte[0]:>12} / {compte[1]}" if compte else "")
        )
    echecs = int(total["Failure Count"])
    lents = [p["Name"] for p in pages if float(p["95%"]) >= CIBLE_P95_MS]
    print(
        f"\nTotal : {total['Request Count']} requêtes, {echecs} échec(s) (cible 0), "
        f"p95 global {total['95%']} ms ; pages au-dessus de {CIBLE_P95_MS} ms au p95 : "
        f"{', '.join(lents) or 'aucune'}."
    )
    ecarts = [nom for nom, (demo, instance, *_) in requetes.items() if demo != instance]
    if requetes:
        print(
            "Requêtes SQL : pages dont le nombre diffère de la démo : "
            + (", ".join(ecarts) or "aucune")
            + "."
        )
    return 1 if echecs or lents or ecarts else 0


if __name__ == "__main__":
    sys.exit(main())
