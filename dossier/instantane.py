"""The plan of a projet as data (`instantane`), frozen when the dossier goes to the CAF, and
what changed between two plans (`comparer`): the questions of the CAF's mid-term review
(which fiches were added, dropped, moved in the arbre; their years, targets and partners).

A plan is plain JSON: it is stored as it is (`ArchiveDossier.plan`) and must stay readable by
later code. Rows are matched by their id; what is shown is the text of each moment."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.models import FicheAction, FicheObjectif
from centresocial.lib.nombres import format_nombre

VERSION = 1


def instantane(projet):
    """The projet's plan now: per fiche, its place in the arbre (axe, enjeux, objectifs), its
    years, its indicators with their targets, its partners (6 queries)."""
    liens = FicheObjectif.objects.select_related("objectif__enjeu").order_by("ordre", "pk")
    fiches = (
        FicheAction.objects.du_projet(projet)
        .select_related("axe")
        .prefetch_related(
            Prefetch("liens_objectifs", queryset=liens),
            "annees",
            "indicateurs__cibles",
            "partenariats__partenaire",
        )
    )
    return {"version": VERSION, "fiches": [fiche_en_donnees(f) for f in fiches]}


def fiche_en_donnees(fiche):
    return {
        "id": fiche.pk,
        "reference": fiche.reference,
        "titre": fiche.titre,
        "axe": {"id": fiche.axe_id, "libelle": str(fiche.axe)},
        "objectifs": [
            {
                "id": lien.objectif_id,
                "enjeu": lien.objectif.enjeu_id,
                "libelle": libelle_objectif(lien.objectif),
            }
            for lien in fiche.liens_objectifs.all()
        ],
        "annees": sorted(a.annee for a in fiche.annees.all()),
        "indicateurs": [
            {
                "id": indicateur.pk,
                "libelle": indicateur.libelle,
                "cible": texte_cible(indicateur),
                "cibles": {
                    str(c.annee): format_nombre(c.valeur)
                    for c in sorted(indicateur.cibles.all(), key=lambda c: c.annee)
                },
            }
            for indicateur in fiche.indicateurs.all()
        ],
        "partenaires": sorted({p.partenaire.nom for p in fiche.partenariats.all()}),
    }


def libelle_objectif(objectif):
    if objectif.enjeu_id:
        return f"Enjeu n° {objectif.enjeu.numero} › {objectif.titre}"
    return objectif.titre


def texte_cible(indicateur):
    """« 120 personnes (80 à 120) »: the période's target as the dossier reads it."""
    texte = " ".join(v for v in (format_nombre(indicateur.cible), indicateur.unite) if v)
    if indicateur.cible_precision:
        texte = f"{texte} ({indicateur.cible_precision})" if texte else indicateur.cible_precision
    return texte


# --- Comparing two plans -------------------------------------------------------------------


@dataclass
class Changement:
    sujet: str  # « Place dans l'arbre », « Années », « Cible : Nombre de familles »…
    avant: str
    apres: str
    genre: str = "fiche"  # place, annees, cibles, partenaires, fiche


@dataclass
class FicheModifiee:
    fiche: dict  # today's
    avant: dict  # the agreed plan's
    changements: list

    @property
    def deplacee(self):
        return any(c.genre == "place" for c in self.changements)


@dataclass
class Comparaison:
    ajoutees: list = field(default_factory=list)
    retirees: list = field(default_factory=list)
    modifiees: list = field(default_factory=list)
    inchangees: int = 0

    @property
    def deplacees(self):
        return [m for m in self.modifiees if m.deplacee]

    @property
    def identiques(self):
        return not (self.ajoutees or self.retirees or self.modifiees)


def comparer(avant, apres):
    """What changed from plan `avant` (the agreed one) to plan `apres` (today's)."""
    anciennes = {f["id"]: f for f in avant.get("fiches", [])}
    nouvelles = {f["id"]: f for f in apres.get("fiches", [])}
    resultat = Comparaison(
        ajoutees=[f for pk, f in nouvelles.items() if pk not in anciennes],
        retirees=[f for pk, f in anciennes.items() if pk not in nouvelles],
    )
    for pk, fiche in nouvelles.items():
        if pk not in anciennes:
            continue
        if changements := changements_fiche(anciennes[pk], fiche):
            resultat.modifiees.append(FicheModifiee(fiche, anciennes[pk], changements))
        else:
            resultat.inchangees += 1
    return resultat


