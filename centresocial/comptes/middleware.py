from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .securite import appareil_confirme, double_authentification_exigee

# Pages an account may reach before its second factor is given or set up.
LIBRES = {"verification_connexion", "double_authentification", "logout"}


class DoubleAuthentificationMiddleware:
    """A logged-in account that has a TOTP device but whose session has not given a code is sent
    to the code page (whatever the way it logged in); an account that must use TOTP and has none
    is sent to set it up. Runs after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        nom = request.resolver_match.url_name if request.resolver_match else None
        if nom in LIBRES or request.path.startswith(("/static/", "/media/")):
            return None
        if appareil_confirme(user):
            cible = "verification_connexion"
        elif double_authentification_exigee(user):
            cible = "double_authentification"
        else:
            return None
        return redirect(f"{reverse(cible)}?{urlencode({'next': request.get_full_path()})}")
