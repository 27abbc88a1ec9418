"""`make bench`: the import of a projet social from a document, measured.

For each reference document of shared/reference/ (made at run time into Word, LibreOffice and
PDF files, fiches laid out as tables and as headings): fiches found / expected, pieces of text
in the right field / expected, and the time of the reading and detection. Then a generated
120-page document (our own words): its import time, and the time to write it as a projet (in
a throw-away SQLite base). Targets: ≥ 95 % of fiches and ≥ 90 % of fields on each reference
document, the 120-page document under 30 s.
"""

import logging
import sys
import tempfile
import time
from pathlib import Path

from bench.dossier import preparer_django

CIBLES = {"fiches": 0.95, "champs": 0.90, "secondes_120_pages": 30}
FORMATS = ("docx", "odt", "pdf")


def mesurer_references(lignes):
    from importation.analyse import analyser
    from importation.mesure import ecrire, reference, score

    if not reference.disponible():
        print(
            f"Textes de référence absents ({reference.DOSSIER}) : mesure sur les références non faite."
        )
        return True
    atteint = True
    for disposition in reference.DISPOSITIONS:
        for document in reference.documents(disposition):
            for format_ in FORMATS:
                contenu = ecrire.ecrire(document, format_)
                debut = time.perf_counter()
                proposition = analyser(contenu, f"{document.nom}.{format_}")
                duree = time.perf_counter() - debut
                note = score.noter(proposition, document.attendus)
                ok = note.taux_fiches >= CIBLES["fiches"] and note.taux_champs >= CIBLES["champs"]
                atteint &= ok
                unite = "objectifs" if document.attendus[0].sorte == "objectif" else "fiches"
                lignes.append(
                    f"{document.nom[:30]:30} {disposition:8} {format_:4} "
                    f"{unite} {note.trouvees:>3}/{note.attendues:<3} ({note.taux_fiches:>4.0%})  "
                    f"champs {note.justes:>4}/{note.champs:<4} ({note.taux_champs:>4.0%})  "
                    f"{duree:5.1f} s  {'ok' if ok else 'SOUS LA CIBLE'}"
                )
                print(lignes[-1], flush=True)
    return atteint


def mesurer_grand_document():
    """A 120-page projet (counted on its PDF), imported from Word and from PDF, then written."""
    from pypdf import PdfReader

    from importation.analyse import analyser
    from importation.ecriture import creer_projet
    from importation.mesure import ecrire, score, synthetique

    fiches = 110
    document = synthetique.projet_synthetique(fiches, "tableaux", axes=4)
    pdf = ecrire.ecrire(document, "pdf")
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    while pages < 120:
        fiches += 10
        document = synthetique.projet_synthetique(fiches, "tableaux", axes=4)
        pdf = ecrire.ecrire(document, "pdf")
        pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    resultats = {}
    for format_, contenu in (("docx", ecrire.ecrire(document, "docx")), ("pdf", pdf)):
        debut = time.perf_counter()
        proposition = analyser(contenu, f"grand.{format_}")
        resultats[format_] = (time.perf_counter() - debut, proposition)
        note = score.noter(proposition, document.attendus)
        print(
            f"Document de {pages} pages ({fiches} fiches), {format_:4} : import en "
            f"{resultats[format_][0]:.1f} s, fiches {note.trouvees}/{note.attendues}, "
            f"champs {note.justes}/{note.champs}",
            flush=True,
        )
    from django.core.management import call_command

    from tests.factories import MembreFactory

    call_command("migrate", verbosity=0)
    direction = MembreFactory(direction=True)
    debut = time.perf_counter()
    projet = creer_projet(resultats["docx"][1], direction.structure, direction.user, "grand.docx")
    print(
        f"Écriture du projet ({projet.fiches.count()} fiches) : {time.perf_counter() - debut:.1f} s",
        flush=True,
    )
    return resultats["docx"][0]


def main():
    with tempfile.TemporaryDirectory() as dossier:
        preparer_django(Path(dossier) / "bench.sqlite3")
        for nom in ("weasyprint", "weasyprint.progress", "fontTools", "pdfminer"):
            logging.getLogger(nom).setLevel(logging.ERROR)
        print("Import d'un projet social : références (fiches ou objectifs trouvés, champs justes)")
        atteint = mesurer_references([])
        duree = mesurer_grand_document()
        atteint &= duree < CIBLES["secondes_120_pages"]
        print(
            "Cibles : ≥ 95 % des fiches, ≥ 90 % des champs, 120 pages en moins de 30 s : "
            + ("atteintes." if atteint else "NON atteintes.")
        )
    return 0 if atteint else 1


if __name__ == "__main__":
    sys.exit(main())
