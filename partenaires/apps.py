from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

# In the session: the partner account's previous visit (ISO), read by the home page's « ce qui a
# changé depuis votre dernière visite ».
VISITE_PRECEDENTE = "visite_precedente"


def retenir_compte_partenaire(sender, request, user, **kwargs):
    """Remember in the session whether the user speaks for a partner, so the navigation offers
    « Mes actions » rather than « Partenaires » without one more query on every page (a link
    only: access is decided in the views)."""
    from .models import ComptePartenaire

    request.session["compte_partenaire"] = ComptePartenaire.objects.filter(user=user).exists()


def noter_visite(sender, request, user, **kwargs):
    """Keep the account's last visit in the session, then make this login the last one."""
    from .models import ComptePartenaire

    comptes = ComptePartenaire.objects.filter(user=user)
    visites = list(comptes.values_list("derniere_visite", flat=True))
    if not visites:
        return
    precedente = max((v for v in visites if v), default=None)
    request.session[VISITE_PRECEDENTE] = precedente.isoformat() if precedente else None
    comptes.update(derniere_visite=timezone.now())


class PartenairesConfig(AppConfig):
    name = "partenaires"
    verbose_name = "Partenaires"

    def ready(self):
        user_logged_in.connect(retenir_compte_partenaire, dispatch_uid="compte_partenaire")
        user_logged_in.connect(noter_visite, dispatch_uid="visite_partenaire")
