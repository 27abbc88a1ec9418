"""`make bench`: how long the dossier export takes, and how much memory, for a 47-fiche and a
200-fiche projet; and how much of that time WeasyPrint alone spends on the same HTML.

The data live in a throw-away SQLite base; each measure runs in a fresh process so that its
peak memory is its own.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
CIBLES = {"ratio": 1.10, "secondes_47": 10, "memoire_200_mo": 500}


def preparer_django(base):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centresocial.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{base}"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["HTTPS"] = "0"  # the test client speaks plain HTTP
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()


def creer_projets():
    """The demo (47 fiches) and a renewed copy grown to 200 fiches."""
    demo, grand = demo_et_projet_agrandi("Projet social (200 fiches)", 2029, 2032)
    return {47: demo.pk, 200: grand.pk}


def demo_et_projet_agrandi(titre, annee_debut, annee_fin, fiches=200):
    """Migrate, load the demo, renew it over the given période and grow the copy to `fiches`."""
    from django.core.management import call_command

    from centresocial.demo import charger_demo
    from projets.models import ProjetSocial

    call_command("migrate", verbosity=0)
    charger_demo(comptes_demo=False)
    demo = ProjetSocial.objects.get(structure__slug="territoire-sud")
    return demo, projet_agrandi(demo, titre, annee_debut, annee_fin, fiches)


def projet_agrandi(demo, titre, annee_debut, annee_fin, fiches):
    """The demo's projet renewed over the given période, grown to `fiches`."""
    from actions.models import FicheAction
    from actions.renouvellement import renouveler_projet

    grand = renouveler_projet(demo, titre, annee_debut, annee_fin)
    modeles = list(FicheAction.objects.du_projet(grand).avec_details())
    i = 0
    while FicheAction.objects.du_projet(grand).count() < fiches:
        modeles[i % len(modeles)].copier()
        i += 1
    return grand


def mesurer(projet_pk):
    """In its own process: a full export, then WeasyPrint alone on the same HTML."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from dossier.rendu import (
        DOSSIER_STATIC,
        FEUILLE,
        OPTIONS_PDF,
        HTMLDossier,
        LecteurFichiers,
        html_dossier,
        produire_dossier,
        rendre_fiche,
    )
    from projets.models import ProjetSocial

    projet = ProjetSocial.objects.select_related("structure").get(pk=projet_pk)
    rendre_fiche(projet.fiches.avec_details().first())  # warm-up: imports, fonts

    debut = time.perf_counter()
    rendu = produire_dossier(projet)
    total = time.perf_counter() - debut
    memoire = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    html = html_dossier(projet)
    debut = time.perf_counter()
    polices = FontConfiguration()
    lecteur = LecteurFichiers()
    feuille = CSS(filename=str(FEUILLE), url_fetcher=lecteur, font_config=polices)
    # The same WeasyPrint set-up as the export (its user-agent stylesheet included), so the
    # ratio measures only what our code adds.
    HTMLDossier(string=html, base_url=str(DOSSIER_STATIC) + "/", url_fetcher=lecteur).write_pdf(
        stylesheets=[feuille], font_config=polices, **OPTIONS_PDF
    )
    weasyprint = time.perf_counter() - debut
    return {
        "fiches": projet.fiches.count(),
        "total_s": total,
        "weasyprint_s": weasyprint,
        "pages": rendu.pages,
        "memoire_mo": memoire,
    }


def mesurer_a_part(module, base, mesure, pk):
    """`python -m <module> <mesure> <pk>` in its own process on the bench's base: the JSON it
    prints last (its memory is its own)."""
    sortie = subprocess.run(
        [sys.executable, "-m", module, mesure, str(pk)],
        cwd=RACINE,
        env={**os.environ, "BENCH_BASE": str(base)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--mesurer":
        preparer_django(os.environ["BENCH_BASE"])
        print(json.dumps(mesurer(int(sys.argv[2]))))
        return
    with tempfile.TemporaryDirectory() as dossier:
        base = Path(dossier) / "bench.sqlite3"
        preparer_django(base)
        print("Préparation des projets (démo et 200 fiches)…", flush=True)
        projets = creer_projets()
        resultats = []
        for fiches, pk in projets.items():
            print(f"Export du projet de {fiches} fiches…", flush=True)
            resultats.append(mesurer_a_part("bench.dossier", base, "--mesurer", pk))
    print()
    print(
        f"{'fiches':>6} {'pages':>6} {'export':>9} {'WeasyPrint':>11} {'ratio':>6} {'mémoire':>9}"
    )
    for r in resultats:
        ratio = r["total_s"] / r["weasyprint_s"]
        print(
            f"{r['fiches']:>6} {r['pages']:>6} {r['total_s']:>8.1f}s {r['weasyprint_s']:>10.1f}s "
            f"{ratio:>6.2f} {r['memoire_mo']:>6.0f} Mo"
        )
    print(
        f"\nCibles : ratio ≤ {CIBLES['ratio']}, 47 fiches en moins de {CIBLES['secondes_47']} s, "
        f"moins de {CIBLES['memoire_200_mo']} Mo pour 200 fiches "
        f"(machine à {os.cpu_count()} cœurs ; charge actuelle {os.getloadavg()[0]:.1f})."
    )


if __name__ == "__main__":
    main()
