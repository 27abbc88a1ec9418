"""Everything the dossier prints, read from the database in a fixed number of queries."""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from actions.models import FicheAction
from projets.models import Axe, LigneBudget, ObjectifGeneral, SectionProjet, Territoire


@dataclass
class GroupeObjectif:
    """One objectif général of the arbre with the fiches that serve it first."""

    objectif: object
    fiches: list = field(default_factory=list)


@dataclass
class GroupeEnjeu:
    enjeu: object  # None for the objectifs attached to the axe directly
    objectifs: list = field(default_factory=list)


@dataclass
class AxeDossier:
    axe: object
    groupes: list = field(default_factory=list)
    sans_objectif: list = field(default_factory=list)  # fiches whose main objectif is elsewhere
    fiches: list = field(default_factory=list)


@dataclass
class LigneTableau:
    libelle: str
    montants: list  # one per year of the période, None where nothing is planned


@dataclass
class Budget:
    annees: list
    charges: list
    produits: list
    total_charges: list
    total_produits: list
    solde: list


@dataclass
class Contenu:
    projet: object
    structure: object
    sections: list
    territoires: list
    axes: list
    instances: list
    budget: Budget | None
    sigles: list

    @property
    def fiches(self):
        return [fiche for axe in self.axes for fiche in axe.fiches]

    def sections_de(self, *types):
        return [s for s in self.sections if s.type in types and s.contenu.strip()]


def charger(projet):
    """The whole projet for the dossier; the number of queries does not grow with its size."""
    axes = list(
        Axe.objects.filter(projet=projet).prefetch_related(
            "enjeux",
            Prefetch("objectifs", queryset=ObjectifGeneral.objects.select_related("enjeu")),
        )
    )
    fiches = list(FicheAction.objects.du_projet(projet).avec_details())
    return Contenu(
        projet=projet,
        structure=projet.structure,
        sections=list(SectionProjet.objects.filter(projet=projet).prefetch_related("images")),
        territoires=list(
            Territoire.objects.filter(structure_id=projet.structure_id).avec_chiffres()
        ),
        axes=ranger_arbre(axes, fiches),
        instances=list(projet.instances.all()),
        budget=tableau_budget(projet, list(LigneBudget.objects.filter(projet=projet))),
        sigles=list(projet.sigles.all()),
    )


def ranger_arbre(axes, fiches):
    """Axes → enjeux → objectifs → fiches, each fiche under its main objectif when it is
    one of its own axe's, otherwise listed apart."""
    par_axe = OrderedDict((axe.pk, AxeDossier(axe=axe)) for axe in axes)
    groupes_objectif = {}
    for dossier in par_axe.values():
        groupes = OrderedDict()
        objectifs = list(dossier.axe.objectifs.all())
        # Objectifs hung on the axe directly come first, then each enjeu in its order.
        for objectif in sorted(objectifs, key=lambda o: (o.enjeu is not None, cle_enjeu(o))):
            groupe = groupes.setdefault(objectif.enjeu_id, GroupeEnjeu(enjeu=objectif.enjeu))
            groupe.objectifs.append(
                groupes_objectif.setdefault(objectif.pk, GroupeObjectif(objectif))
            )
        for enjeu in dossier.axe.enjeux.all():
            groupes.setdefault(enjeu.pk, GroupeEnjeu(enjeu=enjeu))
        dossier.groupes = sorted(groupes.values(), key=lambda g: g.enjeu.numero if g.enjeu else 0)
    for fiche in fiches:
        dossier = par_axe[fiche.axe_id]
        dossier.fiches.append(fiche)
        principal = fiche.objectif_principal
        groupe = groupes_objectif.get(principal.pk) if principal else None
        if groupe is not None and principal.axe_id == fiche.axe_id:
            groupe.fiches.append(fiche)
        else:
            dossier.sans_objectif.append(fiche)
    return list(par_axe.values())


def cle_enjeu(objectif):
    return (objectif.enjeu.numero if objectif.enjeu else 0, objectif.ordre, objectif.pk)


def tableau_budget(projet, lignes):
    """Charges and produits as rows, the years of the période as columns, with totals."""
    if not lignes:
        return None
    annees = projet.annees
    rangs = {annee: i for i, annee in enumerate(annees)}

    def rangees(sens):
        libelles = OrderedDict()
        for ligne in sorted(lignes, key=lambda lg: (lg.ordre, lg.annee, lg.pk)):
            if ligne.sens != sens or ligne.annee not in rangs:
                continue
            montants = libelles.setdefault(ligne.libelle, [None] * len(annees))
            i = rangs[ligne.annee]
            montants[i] = (montants[i] or Decimal(0)) + ligne.montant
        return [LigneTableau(libelle, montants) for libelle, montants in libelles.items()]

    def totaux(rangees):
        return [
            sum((r.montants[i] or Decimal(0) for r in rangees), Decimal(0)) for i in rangs.values()
        ]

    charges = rangees(LigneBudget.Sens.CHARGE)
    produits = rangees(LigneBudget.Sens.PRODUIT)
    total_charges, total_produits = totaux(charges), totaux(produits)
    return Budget(
        annees=annees,
        charges=charges,
        produits=produits,
        total_charges=total_charges,
        total_produits=total_produits,
        solde=[p - c for p, c in zip(total_produits, total_charges, strict=True)],
    )
