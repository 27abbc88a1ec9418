"""`manage.py export_dossier <projet id> -o dossier.pdf`: the dossier PDF, for scripts, made as the
export of the page makes it (from its parts, unless DOSSIER_PAR_PARTIES=0)."""

import time

from django.core.management.base import BaseCommand, CommandError

from dossier.taches import produire_export
from projets.models import ProjetSocial


class Command(BaseCommand):
    help = "Exporte le dossier de demande d'agrément d'un projet social en PDF."

    def add_arguments(self, parser):
        parser.add_argument("projet", type=int, help="identifiant du projet social")
        parser.add_argument(
            "-o", "--sortie", default="dossier.pdf", help="fichier PDF à écrire (dossier.pdf)"
        )

    def handle(self, *args, projet, sortie, **options):
        try:
            projet = ProjetSocial.objects.select_related("structure").get(pk=projet)
        except ProjetSocial.DoesNotExist as erreur:
            raise CommandError(f"Aucun projet social n'a l'identifiant {projet}.") from erreur
        debut = time.perf_counter()
        rendu = produire_export(projet)
        with open(sortie, "wb") as fichier:
            fichier.write(rendu.pdf)
        self.stdout.write(
            f"{sortie} : {rendu.pages} pages, {len(rendu.pdf) // 1024} Ko, "
            f"en {time.perf_counter() - debut:.1f} s."
        )
