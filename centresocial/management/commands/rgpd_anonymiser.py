from django.core.management.base import BaseCommand, CommandError

from centresocial.exploitation.rgpd import Personne


class Command(BaseCommand):
    help = (
        "RGPD : efface ou anonymise tout ce qui concerne une personne, en une transaction "
        "(compte désactivé et anonymisé, mentions de référent, contacts de partenaires, "
        "auteur des commentaires, journal des consultations, dossiers exportés qui la nomment, "
        "traces de connexion)."
    )

    def add_arguments(self, parser):
        parser.add_argument("personne", help="identifiant du compte ou adresse e-mail")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="ne pas demander de confirmation",
        )

    def handle(self, *args, personne, interactive, **options):
        cible = Personne(personne)
        if interactive:
            reponse = input(
                f"Anonymiser définitivement tout ce qui concerne « {personne} » ? "
                "Tapez « oui » pour confirmer : "
            )
            if reponse.strip().lower() != "oui":
                raise CommandError("Anonymisation annulée : rien n'a été modifié.")
        fait = cible.anonymiser()
        if not fait:
            self.stdout.write(f"Rien à anonymiser pour « {personne} ».")
        for ligne in fait:
            self.stdout.write(f"- {ligne}")
        if fait:
            self.stdout.write(self.style.SUCCESS(f"« {personne} » est anonymisé(e)."))
