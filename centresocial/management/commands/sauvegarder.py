from django.core.management.base import BaseCommand

from centresocial.exploitation.sauvegarde import sauvegarder


class Command(BaseCommand):
    help = (
        "Sauvegarde toute l'instance (données et fichiers déposés) dans une archive .zip, "
        "à recharger avec « manage.py restaurer » dans une base vide."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="fichier .zip à écrire")

    def handle(self, *args, output, **options):
        comptes = sauvegarder(output)
        self.stdout.write(f"Sauvegarde écrite dans {output} : {sum(comptes.values())} lignes.")
