"""Helpers of tests/projets/test_travailleur_reel.py, run in their own process on the test's
throw-away database (`DATABASE_URL`), with tests/projets/reglages_travailleur.py:

- `python -m tests.projets.travailleur_reel preparer`: migrate, load the demo, ask for the export
  of its Territoire Sud projet (queued for the worker); prints the export's id;
- `python -m tests.projets.travailleur_reel observer <export id>`: five times a second, prints
  what the export page shows (as JSON), as long as its stdin stays open.
"""

import json
import os
import sys
import threading
import time


def preparer():
    from django.core.management import call_command

    from centresocial.demo import charger_demo
    from dossier.exports import demander_export
    from projets.models import ProjetSocial

    call_command("migrate", verbosity=0)
    charger_demo(comptes_demo=False)
    projet = ProjetSocial.objects.get(structure__slug="territoire-sud")
    export, _ = demander_export(projet, None)
    print(json.dumps({"export": export.pk}), flush=True)


ETATS = {
    "L'export s'est interrompu": "interrompu",
    "Export en cours": "en_cours",
    "attend son tour": "en_attente",
    "Le dossier est à jour": "termine",
    "L'export a échoué": "echec",
}


def observer(export_pk):
    from django.db import close_old_connections
    from django.template.loader import render_to_string
    from django_tasks_db.models import DBTaskResult

    from dossier.models import ExportDossier
    from dossier.taches import exporter_dossier
    from dossier.views import etat_export

    # The test closes our stdin when it is done (or dies): stop then.
    fini = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), fini.set()), daemon=True).start()
    while not fini.is_set():
        close_old_connections()
        export = ExportDossier.objects.sans_pdf().select_related("projet").get(pk=export_pk)
        page = render_to_string("dossier/_etat_export.html", etat_export(export.projet))
        taches = DBTaskResult.objects.filter(task_path=exporter_dossier.module_path)
        etat = {
            "page": next((e for texte, e in ETATS.items() if texte in page), "autre"),
            "statut": export.statut,
            "progression": export.progression,
            "tentatives": getattr(export, "tentatives", None),
            "taches": sorted(taches.values_list("status", flat=True)),
        }
        print(json.dumps(etat), flush=True)
        time.sleep(0.2)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.projets.reglages_travailleur")
    import django

    django.setup()
    if sys.argv[1] == "preparer":
        preparer()
    else:
        observer(int(sys.argv[2]))


if __name__ == "__main__":
    main()
