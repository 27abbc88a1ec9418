"""The figures a fédération reads about the structures it follows, like the national
observatory's: actions by mot clé, public, partner type and dimension, the people mobilised and
reached, the projets by statut and by agrément date, and a line per structure.

Counts only, never a fiche's text. A fixed number of queries whatever the number of structures,
each counted by the database (the bilans' vocabularies are JSON lists, matched by it).

The figures are kept in Django's cache (shared by the servers with REDIS_URL) by fédération and
year: saving or deleting a bilan, a projet or a structure, adding or deleting a fiche, or
changing a fédération's structures, starts a new generation of them (`nouvelle_generation`, connected in apps.py).
Rows written without signals (`bulk_create`, a restore) show after DUREE at most, as do changes
made on another server when each server has its own cache.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from uuid import uuid4

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from actions.models import FicheAction
from evaluation.models import BilanAction
from evaluation.observatoire import Dimension, MotCle, Public, TypePartenaire
from projets.models import ProjetSocial


@dataclass
class LigneStructure:
    pk: int
    nom: str
    ville: str
    partage: bool
    fiches: int = 0
    actions: int = 0
    benevoles: int = 0
    participants: int = 0
    projet: dict | None = None


@dataclass
class Chiffres:
    annee: int | None
    structures: list[LigneStructure]
    actions: int = 0
    salaries: int = 0
    benevoles: int = 0
    participants: int = 0
    mots_cles: list = field(default_factory=list)
    publics: list = field(default_factory=list)
    types_partenaires: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)
    projets_par_statut: list = field(default_factory=list)
    fins_agrement: list = field(default_factory=list)
    decisions_caf: list = field(default_factory=list)
    calcules_le: object = None  # when these figures were counted (they may come from the cache)


# How long the figures are kept at most (seconds).
DUREE = 600
GENERATION = "federation:generation"


def nouvelle_generation(**kwargs):
    """Forget every fédération's figures (a signal receiver: what they count has changed)."""
    cache.set(GENERATION, uuid4().hex, None)


def fiche_creee_ou_supprimee(created=True, **kwargs):
    """A fiche counts by its existence only: editing its text changes no figure."""
    if created:
        nouvelle_generation()


def en_cache(cle, calcul):
    """`calcul()`, kept under `cle` for the current generation of the figures."""
    generation = cache.get(GENERATION)
    if generation is None:
        generation = uuid4().hex
        cache.add(GENERATION, generation, None)
        generation = cache.get(GENERATION, generation)
    return cache.get_or_set(f"federation:{generation}:{cle}", calcul, DUREE)


def comptes_en_cache(federation):
    """`par_structure_et_annee`, from the cache when it is there."""
    return en_cache(f"{federation.pk}:comptes", lambda: par_structure_et_annee(federation))


def chiffres_en_cache(federation, annee, comptes):
    """`chiffres_de`, from the cache when they are there."""
    return en_cache(f"{federation.pk}:{annee}", lambda: chiffres_de(federation, annee, comptes))


def bilans_de(federation):
    return BilanAction.objects.filter(fiche__projet__structure__federations=federation)


def par_structure_et_annee(federation):
    """The bilans' counts per structure and year, in one query: the years the page offers come
    from it, and each structure's line."""
    return list(
        bilans_de(federation)
        .values("fiche__projet__structure", "annee")
        .annotate(
            actions=Count("pk"),
            benevoles=Sum("benevoles", default=0),
            participants=Sum("participants", default=0),
        )
        .order_by()
    )


def annees_de(comptes):
    """The years of `par_structure_et_annee`'s rows, the latest first."""
    return sorted({ligne["annee"] for ligne in comptes}, reverse=True)


def par_vocabulaire(compteur, vocabulaire):
    """[(label, count)] in the vocabulary's order, the values nobody chose left out."""
    return [(choix.label, compteur[choix.value]) for choix in vocabulaire if compteur[choix.value]]


