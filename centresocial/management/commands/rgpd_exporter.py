import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from centresocial.exploitation.rgpd import Personne


class Command(BaseCommand):
    help = (
        "RGPD : écrit en JSON tout ce que l'instance conserve sur une personne "
        "(compte, adhésions, fiches dont elle est référente, contacts de partenaires, "
        "commentaires, historique, journal des consultations, dossiers exportés qui la nomment, "
        "traces de connexion)."
    )

    def add_arguments(self, parser):
        parser.add_argument("personne", help="identifiant du compte ou adresse e-mail")
        parser.add_argument("-o", "--output", help="fichier à écrire (sinon la sortie standard)")

    def handle(self, *args, personne, output, **options):
        texte = json.dumps(
            Personne(personne).exporter(), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
        )
        if output:
            with open(output, "w", encoding="utf-8") as fichier:
                fichier.write(texte + "\n")
            self.stderr.write(f"Données de « {personne} » écrites dans {output}.")
        else:
            self.stdout.write(texte)
