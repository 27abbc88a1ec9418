"""The dossier's chapter choice and the rapport d'activité of a year: the same people as the
dossier's export (its direction and équipe, admins); anyone else a 404."""

from django.urls import reverse

from tests.factories import ArchiveDossierFactory, RapportActiviteFactory

from . import DIRECTION_1, DIRECTION_1_POST, EQUIPE_1, EQUIPE_1_POST

ANNEE = 2025


def rapport(nom, post=None):
    def construire(o):
        url = reverse(nom, args=[o.projet_1.pk, ANNEE])
        return (url, "post", post) if post is not None else url

    return construire


def telecharger(o):
    fichier = RapportActiviteFactory(projet=o.projet_1, annee=ANNEE, termine=True)
    return reverse("dossier:rapport_telecharger", args=[o.projet_1.pk, ANNEE, fichier.pk])


def archive(nom, post=None, **etat):
    def construire(o):
        fichier = ArchiveDossierFactory(projet=o.projet_1, **etat)
        url = reverse(nom, args=[o.projet_1.pk, fichier.pk])
        return (url, "post", post) if post is not None else url

    return construire


ENTREES = {
    "dossier:reglages": (
        lambda o: (
            reverse("dossier:reglages", args=[o.projet_1.pk]),
            "post",
            {"chapitre_evaluation": "on"},
        ),
        EQUIPE_1_POST,
    ),
    # To the page of the year the evaluation dashboard opens on.
    "dossier:rapport": (lambda o: reverse("dossier:rapport", args=[o.projet_1.pk]), EQUIPE_1_POST),
    "dossier:rapport_annee": (rapport("dossier:rapport_annee"), EQUIPE_1),
    "dossier:rapport_exporter": (rapport("dossier:rapport_exporter", post={}), EQUIPE_1_POST),
    "dossier:rapport_etat": (rapport("dossier:rapport_etat"), EQUIPE_1),
    "dossier:rapport_telecharger": (telecharger, EQUIPE_1),
    "dossier:rapport_apercu": (rapport("dossier:rapport_apercu"), EQUIPE_1),
    # The dossiers sent to the CAF: listed to the équipe, downloaded and retried by the direction.
    "dossier:archives_etat": (
        lambda o: reverse("dossier:archives_etat", args=[o.projet_1.pk]),
        EQUIPE_1,
    ),
    "dossier:archive_telecharger": (
        archive("dossier:archive_telecharger", termine=True),
        DIRECTION_1,
    ),
    "dossier:archive_relancer": (
        archive("dossier:archive_relancer", post={}, statut="echec"),
        DIRECTION_1_POST,
    ),
    "dossier:comparaison": (
        lambda o: reverse("dossier:comparaison", args=[o.projet_1.pk]),
        EQUIPE_1,
    ),
}
