"""« Historique »: who changed what, and when, in a projet's content (read from django-auditlog).

Every registered model says in `get_additional_data()` which projet (and fiche) it belongs to,
so the history of a fiche gathers its own entries and those of its rows, even deleted ones.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

ACTIONS = {
    LogEntry.Action.CREATE: "Création",
    LogEntry.Action.UPDATE: "Modification",
    LogEntry.Action.DELETE: "Suppression",
    LogEntry.Action.ACCESS: "Consultation",
}
VIDE = "(vide)"


@dataclass
class Changement:
    champ: str
    avant: str
    apres: str


@dataclass
class Entree:
    quand: object
    qui: str
    action: str
    objet: str
    type_objet: str
    changements: list = field(default_factory=list)


def journal_fiche(fiche):
    """The fiche's log entries, newest first, as a QuerySet (to paginate or slice)."""
    return LogEntry.objects.filter(additional_data__fiche=fiche.pk).select_related(
        "actor", "content_type"
    )


def journal_projet(projet):
    """Every log entry of the projet's content, and of its structure's territoires that its
    dossier prints, newest first, as a QuerySet."""
    return LogEntry.objects.filter(
        Q(additional_data__projet=projet.pk) | Q(additional_data__structure=projet.structure_id)
    ).select_related("actor", "content_type")


def entrees_fiche(fiche, limite=200):
    return presenter(journal_fiche(fiche)[:limite])


def entrees_projet(projet, limite=300):
    return presenter(journal_projet(projet)[:limite])


def presenter(entrees):
    return [presenter_entree(entree) for entree in entrees]


def presenter_entree(entree):
    modele = entree.content_type.model_class()
    qui = "—"
    if entree.actor:
        qui = entree.actor.get_full_name() or entree.actor.get_username()
    changements = []
    if entree.action == LogEntry.Action.UPDATE:
        for nom, valeurs in (entree.changes_dict or {}).items():
            avant, apres = (list(valeurs) + [None, None])[:2]
            changements.append(
                Changement(
                    champ=libelle_champ(modele, nom),
                    avant=valeur_lisible(modele, nom, avant),
                    apres=valeur_lisible(modele, nom, apres),
                )
            )
    return Entree(
        quand=entree.timestamp,
        qui=qui,
        action=ACTIONS.get(entree.action, "—"),
        objet=entree.object_repr,
        type_objet=str(modele._meta.verbose_name) if modele else "",
        changements=changements,
    )


def libelle_champ(modele, nom):
    if modele is None:
        return nom
    try:
        return str(modele._meta.get_field(nom).verbose_name)
    except FieldDoesNotExist:
        return nom


def valeur_lisible(modele, nom, valeur):
    if valeur in (None, "", "None"):
        return VIDE
    if modele is None:
        return str(valeur)
    try:
        champ = modele._meta.get_field(nom)
    except FieldDoesNotExist:
        return str(valeur)
    if champ.choices:
        choix = {str(cle): libelle for cle, libelle in champ.flatchoices}
        return str(choix.get(str(valeur), valeur))
    if champ.get_internal_type() == "BooleanField":
        return "oui" if str(valeur) in {"True", "true", "1"} else "non"
    return str(valeur)
