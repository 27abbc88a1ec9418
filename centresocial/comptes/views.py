"""Login in two steps when the account has a TOTP device, and the page that turns TOTP on or off."""

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, RedirectURLMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import CodeForm, ConnexionForm
from .securite import appareil_confirme, double_authentification_exigee

EN_ATTENTE = "connexion_en_attente"
DELAI_CODE = 300  # seconds between the password and the code
ESSAIS_CODE = 5  # wrong codes before the login starts over


class ConnexionView(LoginView):
    """Django's login; an account with a TOTP device is only logged in once it gives its code."""

    form_class = ConnexionForm

    def form_valid(self, form):
        user = form.get_user()
        if appareil_confirme(user) is None:
            return super().form_valid(form)
        self.request.session[EN_ATTENTE] = {
            "user": user.pk,
            "backend": user.backend,
            "suite": self.get_success_url(),
            "depuis": time.time(),
            "essais": 0,
        }
        return redirect("verification_connexion")


@method_decorator(login_not_required, name="dispatch")
class VerificationView(RedirectURLMixin, View):
    """Second step: the code of the account's authenticator app. Also asked of a session that is
    logged in without having given it (see DoubleAuthentificationMiddleware)."""

    template_name = "registration/verification.html"

    def attente(self):
        """The account waiting for its code, and where to go next; None when there is none."""
        if self.request.user.is_authenticated:
            return self.request.user, self.get_redirect_url() or reverse("accueil")
        attente = self.request.session.get(EN_ATTENTE)
        if not attente or time.time() - attente["depuis"] > DELAI_CODE:
            return None
        user = get_user_model().objects.filter(pk=attente["user"], is_active=True).first()
        return (user, attente["suite"]) if user else None

    def dispatch(self, request, *args, **kwargs):
        attente = self.attente()
        if attente is None:
            request.session.pop(EN_ATTENTE, None)
            messages.error(request, "Le délai pour saisir le code est passé : reconnectez-vous.")
            return redirect("login")
        self.user, self.suite = attente
        self.appareil = appareil_confirme(self.user)
        if self.appareil is None:  # the device was removed meanwhile
            return redirect(self.suite)
        if request.user.is_verified():
            return redirect(self.suite)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request):
        form = CodeForm(request.POST, appareil=self.appareil)
        if not form.is_valid():
            attente = request.session.get(EN_ATTENTE)
            if attente and not request.user.is_authenticated:
                attente["essais"] += 1
                if attente["essais"] >= ESSAIS_CODE:
                    del request.session[EN_ATTENTE]
                    messages.error(request, "Trop de codes erronés : reconnectez-vous.")
                    return redirect("login")
                request.session[EN_ATTENTE] = attente
            return render(request, self.template_name, {"form": form}, status=400)
        if not request.user.is_authenticated:
            attente = request.session.pop(EN_ATTENTE)
            login(request, self.user, backend=attente["backend"])
        otp_login(request, self.appareil)
        return redirect(self.suite)


class DoubleAuthentificationView(RedirectURLMixin, View):
    """Turn TOTP on (scan the QR code, confirm with a code) or off (with a code, unless the
    account must keep it)."""

    template_name = "registration/double_authentification.html"

    def get(self, request):
        return self.page(CodeForm())

    def post(self, request):
        appareil = appareil_confirme(request.user)
        nouveau = appareil is None
        appareil = appareil or self.appareil_a_confirmer()
        if not nouveau and double_authentification_exigee(request.user):
            messages.error(request, "Votre compte doit garder la double authentification.")
            return redirect("double_authentification")
        form = CodeForm(request.POST, appareil=appareil)
        if not form.is_valid():
            return self.page(form, status=400)
        if nouveau:
            appareil.confirmed = True
            appareil.save(update_fields=["confirmed"])
            otp_login(request, appareil)
            messages.success(request, "La double authentification est activée.")
            return redirect(self.get_redirect_url() or reverse("double_authentification"))
        appareil.delete()
        request.session.pop("otp_device_id", None)
        messages.success(request, "La double authentification est désactivée.")
        return redirect("double_authentification")

    def appareil_a_confirmer(self):
        appareil = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return appareil or TOTPDevice.objects.create(
            user=self.request.user, name="Application d'authentification", confirmed=False
        )

    def page(self, form, status=200):
        user = self.request.user
        appareil = appareil_confirme(user)
        contexte = {
            "form": form,
            "active": appareil is not None,
            "exigee": double_authentification_exigee(user),
            "next": self.get_redirect_url(),
        }
        if appareil is None:
            a_confirmer = self.appareil_a_confirmer()
            cle = b32encode(a_confirmer.bin_key).decode()
            contexte["qr"] = mark_safe(  # segno writes the SVG; no user text in it
                segno.make(a_confirmer.config_url, error="m").svg_inline(
                    scale=5, title="Code QR à scanner"
                )
            )
            contexte["cle"] = " ".join(cle[i : i + 4] for i in range(0, len(cle), 4))
        return render(self.request, self.template_name, contexte, status=status)


def verrouillage(request, reponse, identifiants):
    """What django-axes answers while an account is locked out (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_client_username

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    contexte = {"username": get_client_username(request, identifiants) or "", "minutes": minutes}
    return render(request, "registration/verrouille.html", contexte, status=429)
