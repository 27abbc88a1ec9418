"""The Django admin, covered by a rule rather than one line per URL (it has hundreds).

Every admin pattern is still enumerated: anyone but the instance's admin is sent to the admin
login page (the login page itself opens for everyone); the admin opens the index, each app's
page, and each model's list, add, change, delete and history pages on a real object of the
world `o` (or, for a model the world does not fill, a row made up from its required fields).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import motifs, statuts

# Non-staff roles are redirected to the admin login page.
ADMIN_SEUL = statuts(302, admin=200)


def rangee(modele):
    """A row of the model: the world's first one, or else one made up from its required fields
    (so a model newly added to the admin is covered before the world knows it)."""
    objet = modele._default_manager.order_by("pk").first()
    return objet if objet is not None else creer_rangee(modele)


def creer_rangee(modele):
    valeurs = {}
    for champ in modele._meta.concrete_fields:
        if champ.primary_key or champ.null or champ.has_default() or champ.blank:
            continue
        if getattr(champ, "auto_now", False) or getattr(champ, "auto_now_add", False):
            continue
        if champ.is_relation:
            valeurs[champ.name] = rangee(champ.related_model)
        elif champ.choices:
            valeurs[champ.name] = champ.flatchoices[0][0]
        elif isinstance(champ, models.DateTimeField):
            valeurs[champ.name] = timezone.now()
        elif isinstance(champ, models.DateField):
            valeurs[champ.name] = timezone.localdate()
        elif isinstance(champ, models.BooleanField):
            valeurs[champ.name] = False
        elif isinstance(champ, (models.IntegerField, models.DecimalField, models.FloatField)):
            valeurs[champ.name] = 1
        else:
            valeurs[champ.name] = "x"
    return modele._default_manager.create(**valeurs)


def vers(nom, *args):
    return lambda o: reverse(nom, args=[a(o) if callable(a) else a for a in args])


def entrees_modele(modele, model_admin):
    info = f"admin:{modele._meta.app_label}_{modele._meta.model_name}"
    pk = lambda o: rangee(modele).pk  # noqa: E731
    # Read-only admins (the audit log, task results) refuse the add and delete pages.
    permis = {
        action: ADMIN_SEUL
        if autorise(requete_admin(f"{info}_changelist"))
        else statuts(302, admin=403)
        for action, autorise in [
            ("add", model_admin.has_add_permission),
            ("delete", model_admin.has_delete_permission),
        ]
    }
    entrees = {
        f"{info}_changelist": (vers(f"{info}_changelist"), ADMIN_SEUL),
        f"{info}_add": (vers(f"{info}_add"), permis["add"]),
        f"{info}_change": (vers(f"{info}_change", pk), ADMIN_SEUL),
        f"{info}_delete": (vers(f"{info}_delete", pk), permis["delete"]),
        f"{info}_history": (vers(f"{info}_history", pk), ADMIN_SEUL),
    }
    return entrees


def requete_admin(nom_url):
    """Just enough of a request for the admins' has_*_permission(): the instance's admin, on
    the model's own admin page (the audit log allows deleting only through a cascade)."""
    requete = RequestFactory().get(reverse(nom_url))
    requete.user = get_user_model()(is_active=True, is_staff=True, is_superuser=True)
    requete.resolver_match = resolve(requete.path)
    return requete


def construire_entrees():
    entrees = {
        "admin:index": (vers("admin:index"), ADMIN_SEUL),
        "admin:app_list": (vers("admin:app_list", "actions"), ADMIN_SEUL),
        # The admin's login page sends to ours (throttled, with the second factor).
        "admin:login": (vers("admin:login"), statuts(302)),
        "admin:logout": (lambda o: (reverse("admin:logout"), "post", {}), statuts(302)),
        "admin:password_change": (vers("admin:password_change"), ADMIN_SEUL),
        "admin:password_change_done": (vers("admin:password_change_done"), ADMIN_SEUL),
        "admin:jsi18n": (vers("admin:jsi18n"), ADMIN_SEUL),
        "admin:autocomplete": (
            lambda o: (
                reverse("admin:autocomplete")
                + "?app_label=partenaires&model_name=comptepartenaire&field_name=partenaire"
            ),
            ADMIN_SEUL,
        ),
        "admin:view_on_site": (
            vers(
                "admin:view_on_site",
                lambda o: ContentType.objects.get_for_model(o.fiche_1a).pk,
                lambda o: o.fiche_1a.pk,
            ),
            statuts(302, admin=404),  # no model of the project has a public page
        ),
        "admin:auth_user_password_change": (
            vers("admin:auth_user_password_change", lambda o: o.equipe_1.pk),
            ADMIN_SEUL,
        ),
    }
    for modele, model_admin in admin.site._registry.items():
        entrees.update(entrees_modele(modele, model_admin))
    # django-otp's pages that show a person's TOTP secret: refused even to the admin.
    for page in ("config", "qrcode"):
        entrees[f"admin:otp_totp_totpdevice_{page}"] = (
            vers(f"admin:otp_totp_totpdevice_{page}", lambda o: rangee(TOTPDevice).pk),
            statuts(302, admin=403),
        )
    # Patterns without a name: each model's « <pk>/ » redirecting to its change page, and the
    # catch-all that answers 404 (to the admin) for an unknown admin URL.
    for cle, route, _ in motifs():
        if not cle.startswith("admin:<"):
            continue
        if route.endswith("<path:object_id>/"):
            modele = next(
                m
                for m in admin.site._registry
                if route == f"{m._meta.app_label}/{m._meta.model_name}/<path:object_id>/"
            )
            entrees[cle] = (
                lambda o, m=modele: (
                    reverse("admin:index")
                    + f"{m._meta.app_label}/{m._meta.model_name}/{rangee(m).pk}/"
                ),
                statuts(302),  # to the admin login, or for the admin to the change page
            )
        else:
            entrees[cle] = (lambda o: reverse("admin:index") + "inconnue/", statuts(302, admin=404))
    return entrees


ENTREES = construire_entrees()
