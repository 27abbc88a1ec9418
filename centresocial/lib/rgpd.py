"""GDPR: find everything the instance holds about one person, export it, or anonymise it.

A person is an account (found by username or e-mail) and/or an e-mail address that partners'
contacts and invitations may carry without any account."""

from functools import reduce
from operator import or_

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import FicheAction
from evaluation.models import BilanAction, Resultat
from partenaires.models import (
    CommentairePartenaire,
    ComptePartenaire,
    ContactPartenaire,
    Invitation,
)
from projets.models import Consultation, Membre

User = get_user_model()


class Personne:
    def __init__(self, identifiant):
        identifiant = identifiant.strip()
        comptes = []
        if identifiant:
            comptes = list(User.objects.filter(username=identifiant)) or list(
                User.objects.filter(email__iexact=identifiant)
            )
        if len(comptes) > 1:
            noms = ", ".join(sorted(c.username for c in comptes))
            raise CommandError(
                f"Plusieurs comptes ont l'adresse « {identifiant} » ({noms}) : "
                "indiquez l'identifiant du compte."
            )
        self.user = comptes[0] if comptes else None
        self.emails = {e.lower() for e in [self.user and self.user.email] if e}
        if "@" in identifiant:
            self.emails.add(identifiant.lower())
        if self.user is None and not self.emails:
            raise CommandError(f"Aucun compte n'a l'identifiant ou l'adresse « {identifiant} ».")

    def par_email(self, queryset):
        if not self.emails:
            return queryset.none()
        return queryset.filter(reduce(or_, (Q(email__iexact=e) for e in self.emails)))

    def a_moi(self, queryset, champ):
        return queryset.filter(**{champ: self.user}) if self.user else queryset.none()

    # --- what is held ---

    def contacts(self):
        return self.par_email(ContactPartenaire.objects.select_related("partenaire"))

    def invitations(self):
        return self.par_email(Invitation.objects.select_related("partenaire"))

    def connexions(self, modele=AccessLog):
        """django-axes' login records (username, address, browser) under the account's name."""
        return (
            modele.objects.filter(username=self.user.username)
            if self.user
            else modele.objects.none()
        )

    def fiches_referent(self):
        fiches = FicheAction.objects.select_related("axe", "projet__structure")
        return self.a_moi(fiches, "referent")

    def exporter(self):
        """Everything about the person, as JSON-serialisable data (French keys)."""
        u = self.user
        return {
            "compte": u
            and {
                "identifiant": u.username,
                "prenom": u.first_name,
                "nom": u.last_name,
                "email": u.email,
                "actif": u.is_active,
                "inscrit_le": u.date_joined,
                "derniere_connexion": u.last_login,
                "groupes": [g.name for g in u.groups.all()],
            },
            "adhesions": [
                {"structure": m.structure.nom, "role": m.get_role_display()}
                for m in self.a_moi(Membre.objects.select_related("structure"), "user")
            ],
            "fiches_referent": [
                {"fiche": str(f), "projet": str(f.projet), "structure": f.projet.structure.nom}
                for f in self.fiches_referent()
            ],
            "contacts_partenaires": [
                {
                    "partenaire": c.partenaire.nom,
                    "nom": c.nom,
                    "fonction": c.fonction,
                    "email": c.email,
                    "telephone": c.telephone,
                }
                for c in self.contacts()
            ],
            "invitations": [
                {"partenaire": i.partenaire.nom, "email": i.email, "envoyee_le": i.cree_le}
                for i in self.invitations()
            ],
            "comptes_partenaires": [
                {"partenaire": c.partenaire.nom, "cree_le": c.cree_le}
                for c in self.a_moi(ComptePartenaire.objects.select_related("partenaire"), "user")
            ],
            "commentaires": [
                {
                    "fiche": str(c.fiche),
                    "nature": c.get_nature_display(),
                    "texte": c.texte,
                    "ecrit_le": c.cree_le,
                }
                for c in self.a_moi(
                    CommentairePartenaire.objects.select_related("fiche__axe"), "auteur"
                )
            ],
            "resultats_saisis": [
                {"indicateur": str(r.indicateur), "annee": r.annee, "modifie_le": r.modifie_le}
                for r in self.a_moi(Resultat.objects.select_related("indicateur"), "saisi_par")
            ],
            "bilans_saisis": [
                {"fiche": str(b.fiche), "annee": b.annee}
                for b in self.a_moi(BilanAction.objects.select_related("fiche__axe"), "saisi_par")
            ],
            "historique": [
                {
                    "le": e.timestamp,
                    "action": e.get_action_display(),
                    "objet": e.object_repr,
                    "type": e.content_type.name,
                    "changements": e.changes,
                    "adresse_ip": e.remote_addr,
                }
                for e in self.a_moi(LogEntry.objects.select_related("content_type"), "actor")
            ],
            "connexions": [
                {
                    "le": c.attempt_time,
                    "adresse_ip": c.ip_address,
                    "navigateur": c.user_agent,
                    "deconnexion": c.logout_time,
                }
                for c in self.connexions()
            ],
            "double_authentification": [
                {"appareil": d.name, "confirme": d.confirmed, "cree_le": d.created_at}
                for d in self.a_moi(TOTPDevice.objects, "user")
            ],
            "consultations": [
                {"le": c.le, "page": c.page, "objet": c.libelle}
                for c in self.a_moi(Consultation.objects.all(), "utilisateur")
            ],
        }

    @transaction.atomic
    def anonymiser(self):
        """Erase or anonymise it all, at once; returns what was done, one French line each."""
        fait = []

        def noter(nombre, texte):
            if nombre:
                fait.append(f"{nombre} {texte}")

        noter(
            self.contacts().update(nom="Contact anonymisé", fonction="", email="", telephone=""),
            "contact(s) de partenaire anonymisé(s)",
        )
        noter(self.invitations().delete()[0], "invitation(s) supprimée(s)")
        if self.user:
            u = self.user
            noter(self.fiches_referent().update(referent=None), "mention(s) de référent retirée(s)")
            noter(
                self.a_moi(CommentairePartenaire.objects, "auteur").update(auteur=None),
                "commentaire(s) détaché(s) de leur auteur",
            )
            noter(
                self.a_moi(Consultation.objects, "utilisateur").delete()[0],
                "entrée(s) du journal des consultations supprimée(s)",
            )
            # The history keeps what was changed, by an account now anonymous: no e-mail, no IP.
            noter(
                self.a_moi(LogEntry.objects, "actor").update(
                    actor_email=None, remote_addr=None, remote_port=None
                ),
                "entrée(s) d'historique sans adresse e-mail ni adresse IP",
            )
            noter(
                sum(
                    self.connexions(m).delete()[0]
                    for m in (AccessLog, AccessAttempt, AccessFailureLog)
                ),
                "trace(s) de connexion supprimée(s)",
            )
            noter(
                self.a_moi(TOTPDevice.objects, "user").delete()[0],
                "appareil(s) de double authentification supprimé(s)",
            )
            noter(self.a_moi(Membre.objects, "user").delete()[0], "adhésion(s) supprimée(s)")
            noter(
                self.a_moi(ComptePartenaire.objects, "user").delete()[0],
                "rattachement(s) à un partenaire supprimé(s)",
            )
            ancien = u.username
            u.username = f"anonyme-{u.pk}"
            u.first_name = u.last_name = u.email = ""
            u.is_active = u.is_staff = u.is_superuser = False
            u.set_unusable_password()
            u.save()
            u.groups.clear()
            u.user_permissions.clear()
            fait.append(f"compte « {ancien} » désactivé et renommé « {u.username} »")
        return fait
