from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def retenir_membre_federation(sender, request, user, **kwargs):
    """Remember in the session whether the user belongs to a fédération, so the navigation
    offers « Fédération » without one more query on every page (a link only: access is
    decided in the views)."""
    from projets.models import Federation

    request.session["membre_federation"] = Federation.objects.filter(membres=user).exists()


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = "Fédérations"

    def ready(self):
        user_logged_in.connect(retenir_membre_federation, dispatch_uid="membre_federation")