def liste(valeurs, vide="aucun"):
    return ", ".join(str(v) for v in valeurs) or vide


def changements_fiche(avant, apres):
    changements = []
    if avant["titre"] != apres["titre"]:
        changements.append(Changement("Titre", avant["titre"], apres["titre"]))
    place_avant = (avant["axe"]["id"], {(o["id"], o["enjeu"]) for o in avant["objectifs"]})
    place_apres = (apres["axe"]["id"], {(o["id"], o["enjeu"]) for o in apres["objectifs"]})
    if place_avant != place_apres or avant["reference"] != apres["reference"]:
        changements.append(
            Changement("Place dans l'arbre", texte_place(avant), texte_place(apres), "place")
        )
    if avant["annees"] != apres["annees"]:
        changements.append(
            Changement("Années", liste(avant["annees"]), liste(apres["annees"]), "annees")
        )
    changements += changements_indicateurs(avant["indicateurs"], apres["indicateurs"])
    if avant["partenaires"] != apres["partenaires"]:
        retires = [p for p in avant["partenaires"] if p not in apres["partenaires"]]
        ajoutes = [p for p in apres["partenaires"] if p not in avant["partenaires"]]
        changements.append(
            Changement(
                "Partenaires",
                liste(avant["partenaires"]),
                liste(apres["partenaires"])
                + "".join(
                    f" ({texte})"
                    for texte in (
                        ajoutes and f"ajouté{'s' if len(ajoutes) > 1 else ''} : {liste(ajoutes)}",
                        retires and f"retiré{'s' if len(retires) > 1 else ''} : {liste(retires)}",
                    )
                    if texte
                ),
                "partenaires",
            )
        )
    return changements


def texte_place(fiche):
    objectifs = " ; ".join(o["libelle"] for o in fiche["objectifs"]) or "aucun objectif"
    return f"{fiche['reference']} · {fiche['axe']['libelle']} · {objectifs}"


def texte_cibles(indicateur):
    morceaux = [f"période : {indicateur['cible']}"] if indicateur["cible"] else []
    morceaux += [f"{annee} : {valeur}" for annee, valeur in indicateur["cibles"].items()]
    return " ; ".join(morceaux) or "sans cible"


def cibles_changees(ancien, nouveau):
    """Only the targets that changed (the période's, then year by year), before and after."""
    avant, apres = [], []
    if ancien["cible"] != nouveau["cible"]:
        avant.append(f"période : {ancien['cible'] or 'sans cible'}")
        apres.append(f"période : {nouveau['cible'] or 'sans cible'}")
    for annee in sorted({*ancien["cibles"], *nouveau["cibles"]}):
        valeurs = ancien["cibles"].get(annee), nouveau["cibles"].get(annee)
        if valeurs[0] != valeurs[1]:
            avant.append(f"{annee} : {valeurs[0] or 'sans cible'}")
            apres.append(f"{annee} : {valeurs[1] or 'sans cible'}")
    return " ; ".join(avant), " ; ".join(apres)


def changements_indicateurs(avant, apres):
    anciens = {i["id"]: i for i in avant}
    nouveaux = {i["id"]: i for i in apres}
    changements = []
    for pk, indicateur in nouveaux.items():
        sujet = f"Indicateur « {indicateur['libelle']} »"
        ancien = anciens.get(pk)
        if ancien is None:
            changements.append(
                Changement(sujet, "—", f"ajouté ({texte_cibles(indicateur)})", "cibles")
            )
        elif (ancien["cible"], ancien["cibles"]) != (indicateur["cible"], indicateur["cibles"]):
            avant_texte, apres_texte = cibles_changees(ancien, indicateur)
            changements.append(
                Changement(
                    f"Cible de l'indicateur « {indicateur['libelle']} »",
                    avant_texte,
                    apres_texte,
                    "cibles",
                )
            )
    for pk, indicateur in anciens.items():
        if pk not in nouveaux:
            changements.append(
                Changement(
                    f"Indicateur « {indicateur['libelle']} »",
                    texte_cibles(indicateur),
                    "retiré",
                    "cibles",
                )
            )
    return changements
