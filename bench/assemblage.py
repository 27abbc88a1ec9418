"""`make bench`: the dossier assembled from its parts (dossier/assemblage.py) against WeasyPrint
alone on the whole HTML, for the demo (47 fiches), a 200-fiche and a 1 000-fiche projet (about
twenty minutes on 2 cores, most of it WeasyPrint alone on 2 085 pages; BENCH_MILLE=0 skips the
1 000 fiches).

For each size, in the same run: WeasyPrint alone on the whole dossier's HTML (in its own
process, imports done before the clock starts); then, in another process, as in a worker: the
pools' fork server started (once per worker: « démarrage », measured apart), a cold export (no
part kept, parts rendered in DOSSIER_PROCESSUS=2 processes), the export again after one fiche
was edited, and the export again with nothing changed; then what the dossier's page and an
export asked again cost with nothing changed (« version » : the dossier's version, with no
fiche's HTML kept in the process, then with them kept). Peak memory, in MB: the exporting
process's own (RUSAGE_SELF), the largest of its pools' processes (each reports its own), and
the fork server's (VmHWM), which the pools' processes share.
"""

import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.dossier import demo_et_projet_agrandi, mesurer_a_part, preparer_django, projet_agrandi

CIBLES = {"froid": 0.65, "retouche": 0.15, "memoire_mo": 300}


def creer_projets():
    tailles = [200] if os.environ.get("BENCH_MILLE") == "0" else [200, 1000]
    demo, grand = demo_et_projet_agrandi("Projet social (200 fiches)", 2029, 2032, tailles[0])
    projets = {47: demo.pk, 200: grand.pk}
    if len(tailles) > 1:
        mille = projet_agrandi(demo, "Projet social (1 000 fiches)", 2033, 2036, 1000)
        projets[1000] = mille.pk
    return projets


def weasyprint_seul(projet_pk):
    """WeasyPrint alone on the whole dossier's HTML, set up as the export sets it up."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from dossier.rendu import (
        DOSSIER_STATIC,
        FEUILLE,
        OPTIONS_PDF,
        HTMLDossier,
        LecteurFichiers,
        html_dossier,
    )
    from projets.models import ProjetSocial

    projet = ProjetSocial.objects.select_related("structure").get(pk=projet_pk)
    html = html_dossier(projet)
    debut = time.perf_counter()
    polices = FontConfiguration()
    lecteur = LecteurFichiers()
    feuille = CSS(filename=str(FEUILLE), url_fetcher=lecteur, font_config=polices)
    HTMLDossier(string=html, base_url=str(DOSSIER_STATIC) + "/", url_fetcher=lecteur).write_pdf(
        stylesheets=[feuille], font_config=polices, **OPTIONS_PDF
    )
    return {"weasyprint_s": time.perf_counter() - debut}


class MemoireDesProcessus(logging.Handler):
    """The largest peak memory the exports' logs report for their pools' processes."""

    def __init__(self):
        super().__init__()
        self.plus_grande = 0

    def emit(self, record):
        self.plus_grande = max(self.plus_grande, getattr(record, "memoire_processus_mo", 0))


def demarrer_le_serveur():
    """What a worker does once, at its first export: start the fork server of the pools and
    wait until it has forked a process (Django and WeasyPrint imported, stylesheet parsed).
    Seconds taken, and the server's pid."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import forkserver

    from dossier.assemblage import FOURCHE, demarrer_serveur

    debut = time.perf_counter()
    demarrer_serveur()
    with ProcessPoolExecutor(1, mp_context=FOURCHE) as pool:
        pool.submit(os.getpid).result()
    return time.perf_counter() - debut, forkserver._forkserver._forkserver_pid


def memoire_du_processus_mo(pid):
    """A running process's peak memory (Linux), in MB."""
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith("VmHWM:"):
            return int(ligne.split()[1]) / 1024
    return 0


