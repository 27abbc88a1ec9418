"""GDPR: find everything the instance holds about one person, export it, or anonymise it.

A person is an account (found by username or e-mail) and/or an e-mail address that partners'
contacts and invitations may carry without any account."""

import io
import re
import unicodedata
from functools import reduce
from operator import or_

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from actions.models import CommentairePartenaire, FicheAction
from dossier.models import ExportDossier
from evaluation.models import BilanAction, Resultat
from partenaires.models import ComptePartenaire, ContactPartenaire, Invitation
from projets.models import Consultation, Membre

User = get_user_model()


def normaliser(texte):
    return unicodedata.normalize("NFKC", texte).casefold()


def motif_mention(mention):
    """The mention as a word of its own, whatever spaces or line breaks the PDF's text puts
    between its words: « Camille Martin » is not « Camille Martinez », nor is « camille@… »
    inside « marie.camille@… »."""
    mots = r"\s*".join(re.escape(mot) for mot in normaliser(mention).split())
    return rf"(?<![\w.+-]){mots}(?!\w)"


def pdf_mentionne(pdf, motif):
    """Whether the PDF's text holds the pattern; read a page at a time, stopping at the first
    match. A PDF that cannot be read may print anyone: it counts as a mention."""
    try:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            if re.search(motif, normaliser(page.extract_text() or "")):
                return True
    except PyPdfError:
        return True
    return False


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

    def sous_ses_noms(self):
        """What the person types in the login form: the account's name, or an e-mail."""
        noms = [Q(username__iexact=e) for e in self.emails]
        if self.user:
            noms.append(Q(username=self.user.username))
        return reduce(or_, noms)

    def traces_de_connexion(self):
        """django-axes' records (logins, attempts, failures) of the person, by model: under a
        name they log in with, and, at the addresses of their successful logins, those under no
        other account.

        An address is often shared (the centre's office, a family's box): what another account
        recorded there is that account's login history and its running lockout, which erasing
        this person must not wipe out. What is left at the address (a mistyped name, an
        account's former name) is taken to be theirs."""
        adresses = set(
            AccessLog.objects.filter(self.sous_ses_noms())
            .exclude(ip_address=None)
            .values_list("ip_address", flat=True)
        )
        autre_compte = User.objects.filter(
            Q(username=OuterRef("username")) | Q(email__iexact=OuterRef("username"))
        )
        if self.user:
            autre_compte = autre_compte.exclude(pk=self.user.pk)
        les_siennes = self.sous_ses_noms() | Q(ip_address__in=adresses) & ~Exists(autre_compte)
        return {
            m: m.objects.filter(les_siennes) for m in (AccessLog, AccessAttempt, AccessFailureLog)
        }

    def fiches_referent(self):
        fiches = FicheAction.objects.select_related("axe", "projet__structure")
        return self.a_moi(fiches, "referent")

    def dossiers_exportes(self):
        """The stored dossier exports that print the person: every export of a projet where they
        are référent of a fiche (« Référent : Camille Martin », finished or still rendering), and
        the finished ones whose text holds their full name or e-mail (typed in a fiche, a
        section…). Bounded: a projet keeps only its latest finished export, so there are at most
        as many PDFs to read as projets; they are read one at a time, each until the first page
        that names the person."""
        exports = ExportDossier.objects.sans_pdf().select_related("projet__structure")
        trouves = list(
            exports.filter(projet__in=self.fiches_referent().values("projet")).exclude(
                statut=ExportDossier.Statut.ECHEC
            )
        )
        # A name of one word (« Camille ») would match every dossier that mentions anyone so named.
        nom = self.user.get_full_name() if self.user else ""
        mentions = [*([nom] if len(nom.split()) > 1 else []), *self.emails]
        if not mentions:
            return trouves
        motif = "|".join(motif_mention(m) for m in mentions)
        a_lire = (
            ExportDossier.objects.filter(statut=ExportDossier.Statut.TERMINE, pdf__isnull=False)
            .exclude(pk__in=[e.pk for e in trouves])
            .values_list("pk", flat=True)
        )
        for pk in list(a_lire):
            pdf = ExportDossier.objects.filter(pk=pk).values_list("pdf", flat=True).first()
            if pdf is not None and pdf_mentionne(bytes(pdf), motif):
                trouves.append(exports.get(pk=pk))
        return sorted(trouves, key=lambda e: e.pk)

    def exporter(self):
        """Everything about the person, as JSON-serialisable data (French keys)."""
        u = self.user
        traces = self.traces_de_connexion()
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
            "dossiers_exportes": [
                {
                    "structure": e.projet.structure.nom,
                    "projet": str(e.projet),
                    "exporte_le": e.termine_le or e.demande_le,
                    "statut": e.get_statut_display(),
                }
                for e in self.dossiers_exportes()
            ],
            "connexions": [
                {
                    "le": c.attempt_time,
                    "identifiant": c.username,
                    "adresse_ip": c.ip_address,
                    "navigateur": c.user_agent,
                    "deconnexion": c.logout_time,
                }
                for c in traces[AccessLog]
            ],
            "tentatives_de_connexion": [
                {
                    "le": t.attempt_time,
                    "identifiant": t.username,
                    "adresse_ip": t.ip_address,
                    "navigateur": t.user_agent,
                    "echecs": t.failures_since_start,
                }
                for t in traces[AccessAttempt]
            ],
            "echecs_de_connexion": [
                {
                    "le": e.attempt_time,
                    "identifiant": e.username,
                    "adresse_ip": e.ip_address,
                    "navigateur": e.user_agent,
                    "verrouille": e.locked_out,
                }
                for e in traces[AccessFailureLog]
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

        # Found before the référent mentions go, which point to some of them. Without its last
        # export, the projet's dossier page offers to export it again.
        dossiers = self.dossiers_exportes()
        ExportDossier.objects.filter(pk__in=[e.pk for e in dossiers]).delete()
        noter(
            len(dossiers),
            "dossier(s) exporté(s) qui la nomment supprimé(s), à exporter de nouveau : "
            + ", ".join(sorted({f"{e.projet.structure.nom}, {e.projet}" for e in dossiers})),
        )
        supprimees = {
            modele: traces.delete()[1].get(modele._meta.label, 0)
            for modele, traces in self.traces_de_connexion().items()
        }
        noter(
            sum(supprimees.values()),
            f"trace(s) de connexion supprimée(s) ({supprimees[AccessLog]} connexion(s), "
            f"{supprimees[AccessAttempt]} tentative(s), {supprimees[AccessFailureLog]} échec(s))",
        )
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
