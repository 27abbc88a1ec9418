"""The weekly digest: the home page's facts (centresocial/a_faire.py) e-mailed on Monday to the
people who asked for it, per structure (`Membre.resume_hebdo`) and per partner account
(`ComptePartenaire.resume_hebdo`), by `manage.py envoyer_resumes` run by cron.

Each e-mail carries a link that unsubscribes without logging in: a signed token (salted, so no
other signed value of the site passes for one) naming the subscription. The same link is in the
`List-Unsubscribe` header, with `List-Unsubscribe-Post` for the mail clients' one-click button
(RFC 8058), which POST to it without a CSRF token.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from centresocial import a_faire
from partenaires.models import ComptePartenaire
from projets.models import Membre

SEL = "centresocial.resumes.desinscription"
# A second run in the same week sends nothing (the cron runs weekly; a retry must not repeat).
INTERVALLE_MINIMAL = timedelta(days=6)
# What « this week » covers for a first digest (the next ones: since the previous one).
SEMAINE = timedelta(days=7)
SORTES = {"membre": Membre, "compte": ComptePartenaire}


def abonnements(maintenant=None):
    """The memberships and partner accounts that asked for the digest and were not sent one in
    the last six days, of active accounts with an e-mail address."""
    maintenant = maintenant or timezone.now()
    dus = Q(resume_hebdo=True, user__is_active=True) & ~Q(user__email="")
    dus &= Q(resume_envoye_le__isnull=True) | Q(
        resume_envoye_le__lte=maintenant - INTERVALLE_MINIMAL
    )
    membres = Membre.objects.filter(dus).select_related("user", "structure").order_by("pk")
    comptes = (
        ComptePartenaire.objects.filter(dus)
        .select_related("user", "partenaire__structure")
        .order_by("pk")
    )
    return [*membres, *comptes]


def jeton(abonnement):
    """The token of the unsubscribe link of a membership's or a partner account's digest."""
    sorte = "membre" if isinstance(abonnement, Membre) else "compte"
    return signing.dumps([sorte, abonnement.pk, abonnement.user_id], salt=SEL)


def abonnement_du_jeton(valeur):
    """The membership or partner account a token names; None for a forged or damaged token,
    or when the row is gone."""
    try:
        sorte, pk, user_id = signing.loads(valeur, salt=SEL)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    modele = SORTES.get(sorte)
    if modele is None:
        return None
    liens = ("user", "structure") if modele is Membre else ("user", "partenaire")
    return modele.objects.filter(pk=pk, user_id=user_id).select_related(*liens).first()


def lien_desinscription(abonnement):
    return settings.SITE_URL + reverse("desinscription", args=[jeton(abonnement)])


def changer_abonnement(abonnement, recevoir):
    """Subscribe or unsubscribe. A queryset update: a person's choice of e-mails is not a change
    of the projet, and stays out of its history."""
    type(abonnement).objects.filter(pk=abonnement.pk).update(resume_hebdo=recevoir)
    abonnement.resume_hebdo = recevoir


def nom_abonnement(abonnement):
    """« Centre social Territoire Sud (direction) », « Mission locale (compte partenaire) »."""
    if isinstance(abonnement, Membre):
        return f"{abonnement.structure.nom} ({abonnement.get_role_display().lower()})"
    return f"{abonnement.partenaire.nom} (compte partenaire)"


@dataclass
class Resume:
    abonnement: object
    sujet: str
    texte: str
    html: str
    lien_desinscription: str  # the same in the text and in the List-Unsubscribe header


def composer(abonnement, maintenant=None):
    """The digest of one subscription, or None when there is nothing to say this week (no
    e-mail then)."""
    maintenant = maintenant or timezone.now()
    depuis = abonnement.resume_envoye_le or maintenant - SEMAINE
    user = abonnement.user
    contexte = {
        "user": user,
        "site": settings.SITE_URL,
        "depuis": depuis,
        "abonnement": nom_abonnement(abonnement),
        "lien_desinscription": lien_desinscription(abonnement),
        "lien_emails": settings.SITE_URL + reverse("mes_emails"),
    }
    if isinstance(abonnement, ComptePartenaire):
        actions = a_faire.pour_le_partenaire(user, depuis, [abonnement.partenaire])
        contexte["actions"] = [a for a in actions if a.changements]
        if not contexte["actions"]:
            return None
        sujet = f"{abonnement.partenaire.nom} : ce qui a changé dans vos actions"
    elif abonnement.role == Membre.Role.DIRECTION:
        (tableau,) = a_faire.pour_la_direction(user, [abonnement.structure], depuis=depuis)
        if tableau.rien_a_signaler:
            return None
        contexte["tableau"] = tableau
        sujet = f"{abonnement.structure.nom} : ce qui reste à faire cette semaine"
    else:
        fiches = a_faire.pour_l_equipe(user, [abonnement.structure])
        contexte["fiches"] = [f for f in fiches if f.manques]
        if not contexte["fiches"]:
            return None
        sujet = f"{abonnement.structure.nom} : vos fiches à compléter"
    return Resume(
        abonnement,
        sujet,
        render_to_string("emails/resume.txt", contexte),
        render_to_string("emails/resume.html", contexte),
        contexte["lien_desinscription"],
    )


def envoyer(resume, maintenant=None):
    """Send the digest, and note when (the next run skips it for six days)."""
    lien = resume.lien_desinscription
    message = EmailMultiAlternatives(
        resume.sujet,
        resume.texte,
        to=[resume.abonnement.user.email],
        headers={
            "List-Unsubscribe": f"<{lien}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(resume.html, "text/html")
    message.send()
    moment = maintenant or timezone.now()
    type(resume.abonnement).objects.filter(pk=resume.abonnement.pk).update(resume_envoye_le=moment)
