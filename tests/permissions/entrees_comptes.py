"""The home page and the accounts' pages (django.contrib.auth)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from centresocial.resumes import jeton
from projets.models import Membre
from tests.factories import UserFactory

from . import CONNECTES, statuts


def lien_reinitialisation(o):
    user = UserFactory(username="oubli")  # not a role: logging in would void its token
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def lien_desinscription(o):
    membre = Membre.objects.get(user=o.direction_1, structure=o.structure_1)
    return reverse("desinscription", args=[jeton(membre)])


PUBLIQUE = statuts(200)

ENTREES = {
    "accueil": (lambda o: reverse("accueil"), CONNECTES),
    "login": (lambda o: reverse("login"), PUBLIQUE),
    # Logging out is a POST; it answers with a redirect to the login page.
    "logout": (lambda o: (reverse("logout"), "post", {}), statuts(302)),
    "password_change": (lambda o: reverse("password_change"), CONNECTES),
    "password_change_done": (lambda o: reverse("password_change_done"), CONNECTES),
    "password_reset": (lambda o: reverse("password_reset"), PUBLIQUE),
    "password_reset_done": (lambda o: reverse("password_reset_done"), PUBLIQUE),
    # A valid link redirects to its token-less form (Django hides the token from the URL).
    "password_reset_confirm": (lien_reinitialisation, statuts(302)),
    "password_reset_complete": (lambda o: reverse("password_reset_complete"), PUBLIQUE),
    # No login waiting for its code: back to the login page (or onwards, once logged in).
    "verification_connexion": (lambda o: reverse("verification_connexion"), statuts(302)),
    "double_authentification": (lambda o: reverse("double_authentification"), CONNECTES),
    "favicon": (lambda o: reverse("favicon"), statuts(301)),
    "mes_emails": (lambda o: reverse("mes_emails"), CONNECTES),
    # The weekly digest's unsubscribe link works without logging in: its token is the key.
    "desinscription": (lien_desinscription, PUBLIQUE),
}
