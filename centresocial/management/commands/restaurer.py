from django.core.management.base import BaseCommand

from centresocial.exploitation.sauvegarde import restaurer


class Command(BaseCommand):
    help = "Recharge une sauvegarde de « manage.py sauvegarder » dans une base de données vide."

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="archive .zip écrite par « manage.py sauvegarder »")

    def handle(self, *args, fichier, **options):
        comptes, fichiers = restaurer(fichier)
        self.stdout.write(
            f"Sauvegarde restaurée : {sum(comptes.values())} lignes, {fichiers} fichier(s)."
        )
