from django.apps import AppConfig


class ImportationConfig(AppConfig):
    name = "importation"
    verbose_name = "Import d'un projet social"