def chiffres_de(federation, annee, comptes):
    """Every figure of the fédération's page for the bilans of `annee` (all years if None);
    `comptes` is what `par_structure_et_annee` read."""
    lignes = {
        s["pk"]: LigneStructure(s["pk"], s["nom"], s["ville"], s["partage_federation"])
        for s in federation.structures.order_by("nom").values(
            "pk", "nom", "ville", "partage_federation"
        )
    }
    chiffres = Chiffres(annee=annee, structures=list(lignes.values()), calcules_le=timezone.now())
    fiches = FicheAction.objects.filter(projet__structure__federations=federation)
    for ligne in fiches.values("projet__structure").annotate(n=Count("pk")).order_by():
        lignes[ligne["projet__structure"]].fiches = ligne["n"]
    compter_bilans(chiffres, federation, annee)
    for ligne in comptes:
        if annee is None or ligne["annee"] == annee:
            structure = lignes[ligne["fiche__projet__structure"]]
            structure.actions += ligne["actions"]
            structure.benevoles += ligne["benevoles"]
            structure.participants += ligne["participants"]
    compter_projets(chiffres, lignes, federation)
    return chiffres


VOCABULAIRES = {"mots_cles": MotCle, "publics": Public, "types_partenaires": TypePartenaire}


def contient(champ, valeur):
    """The bilans whose JSON list `champ` holds `valeur`: PostgreSQL's JSON containment (`@>`,
    the fastest of the ways tried), or, on SQLite, which has none, the list as text holding the
    value in quotes (a vocabulary's values are slugs, never quoted)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{champ}__contains": [valeur]})
    return Q(**{f"{champ}_texte__contains": f'"{valeur}"'})


def compter_bilans(chiffres, federation, annee):
    """The year's bilans counted by the database, in one query: every value of every
    vocabulary, the totals."""
    bilans = bilans_de(federation)
    if annee is not None:
        bilans = bilans.filter(annee=annee)
    comptes = {
        f"{champ}:{valeur}": Count("pk", filter=contient(champ, valeur))
        for champ, vocabulaire in VOCABULAIRES.items()
        for valeur in vocabulaire.values
    }
    dimensions = ["", *Dimension.values]
    comptes |= {f"dimension:{v}": Count("pk", filter=Q(dimension=v)) for v in dimensions}
    lus = (
        bilans
        if connection.vendor == "postgresql"
        else bilans.annotate(
            **{f"{champ}_texte": Cast(champ, TextField()) for champ in VOCABULAIRES}
        )
    )
    total = lus.order_by().aggregate(
        actions=Count("pk"),
        salaries=Sum("salaries", default=0),
        benevoles=Sum("benevoles", default=0),
        participants=Sum("participants", default=0),
        **comptes,
    )
    chiffres.actions, chiffres.salaries = total["actions"], total["salaries"]
    chiffres.benevoles, chiffres.participants = total["benevoles"], total["participants"]
    for champ, vocabulaire in VOCABULAIRES.items():
        compteur = Counter({v: total[f"{champ}:{v}"] for v in vocabulaire.values})
        setattr(chiffres, champ, par_vocabulaire(compteur, vocabulaire))
    par_dimension = Counter({v: total[f"dimension:{v}"] for v in dimensions})
    chiffres.dimensions = par_vocabulaire(par_dimension, Dimension)
    if par_dimension[""]:
        chiffres.dimensions.append(("Non renseignée", par_dimension[""]))


def compter_projets(chiffres, lignes, federation):
    """Projets by statut and by the year of the CAF's decision and of the agrément's end; each
    structure's line shows its latest projet (by période)."""
    statuts, fins, decisions = Counter(), Counter(), Counter()
    derniers = defaultdict(list)
    projets = ProjetSocial.objects.filter(structure__federations=federation).values(
        "structure", "statut", "annee_debut", "annee_fin", "date_decision_caf", "date_fin_agrement"
    )
    for projet in projets.order_by("annee_fin", "pk"):
        statuts[projet["statut"]] += 1
        if projet["date_fin_agrement"]:
            fins[projet["date_fin_agrement"].year] += 1
        if projet["date_decision_caf"]:
            decisions[projet["date_decision_caf"].year] += 1
        derniers[projet["structure"]].append(projet)
    for structure, liste in derniers.items():
        dernier = liste[-1]
        lignes[structure].projet = {
            **dernier,
            "statut_libelle": ProjetSocial.Statut(dernier["statut"]).label,
            "periode": f"{dernier['annee_debut']}–{dernier['annee_fin']}",
        }
    chiffres.projets_par_statut = par_vocabulaire(statuts, ProjetSocial.Statut)
    chiffres.fins_agrement = sorted(fins.items())
    chiffres.decisions_caf = sorted(decisions.items())
