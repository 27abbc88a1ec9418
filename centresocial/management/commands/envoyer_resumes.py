"""`manage.py envoyer_resumes`: the weekly digest, e-mailed to those who asked for it
(centresocial/resumes.py). Meant to run every Monday morning by cron (README); a second run in
the same week sends nothing again."""

import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from centresocial.resumes import abonnements, composer, envoyer

journal = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Envoie le résumé de la semaine à chaque personne qui l'a demandé (page « Mes e-mails »), "
        "sauf à qui l'a reçu il y a moins de six jours, et les semaines où il n'y a rien à dire."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Dire à qui les résumés iraient, sans rien envoyer ni noter.",
        )

    def handle(self, *args, dry_run, **options):
        maintenant = timezone.now()
        envoyes = sans_nouvelles = echecs = 0
        for abonnement in abonnements(maintenant):
            resume = composer(abonnement, maintenant)
            if resume is None:
                sans_nouvelles += 1
                continue
            if dry_run:
                self.stdout.write(f"{abonnement.user.email} : « {resume.sujet} »")
                envoyes += 1
                continue
            try:
                envoyer(resume, maintenant)
            except Exception:  # one address that fails must not stop the others
                journal.exception("Résumé non envoyé à %s", abonnement.user.email)
                echecs += 1
                continue
            envoyes += 1
        verbe = "à envoyer (essai : rien n'est envoyé)" if dry_run else "envoyé(s)"
        ligne = f"{envoyes} résumé(s) {verbe}, {sans_nouvelles} sans rien à dire cette semaine"
        if echecs:
            ligne += f", {echecs} en échec (voir le journal)"
        self.stdout.write(ligne + ".")
