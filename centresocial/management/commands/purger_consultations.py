from axes.models import AccessLog
from django.core.management.base import BaseCommand, CommandError

from projets.models import Consultation
from projets.models_journal import DUREE_CONSERVATION_MOIS, il_y_a


class Command(BaseCommand):
    help = (
        "Supprime du journal des consultations, et des traces de connexion, les entrées plus "
        "anciennes que --mois mois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mois",
            type=int,
            default=DUREE_CONSERVATION_MOIS,
            help=f"durée de conservation en mois (par défaut {DUREE_CONSERVATION_MOIS})",
        )

    def handle(self, *args, mois, **options):
        if mois < 1:
            raise CommandError("--mois doit être un nombre entier positif.")
        supprimees, _ = Consultation.objects.anterieures_a(mois).delete()
        self.stdout.write(
            f"{supprimees} consultation(s) de plus de {mois} mois supprimée(s) du journal."
        )
        connexions, _ = AccessLog.objects.filter(attempt_time__lt=il_y_a(mois)).delete()
        self.stdout.write(
            f"{connexions} trace(s) de connexion de plus de {mois} mois supprimée(s)."
        )
