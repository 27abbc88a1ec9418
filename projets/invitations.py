"""What every invitation shares, whoever it lets in (a member of a structure's team, a partner's
contact): a link sent by e-mail, valid 7 days, used once; only a digest of its token is stored,
the link in the e-mail is the one proof.

The link leads to `projets.views.invitations.activer`: a new account (name and password, the e-mail as identifiant) or,
for an address that already has one, a confirmation; then `Invitation.rattacher` ties the
account to what the invitation opens.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm
from django.db import models, transaction
from django.utils import timezone

DUREE_INVITATION = timedelta(days=7)


class InvitationQuerySet(models.QuerySet):
    def en_attente(self):
        return self.filter(utilisee_le__isnull=True, cree_le__gte=timezone.now() - DUREE_INVITATION)


class Invitation(models.Model):
    email = models.EmailField("e-mail")
    empreinte = models.CharField("empreinte du jeton", max_length=64, unique=True, editable=False)
    invite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invité par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    cree_le = models.DateTimeField("envoyée le", default=timezone.now)
    utilisee_le = models.DateTimeField("utilisée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-cree_le"]

    @staticmethod
    def empreinte_de(jeton):
        return hashlib.sha256(jeton.encode()).hexdigest()

    @classmethod
    def nouvelle(cls, email, invite_par, **champs):
        """A new invitation and its token (to put in the link; it is not stored)."""
        jeton = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            email=email, empreinte=cls.empreinte_de(jeton), invite_par=invite_par, **champs
        )
        return invitation, jeton

    @property
    def expiree(self):
        return timezone.now() > self.expire_le

    @property
    def expire_le(self):
        return self.cree_le + DUREE_INVITATION

    def accepter(self, user):
        """Tie `user` to what the invitation opens and use up the link; False if it was used
        meanwhile."""
        with transaction.atomic():
            # One UPDATE: of two simultaneous clicks on the link, only one wins.
            maintenant = timezone.now()
            pris = (
                type(self)
                .objects.filter(pk=self.pk, utilisee_le__isnull=True)
                .update(utilisee_le=maintenant)
            )
            if not pris:
                return False
            self.utilisee_le = maintenant
            self.rattacher(user)
        return True

    def rattacher(self, user):
        raise NotImplementedError


class ActivationForm(BaseUserCreationForm):
    """A new account given by an invitation: a name and a password (the e-mail is its
    identifiant)."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ["first_name", "last_name"]:
            self.fields[nom].required = True
            self.fields[nom].error_messages["required"] = "Ce champ est obligatoire."


def adresse_trop_longue(email):
    """The address becomes the account's identifiant: the message when it is longer than one
    can be, else None."""
    limite = get_user_model()._meta.get_field("username").max_length
    if len(email) <= limite:
        return None
    return (
        f"son adresse compte {len(email)} caractères, et elle deviendrait son identifiant, qui en "
        f"compte au plus {limite}. Indiquez une adresse plus courte."
    )
