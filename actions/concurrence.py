"""Safe concurrent editing of a fiche: nothing saved by someone else is ever silently overwritten.

The editor receives, in a signed hidden field, the state of the fiche and of all its rows as it
was when the form was opened. On save, under a lock on the fiche row, the current state is
compared with it: any difference (made in another tab, by a colleague, in the admin…) refuses the
save and shows what changed, with the user's input kept to re-apply.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.utils import timezone

from centresocial.lib.nombres import format_nombre

from .forms import FicheForm
from .models import LIGNES_EDITEUR, LIGNES_FICHE, FicheAction

SEL = "actions.fiche.etat"
# The fiche's own fields as the editor shows them, plus where it sits in the arbre; its rows'
# fields are those `LIGNES_FICHE` says the editor edits.
CHAMPS_FICHE = ["axe", "numero", *FicheForm.Meta.fields]


def valeur_comparable(objet, champ):
    """A field's value as plain data that survives the signed token (a related object's id)."""
    attname = objet._meta.get_field(champ).attname
    valeur = getattr(objet, attname)
    return None if valeur is None else str(valeur)


def etat(fiche):
    """The fiche and its rows as plain, comparable data (read fresh from the database)."""
    fiche = FicheAction.objects.prefetch_related(*(sorte.nom for sorte in LIGNES_FICHE)).get(
        pk=fiche.pk
    )
    return {
        "fiche": {champ: valeur_comparable(fiche, champ) for champ in CHAMPS_FICHE},
        "objectifs": sorted(
            [lien.objectif_id, lien.principal] for lien in fiche.liens_objectifs.all()
        ),
        "annees": sorted(a.annee for a in fiche.annees.all()),
        **{
            sorte.nom: [
                {
                    "id": ligne.pk,
                    **{champ: valeur_comparable(ligne, champ) for champ in sorte.champs},
                }
                for ligne in getattr(fiche, sorte.nom).all()
            ]
            for sorte in LIGNES_EDITEUR
        },
    }


def signer(etat_ouvert, sel=SEL):
    """The token of a form's state when opened (`sel` tells one kind of form from another)."""
    return signing.dumps(
        {"etat": etat_ouvert, "ouvert_le": timezone.now().isoformat()}, salt=sel, compress=True
    )


def lire(jeton, sel=SEL):
    """The state the form was opened with, or None when the token is missing or forged."""
    try:
        return signing.loads(jeton or "", salt=sel)
    except signing.BadSignature:
        return None


@dataclass
class Difference:
    rubrique: str
    detail: str


def valeur_affichee(objet, champ):
    """A field of the fiche (or of another object) as a user reads it: labels for choices,
    names for relations, numbers as the page prints them."""
    if objet is None:
        return ""
    field = objet._meta.get_field(champ)
    if field.choices:
        return getattr(objet, f"get_{champ}_display")() or "(vide)"
    valeur = getattr(objet, champ)
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return format_nombre(valeur)
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
    for sorte in LIGNES_EDITEUR:
        libelle = str(sorte.verbose_name_plural)
        anciennes = {ligne["id"]: ligne for ligne in avant[sorte.nom]}
        nouvelles = {ligne["id"]: ligne for ligne in apres[sorte.nom]}
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
