"""E-mail reminders to the direction before each step of the renewal's timeline, sent by
`manage.py rappels_renouvellement` (run every morning by cron, README « Déployer en
production »).

A step not done gets a reminder at each threshold of `SEUILS_RAPPEL` (projets/calendrier.py),
each once: the last one sent is kept on its `EtapeRenouvellement` (stored from its proposed date
when the direction has not dated it), and a new date given by the direction starts them again.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from projets.calendrier import (
    STATUTS_AVEC_CALENDRIER,
    EtapeDatee,
    en_clair,
    etapes_du_projet,
    rappel_du,
    seuil_de_rappel,
    seuils_en_clair,
)
from projets.models import EtapeRenouvellement, Membre, ProjetSocial


@dataclass
class Rappel:
    etape: EtapeDatee
    seuil: int
    jours: int
    destinataires: list

    @property
    def projet(self):
        return self.etape.projet

    def sujet(self):
        return (
            f"Calendrier du renouvellement : « {self.etape.libelle} » {en_clair(self.jours)} "
            f"({self.projet.structure.nom})"
        )

    def corps(self):
        contexte = {
            "etape": self.etape,
            "projet": self.projet,
            "quand": en_clair(self.jours),
            "lien": settings.SITE_URL + reverse("projets:calendrier", args=[self.projet.pk]),
            "seuils": seuils_en_clair(),
        }
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string("projets/email_rappel_renouvellement.txt", contexte)


def adresses_des_directions(structures):
    """The e-mail addresses of each structure's direction (active accounts with an address)."""
    adresses = defaultdict(list)
    membres = (
        Membre.objects.filter(
            structure__in=structures, role=Membre.Role.DIRECTION, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("structure_id", "user__email")
    )
    for structure_id, email in membres:
        adresses[structure_id].append(email)
    return adresses


def rappels_dus(aujourdhui):
    """The reminders to send today, one per step (its direction's addresses with it)."""
    projets = (
        ProjetSocial.objects.filter(statut__in=STATUTS_AVEC_CALENDRIER)
        .select_related("structure")
        .prefetch_related("etapes_renouvellement")
        .order_by("pk")
    )
    adresses = adresses_des_directions({projet.structure_id for projet in projets})
    rappels = []
    for projet in projets:
        stockees = {e.etape: e for e in projet.etapes_renouvellement.all()}
        for etape in etapes_du_projet(projet):
            if etape.faite_le is not None:
                continue
            jours = etape.jours_restants(aujourdhui)
            seuil = seuil_de_rappel(jours)
            if rappel_du(stockees.get(etape.etape), seuil):
                rappels.append(Rappel(etape, seuil, jours, adresses[projet.structure_id]))
    return rappels


def noter_envoi(rappel):
    """Keep the threshold sent, on the stored step (stored now from its proposed date)."""
    EtapeRenouvellement.objects.update_or_create(
        projet=rappel.projet,
        etape=rappel.etape.etape,
        defaults={"rappel_envoye_a": rappel.seuil},
        create_defaults={"date": rappel.etape.date, "rappel_envoye_a": rappel.seuil},
    )


@dataclass
class Bilan:
    rappels: int = 0
    emails: int = 0
    sans_destinataire: int = 0


def envoyer_rappels(aujourdhui, simuler=False):
    """Send today's reminders (with `simuler`, only count them: nothing sent nor noted)."""
    bilan = Bilan()
    connexion = None if simuler else get_connection()
    for rappel in rappels_dus(aujourdhui):
        if not rappel.destinataires:
            # Noted once someone of the direction has an address, if still due then.
            bilan.sans_destinataire += 1
            continue
        bilan.rappels += 1
        bilan.emails += len(rappel.destinataires)
        if simuler:
            continue
        sujet, corps = rappel.sujet(), rappel.corps()
        connexion.send_messages(
            [EmailMessage(sujet, corps, None, [adresse]) for adresse in rappel.destinataires]
        )
        noter_envoi(rappel)
    return bilan
