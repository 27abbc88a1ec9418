"""Safe concurrent editing of a fiche: nothing saved by someone else is ever silently overwritten.

The editor receives, in a signed hidden field, the state of the fiche and of all its rows as it
was when the form was opened. On save, under a lock on the fiche row, the current state is
compared with it: any difference (made in another tab, by a colleague, in the admin…) refuses the
save and shows what changed, with the user's input kept to re-apply.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from .forms import FicheForm
from .models import FicheAction

SEL = "actions.fiche.etat"
# The fiche's own fields as the editor shows them, plus where it sits in the arbre.
CHAMPS_FICHE = ["axe", "numero", *FicheForm.Meta.fields]
# Each kind of row: its related name and the fields that matter.
LIGNES = {
    "objectifs_operationnels": ["libelle"],
    "etapes": ["libelle", "periode", "date_debut", "date_fin"],
    "moyens": ["type", "libelle", "quantite", "montant"],
    "partenariats": ["partenaire", "role", "contribution"],
    "indicateurs": [
        "objet",
        "libelle",
        "outil",
        "nature",
        "unite",
        "valeur_reference",
        "cible",
    ],
}


def _valeur(objet, champ):
    attname = objet._meta.get_field(champ).attname
    valeur = getattr(objet, attname)
    return None if valeur is None else str(valeur)


def etat(fiche):
    """The fiche and its rows as plain, comparable data (read fresh from the database)."""
    fiche = FicheAction.objects.prefetch_related("liens_objectifs", "annees", *LIGNES).get(
        pk=fiche.pk
    )
    return {
        "fiche": {champ: _valeur(fiche, champ) for champ in CHAMPS_FICHE},
        "objectifs": sorted(
            [lien.objectif_id, lien.principal] for lien in fiche.liens_objectifs.all()
        ),
        "annees": sorted(a.annee for a in fiche.annees.all()),
        **{
            nom: [
                {"id": ligne.pk, **{champ: _valeur(ligne, champ) for champ in champs}}
                for ligne in getattr(fiche, nom).all()
            ]
            for nom, champs in LIGNES.items()
        },
    }


def signer(etat_fiche):
    return signing.dumps(
        {"etat": etat_fiche, "ouvert_le": timezone.now().isoformat()}, salt=SEL, compress=True
    )


def lire(jeton):
    """The state the form was opened with, or None when the token is missing or forged."""
    try:
        return signing.loads(jeton or "", salt=SEL)
    except signing.BadSignature:
        return None


@dataclass
class Difference:
    rubrique: str
    detail: str


def valeur_affichee(fiche, champ):
    """A field of the fiche as a user reads it (labels for choices, names for relations)."""
    if fiche is None:
        return ""
    field = FicheAction._meta.get_field(champ)
    if field.choices:
        return getattr(fiche, f"get_{champ}_display")() or "(vide)"
    valeur = getattr(fiche, champ)
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    texte = "" if valeur is None else str(valeur)
    return (texte[:200] + "…") if len(texte) > 200 else (texte or "(vide)")


def differences(avant, apres, fiche=None):
    """What changed between two states, in words a user understands.

    With `fiche` (the current one), changed fields show the value now saved."""
    if avant is None:
        return [
            Difference("Fiche", "Impossible de savoir dans quel état vous aviez ouvert la fiche.")
        ]
    resultat = []
    for champ in CHAMPS_FICHE:
        if avant["fiche"].get(champ) != apres["fiche"].get(champ):
            libelle = FicheAction._meta.get_field(champ).verbose_name
            detail = f"maintenant « {valeur_affichee(fiche, champ)} »" if fiche else "modifié"
            resultat.append(Difference(str(libelle).capitalize(), detail))
    if avant["objectifs"] != apres["objectifs"]:
        resultat.append(Difference("Objectifs généraux", "modifiés"))
    if avant["annees"] != apres["annees"]:
        resultat.append(Difference("Années de réalisation", "modifiées"))
    for nom in LIGNES:
        libelle = str(FicheAction._meta.get_field(nom).related_model._meta.verbose_name_plural)
        anciennes = {ligne["id"]: ligne for ligne in avant[nom]}
        nouvelles = {ligne["id"]: ligne for ligne in apres[nom]}
        ajoutees = len(nouvelles.keys() - anciennes.keys())
        retirees = len(anciennes.keys() - nouvelles.keys())
        modifiees = sum(
            1 for i in anciennes.keys() & nouvelles.keys() if anciennes[i] != nouvelles[i]
        )
        morceaux = [
            f"{n} {mot}"
            for n, mot in [
                (ajoutees, "ajoutée(s)"),
                (modifiees, "modifiée(s)"),
                (retirees, "retirée(s)"),
            ]
            if n
        ]
        if morceaux:
            resultat.append(Difference(libelle.capitalize(), ", ".join(morceaux)))
    return resultat
