from django.conf import settings
from django.core.management.base import BaseCommand

from centresocial.demo import MOT_DE_PASSE_DEMO, charger_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (fixtures/demo/). Idempotent : ne crée que ce qui "
        "manque et ne modifie jamais ce qui existe. Les comptes de démonstration ne sont créés "
        "que si DEBUG est activé."
    )

    def handle(self, *args, **options):
        rapport = charger_demo()
        if rapport.crees:
            for nom, nombre in rapport.crees.items():
                self.stdout.write(f"  + {nombre} {nom}")
            self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        else:
            self.stdout.write("Données de démonstration déjà présentes : rien à créer.")
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING("DEBUG est désactivé : aucun compte de démonstration créé.")
            )
            return
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe « {MOT_DE_PASSE_DEMO} ») :")
        for username, role in rapport.comptes:
            self.stdout.write(f"  {username:<18} {role}")
