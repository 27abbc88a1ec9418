from django.apps import AppConfig


class CentresocialConfig(AppConfig):
    name = "centresocial"
    verbose_name = "Centre social"
