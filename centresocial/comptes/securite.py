"""Who must give a second factor, and whether they have one."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def appareil_confirme(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def double_authentification_exigee(user):
    """With DOUBLE_AUTHENTIFICATION_OBLIGATOIRE, direction and admin accounts must use TOTP."""
    if not settings.DOUBLE_AUTHENTIFICATION_OBLIGATOIRE:
        return False
    from projets.models import Structure

    return user.is_staff or user.is_superuser or Structure.objects.dirigees_par(user).exists()


def adresse_client(request):
    """The client's address for login throttling: behind our reverse proxy (BEHIND_PROXY), the last
    hop of X-Forwarded-For, the one the proxy appended; otherwise the connection's address."""
    if settings.BEHIND_PROXY:
        relais = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if relais[-1].strip():
            return relais[-1].strip()
    return request.META.get("REMOTE_ADDR")
