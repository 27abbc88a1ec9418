"""Everything the dossier prints, read from the database in a fixed number of queries."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.models import FicheAction
from projets.budget import Budget
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
        budget=Budget.du_projet(projet, list(LigneBudget.objects.filter(projet=projet))) or None,
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