def par_parties(projet_pk):
    """Cold export, export after one fiche edited, export unchanged: in a worker whose fork
    server is started (its start is measured apart)."""
    from django.conf import settings

    from dossier.assemblage import produire_par_parties
    from dossier.models import PartieRendue
    from projets.models import ProjetSocial

    settings.DOSSIER_PROCESSUS = 2
    PartieRendue.objects.all().delete()
    projet = ProjetSocial.objects.select_related("structure").get(pk=projet_pk)
    memoire = MemoireDesProcessus()
    journal = logging.getLogger("dossier.assemblage")
    journal.addHandler(memoire)
    journal.setLevel(logging.INFO)
    demarrage, serveur = demarrer_le_serveur()

    def chrono():
        debut = time.perf_counter()
        rendu = produire_par_parties(projet)
        return time.perf_counter() - debut, rendu

    froid, rendu = chrono()
    fiche = projet.fiches.order_by("axe__ordre", "numero")[len(projet.fiches.all()) // 2]
    fiche.contexte = f"{fiche.contexte} (relu)"
    fiche.save()
    retouche, _ = chrono()
    inchange, _ = chrono()
    memoire_mo = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the exports'
    version_froide, version_gardee = version_du_dossier(projet)
    return {
        "fiches": projet.fiches.count(),
        "pages": rendu.pages,
        "froid_s": froid,
        "retouche_s": retouche,
        "inchange_s": inchange,
        "version_froide_s": version_froide,
        "version_gardee_s": version_gardee,
        "memoire_mo": memoire_mo,
        "memoire_enfants_mo": memoire.plus_grande,
        "memoire_serveur_mo": memoire_du_processus_mo(serveur),
        "demarrage_s": demarrage,
    }


def version_du_dossier(projet):
    """What the dossier's page and an export asked again cost when nothing changed: the
    dossier's version (`version_contenu`), in a process that has written no fiche yet, then in
    one that has (its fiches' HTML kept, `rendu.html_fiche`)."""
    from dossier.exports import version_contenu
    from dossier.rendu import oublier_les_fiches

    oublier_les_fiches()
    temps = []
    for _ in range(2):
        debut = time.perf_counter()
        version_contenu(projet)
        temps.append(time.perf_counter() - debut)
    return temps


MESURES = {"--weasyprint": weasyprint_seul, "--parties": par_parties}


def lancer(base, mesure, pk):
    return mesurer_a_part("bench.assemblage", base, mesure, pk)


def main():
    if len(sys.argv) == 3 and sys.argv[1] in MESURES:
        preparer_django(os.environ["BENCH_BASE"])
        print(json.dumps(MESURES[sys.argv[1]](int(sys.argv[2]))))
        return
    with tempfile.TemporaryDirectory() as dossier:
        base = Path(dossier) / "bench-assemblage.sqlite3"
        preparer_django(base)
        print("Préparation des projets…", flush=True)
        projets = creer_projets()
        resultats = []
        for fiches, pk in projets.items():
            print(f"Dossier de {fiches} fiches : WeasyPrint seul, puis par parties…", flush=True)
            resultats.append({**lancer(base, "--weasyprint", pk), **lancer(base, "--parties", pk)})
    print()
    print(
        f"{'fiches':>6} {'pages':>6} {'WeasyPrint':>11} {'à froid':>9} {'÷WP':>5} "
        f"{'retouche':>9} {'÷froid':>7} {'inchangé':>9} {'mémoire':>9} {'enfants':>9} "
        f"{'serveur':>9} {'démarrage':>10} {'version':>15}"
    )
    for r in resultats:
        print(
            f"{r['fiches']:>6} {r['pages']:>6} {r['weasyprint_s']:>10.1f}s {r['froid_s']:>8.1f}s "
            f"{r['froid_s'] / r['weasyprint_s']:>5.2f} {r['retouche_s']:>8.1f}s "
            f"{r['retouche_s'] / r['froid_s']:>7.2f} {r['inchange_s']:>8.2f}s "
            f"{r['memoire_mo']:>6.0f} Mo {r['memoire_enfants_mo']:>6.0f} Mo "
            f"{r['memoire_serveur_mo']:>6.0f} Mo {r['demarrage_s']:>9.1f}s "
            f"{r['version_froide_s']:>6.2f}s/{r['version_gardee_s']:.2f}s"
        )
    print(
        f"\nCibles : à froid ≤ {CIBLES['froid']} × WeasyPrint seul (2 processus), retouche d'une "
        f"fiche ≤ {CIBLES['retouche']} × à froid, moins de {CIBLES['memoire_mo']} Mo "
        f"(machine à {os.cpu_count()} cœurs ; charge actuelle {os.getloadavg()[0]:.1f})."
    )


if __name__ == "__main__":
    main()
