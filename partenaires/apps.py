from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def retenir_compte_partenaire(sender, request, user, **kwargs):
    """Remember in the session whether the user speaks for a partner, so the navigation offers
    « Mes actions » rather than « Partenaires » without one more query on every page (a link
    only: access is decided in the views)."""
    from .models import ComptePartenaire

    request.session["compte_partenaire"] = ComptePartenaire.objects.filter(user=user).exists()


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires"

    def ready(self):
        user_logged_in.connect(retenir_compte_partenaire, dispatch_uid="compte_partenaire")
