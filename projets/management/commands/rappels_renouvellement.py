"""`manage.py rappels_renouvellement`: the day's reminders of the renewal's timeline, e-mailed to
the direction (projets/rappels.py). Meant to run every morning by cron (README)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from projets.rappels import envoyer_rappels


def jour(valeur):
    try:
        return date.fromisoformat(valeur)
    except ValueError:
        raise CommandError(f"« {valeur} » n'est pas une date au format AAAA-MM-JJ.") from None


class Command(BaseCommand):
    help = (
        "Envoie à la direction les rappels des étapes du calendrier du renouvellement "
        "(30 jours et 7 jours avant, et le jour même ; chacun une fois)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=jour, help="Faire comme si l'on était ce jour-là (AAAA-MM-JJ)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter les rappels à envoyer, sans rien envoyer ni noter.",
        )

    def handle(self, *args, **options):
        aujourdhui = options["date"] or timezone.localdate()
        simuler = options["dry_run"]
        bilan = envoyer_rappels(aujourdhui, simuler=simuler)
        verbe = "à envoyer (essai : rien n'est envoyé)" if simuler else "envoyé"
        ligne = (
            f"{aujourdhui:%d/%m/%Y} : {bilan.rappels} rappel{'s' if bilan.rappels > 1 else ''} "
            f"{verbe}{'s' if bilan.rappels > 1 and not simuler else ''}, "
            f"{bilan.emails} e-mail{'s' if bilan.emails > 1 else ''}"
        )
        if bilan.sans_destinataire:
            ligne += (
                f" ; {bilan.sans_destinataire} étape{'s' if bilan.sans_destinataire > 1 else ''}"
                " sans adresse e-mail à la direction"
            )
        self.stdout.write(ligne + ".")
