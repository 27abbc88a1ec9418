"""« Historique »: who changed what, and when, in a projet's content (read from django-auditlog).

Every registered model says in `get_additional_data()` which projet (and fiche) it belongs to,
so the history of a fiche gathers its own entries and those of its rows, even deleted ones. The
log keeps a link as the linked row's id; the history shows it by its name (`noms_des_liens`).
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
    entrees = list(entrees)
    noms = noms_des_liens(entrees)
    return [presenter_entree(entree, noms) for entree in entrees]


def presenter_entree(entree, noms=None):
    noms = noms_des_liens([entree]) if noms is None else noms
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
                    avant=valeur_lisible(modele, nom, avant, noms),
                    apres=valeur_lisible(modele, nom, apres, noms),
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


def lien(modele, nom):
    """The field `nom` of `modele` when it points to another row (the log keeps its id)."""
    if modele is None:
        return None
    try:
        champ = modele._meta.get_field(nom)
    except FieldDoesNotExist:
        return None
    return champ if champ.many_to_one or champ.one_to_one else None


def cle(champ, valeur):
    """The id the log wrote for a link, as its model's primary key; None for no link, or for
    something else than an id (a value written before the field was a link)."""
    if valeur in (None, "", "None"):
        return None
    try:
        return champ.target_field.to_python(valeur)
    except ValidationError:
        return None


def nom_affiche(objet):
    """A row as the pages name it: a person by their name, anything else as it prints itself."""
    if isinstance(objet, AbstractBaseUser):
        return objet.get_full_name() or objet.get_username()
    return str(objet)


def noms_des_liens(entrees):
    """{(model, id): name} of every row the changes of `entrees` link to, in one query per model
    linked to (the log keeps ids: « 2 » is a person, an axe, a partner…)."""
    cles = {}
    for entree in entrees:
        if entree.action != LogEntry.Action.UPDATE:
            continue
        modele = entree.content_type.model_class()
        for nom, valeurs in (entree.changes_dict or {}).items():
            champ = lien(modele, nom)
            if champ is None:
                continue
            for valeur in valeurs:
                if (pk := cle(champ, valeur)) is not None:
                    cles.setdefault(champ.related_model, set()).add(pk)
    noms = {}
    for modele, pks in cles.items():
        # The base manager: a row a default manager hides is still the one the log points to.
        for objet in modele._base_manager.filter(pk__in=pks):
            noms[modele, objet.pk] = nom_affiche(objet)
    return noms


def valeur_lisible(modele, nom, valeur, noms):
    """A logged value as a user reads it; `noms` holds the names of linked rows
    (`noms_des_liens`)."""
    if valeur in (None, "", "None"):
        return VIDE
    if modele is None:
        return str(valeur)
    try:
        champ = modele._meta.get_field(nom)
    except FieldDoesNotExist:
        return str(valeur)
    if champ.many_to_one or champ.one_to_one:
        pk = cle(champ, valeur)
        if pk is None:
            return str(valeur)
        nom_lie = noms.get((champ.related_model, pk))
        if nom_lie is None:
            return f"{champ.related_model._meta.verbose_name} n° {pk}, qui n'existe plus"
        return nom_lie
    if champ.choices:
        choix = {str(code): libelle for code, libelle in champ.flatchoices}
        return str(choix.get(str(valeur), valeur))
    if champ.get_internal_type() == "BooleanField":
        return "oui" if str(valeur) in {"True", "true", "1"} else "non"
    return str(valeur)
