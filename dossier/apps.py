from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "dossier"
    verbose_name = "Dossier d'agrément"

    def ready(self):
        from projets.signaux import statut_change

        from .archives import au_changement_de_statut

        statut_change.connect(au_changement_de_statut, dispatch_uid="dossier-archives")
